"""Say what to do next. Nothing else: cruft reruns this hook on every update, in temporary folders."""

READY = {{ ("Your toolkit for " ~ cookiecutter.city ~ " is ready. Next:") | tojson }}
print(
    f"\n{READY}\n"
    "  cd {{ cookiecutter.city_slug }}\n"
    "  make reports   # fetch the data, run every report, write index.html\n"
    "  make test      # check the toolkit on this machine\n"
)

"""What the template knows when it makes a toolkit: states, known datasets, records laws, presets, the interview.

`local_extensions.py` maps these functions onto Jinja filters and globals; tests/test_catalog_*.py test them
directly. Everything here runs under the interpreter that runs cookiecutter, which may hold only cookiecutter's own
dependencies (Jinja2, PyYAML): standard library and those two only. The modules import each other relatively,
because local_extensions.py loads this package by its path, under a name of its own for each template folder
(`cruft update` renders two versions of the template in one process).
"""

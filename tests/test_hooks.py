"""Every bad answer stops the bake with a message that names the answer and the fix; nothing is left."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import pytest
import yaml

from .baking import DEMO_DATA, NO_SOURCES, TEMPLATE, cookiecutter_cli

NO_SOURCE_ANSWERS = [f"{key}={value}" for key, value in NO_SOURCES.items()]

BAD_ANSWERS = [
    # (answers, the message must contain)
    (["state=Minnesotta"], "state: 'Minnesotta' is not a US state"),
    (["state=XX"], "two-letter code"),
    (["state="], "state: '' is not a US state"),
    (["city="], "city: this answer is empty"),
    (["city=Saint\nPaul"], "city: 'Saint\\nPaul' contains a line break"),
    (["city=" + "x" * 81], "at most 80"),
    (["city_slug=Minneapolis MN"], "city_slug: 'Minneapolis MN' cannot be a folder name"),
    (["city_slug=../escape"], "city_slug: '../escape' cannot be a folder name"),
    (["city_slug=a/b"], "city_slug: 'a/b' cannot be a folder name"),
    (["city_slug="], "city_slug: '' cannot be a folder name"),
    (["city_slug=-minneapolis"], "starting and ending with a letter or digit"),
    (["city_slug=con"], "reserved file name on Windows"),
    (["organization="], "organization: this answer is empty"),
    (["contact_email=not-an-email"], "contact_email: 'not-an-email' does not look like an email"),
    (["contact_email=a@b"], "contact_email: 'a@b'"),
    (
        ["police_stops_source=ftp://data.example.org/stops.csv"],
        "police_stops_source: 'ftp://data.example.org/stops.csv' is not an http(s) web address",
    ),
    (["police_stops_source=https://"], "is not an http(s) web address"),
    (["police_stops_source=stops.csv"], "police_stops_source: 'stops.csv' is neither a web address"),
    (["use_of_force_source=/no/such/file.csv"], "use_of_force_source: the file '/no/such/file.csv' does not exist"),
    ([f"warrants_source={TEMPLATE / 'local_extensions.py'}"], "is not a data file this toolkit reads"),
    (["arrests_source=https://data.city.gov/my data.csv"], "contains spaces"),
    # Answers are data: template syntax is refused, never evaluated.
    (["city={{ 7*7 }}"], "city: '{{ 7*7 }}' holds {{ or {% or {#"),
    (["organization={{ cycler.__init__.__globals__.os.getcwd() }}"], "organization: '{{ cycler.__init__"),
    (["city=Saint {% if true %}Paul{% endif %}"], "city: 'Saint {% if true %}Paul{% endif %}' holds"),
    (["city=St. Paul {# a comment #}"], "holds {{ or {% or {#"),
    # Paths that cannot be files: each says what is wrong, none ends in a traceback.
    (["police_stops_source=/" + "a" * 5000 + ".csv"], "police_stops_source: the path '/aaaa"),
    (["police_stops_source=~nosuchuser/x.csv"], "starts with '~nosuchuser', but there is no such user"),
    ([f"arrests_source={TEMPLATE / 'catalog'}"], "arrests_source: '" + str(TEMPLATE / "catalog") + "' is a folder"),
    (["timezone=America/Minneapolis"], "timezone: 'America/Minneapolis' is not an IANA time zone name"),
    (["timezone="], "timezone: '' is not an IANA time zone name"),
]


@pytest.mark.parametrize(("answers", "message"), BAD_ANSWERS, ids=[a[0][:40] for a, _ in BAD_ANSWERS])
def test_a_bad_answer_aborts_with_its_message_and_leaves_nothing(tmp_path, answers, message):
    out = tmp_path / "out"
    out.mkdir()
    done = cookiecutter_cli(out, *answers)
    assert done.returncode != 0
    assert message in done.stderr, done.stderr
    assert "Run the command again with corrected answers." in done.stderr
    assert list(out.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # nothing escaped upwards either
    assert "Error" not in done.stderr.split("Run the command again")[0]  # the message, not a crash before it


def test_an_answer_with_template_syntax_is_never_evaluated(tmp_path):
    """The working folder must not reach the output: the answer's code never ran."""
    workdir = tmp_path / "working-folder-4711"
    workdir.mkdir()
    answer = "organization={{ cycler.__init__.__globals__.os.getcwd() }}"
    done = subprocess.run(
        [sys.executable, "-m", "cookiecutter", str(TEMPLATE), "--no-input", "--output-dir", "out", answer],
        cwd=workdir, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode != 0
    assert "organization: '{{ cycler.__init__.__globals__.os.getcwd() }}' holds" in done.stderr
    assert "working-folder-4711" not in done.stdout + done.stderr


def test_invalid_utf8_in_a_city_name_leaves_no_half_made_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    city = b"Saint \xff Paul".decode(sys.getfilesystemencoding(), "surrogateescape")  # as a terminal would pass it
    done = cookiecutter_cli(out, f"city={city}", "city_slug=saint-paul")
    assert done.returncode != 0
    assert "city: 'Saint \\udcff Paul' holds bytes that are not UTF-8 text" in done.stderr, done.stderr
    assert list(out.iterdir()) == []


def test_a_city_name_beyond_the_basic_plane_bakes_cleanly(tmp_path):
    """An emoji is one character beyond U+FFFF: every file and message keeps it whole."""
    done = cookiecutter_cli(tmp_path, "city=Springfield 🚓", "state=IL", "city_slug=springfield")
    assert done.returncode == 0, done.stderr
    assert "Your toolkit for Springfield 🚓 is ready" in done.stdout
    project = tmp_path / "springfield"
    assert yaml.safe_load((project / "toolkit.yaml").read_text(encoding="utf-8"))["city"] == "Springfield 🚓"
    description = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]["description"]
    assert description == "Public safety data toolkit for Springfield 🚓, IL"
    assert "# Public safety data for Springfield 🚓, IL" in (project / "README.md").read_text(encoding="utf-8")


def test_the_next_steps_give_the_real_path(tmp_path):
    out = tmp_path / "somewhere" / "else"
    done = cookiecutter_cli(out, "city=Saint Paul", *NO_SOURCE_ANSWERS)
    assert done.returncode == 0, done.stderr
    assert f"  cd {out / 'saint-paul'}\n" in done.stdout
    assert done.stdout.count("is ready") == 1


def test_all_problems_are_reported_together(tmp_path):
    done = cookiecutter_cli(tmp_path, "state=Atlantis", "contact_email=nope", "timezone=Mars/Base")
    assert "3 answers need fixing" in done.stderr
    for key in ("state:", "contact_email:", "timezone:"):
        assert key in done.stderr


def test_good_answers_pass_the_hook(tmp_path):
    done = cookiecutter_cli(
        tmp_path, "city=Saint Paul", "state=minnesota", "contact_email=team@example.org",
        f"police_stops_source={DEMO_DATA}", "use_of_force_source=https://data.example.org/resource/abcd-1234.json",
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "saint-paul" / "toolkit.yaml").is_file()
    assert "Your toolkit for Saint Paul is ready" in done.stdout

"""Every bad answer stops the bake with a message that names the answer and the fix; nothing is left."""

from __future__ import annotations

import pytest

from .conftest import DEMO_DATA, TEMPLATE, cookiecutter_cli

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

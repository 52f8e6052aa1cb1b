"""Check every answer before the project is written.

On any bad answer: print what is wrong with each and how to fix it, then exit 1; cookiecutter then
removes the folder it made, so nothing is left behind. Standard library only: this runs under the
interpreter that runs cookiecutter.
"""

import json
import re
import sys
import zoneinfo
from pathlib import Path
from urllib.parse import urlparse

ANSWERS = json.loads({{ cookiecutter | public_answers | tojson }})
# What is wrong with the state answer ("" when it names one), found by the template's catalog of states.
STATE_PROBLEM = {{ cookiecutter.state | not_a_state | py_literal }}
TOPICS = json.loads({{ toolkit_topics | list | tojson | tojson }})

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
# Jinja's marks, spelt in two pieces because this file is itself rendered by Jinja.
TEMPLATE_MARKS = ("{" "{", "{" "%", "{" "#")
DATA_SUFFIXES = (".csv", ".csv.gz", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".zip", ".json", ".geojson")


def answer_is_data(key: str, value: str) -> str | None:
    """Answers are data, never template code: an answer holding Jinja syntax is refused."""
    if any(mark in value for mark in TEMPLATE_MARKS):
        return (
            f"{key}: {value!r} holds {' or '.join(TEMPLATE_MARKS)}, which the template would read as code. "
            "Leave those characters out of the answer."
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return (
            f"{key}: {value!r} holds bytes that are not UTF-8 text. Type the answer again, or set your "
            "terminal to UTF-8."
        )
    return None


def one_line_text(key: str, value: str, limit: int, required: bool = True) -> str | None:
    if required and not value.strip():
        return f"{key}: this answer is empty. Type a name, e.g. {key}=Minneapolis."
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return f"{key}: {value!r} contains a line break or control character. Type it on one line."
    if len(value) > limit:
        return f"{key}: {len(value)} characters is too long (at most {limit}). Use a shorter name."
    return None


def check_state() -> str | None:
    if STATE_PROBLEM:
        return f"state: {STATE_PROBLEM} Use a two-letter code (MN) or the full name (Minnesota)."
    return None


def check_slug(value: str) -> str | None:
    if not SLUG.match(value):
        return (
            f"city_slug: {value!r} cannot be a folder name here. Use 1 to 64 lowercase letters, digits, "
            "'-' or '_', starting and ending with a letter or digit, e.g. city_slug=saint-paul."
        )
    if value in WINDOWS_RESERVED:
        return f"city_slug: {value!r} is a reserved file name on Windows. Pick another, e.g. {value}-city."
    return None


def check_email(value: str) -> str | None:
    if value and not EMAIL.match(value):
        return (
            f"contact_email: {value!r} does not look like an email address. "
            "Use the form name@example.org, or leave it blank."
        )
    return None


def check_source(key: str, value: str) -> str | None:
    text = value.strip()
    if not text:
        return None
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text):
        url = urlparse(text)
        if url.scheme not in ("http", "https") or not url.hostname:
            return (
                f"{key}: {text!r} is not an http(s) web address. "
                "Paste the dataset's address from your browser (https://...), or an absolute file path."
            )
        if any(ch.isspace() for ch in text):
            return f"{key}: {text!r} contains spaces. Paste the address exactly as the browser shows it."
        return None
    try:
        path = Path(text).expanduser()
    except RuntimeError:  # "~name/...": no user of that name on this computer
        return (
            f"{key}: {text!r} starts with {text.split('/')[0]!r}, but there is no such user on this computer. "
            "Give the full path of the file, e.g. /home/you/Downloads/data.csv."
        )
    if not path.is_absolute():
        return (
            f"{key}: {text!r} is neither a web address (https://...) nor an absolute file path. "
            f"Give the full path, e.g. {Path.home() / 'Downloads' / 'data.csv'}."
        )
    try:
        is_file, is_dir = path.is_file(), path.is_dir()
    except OSError as err:  # a path too long, or a folder on it that cannot be read
        return f"{key}: the path {shorten(text)!r} cannot be opened ({err.strerror}). Check it, or leave it blank."
    if is_dir:
        return (
            f"{key}: {text!r} is a folder, not a file. Give the path of the data file inside it, "
            "e.g. " + str(path / "data.csv") + "."
        )
    if not is_file:
        return (
            f"{key}: the file {shorten(text)!r} does not exist. Check the path (drag the file onto the terminal "
            "to paste it), or leave the answer blank. When updating a project, correct the path in .cruft.json."
        )
    if not path.name.lower().endswith(DATA_SUFFIXES):
        return f"{key}: {path.name!r} is not a data file this toolkit reads ({', '.join(DATA_SUFFIXES)})."
    return None


def shorten(text: str, limit: int = 200) -> str:
    """A long answer, cut in the middle for a message."""
    return text if len(text) <= limit else f"{text[:limit // 2]}...{text[-limit // 2:]}"


def check_timezone(value: str) -> str | None:
    known = zoneinfo.available_timezones()
    valid = value in known if known else bool(re.match(r"^[A-Za-z_]+(/[A-Za-z0-9_+-]+)+$", value))
    if not valid:
        return (
            f"timezone: {value!r} is not an IANA time zone name. "
            "Use a name such as America/Chicago or America/New_York (see "
            "https://en.wikipedia.org/wiki/List_of_tz_database_time_zones)."
        )
    return None


def problems(answers: dict[str, str]) -> list[str]:
    data_problems = [answer_is_data(key, value) for key, value in answers.items()]
    if any(data_problems):  # the other checks would only repeat the same answers
        return [p for p in data_problems if p]
    found = [
        one_line_text("city", answers["city"], 80),
        check_state(),
        check_slug(answers["city_slug"]),
        one_line_text("organization", answers["organization"], 120),
        one_line_text("contact_email", answers["contact_email"], 254, required=False)
        or check_email(answers["contact_email"]),
        *(check_source(f"{topic}_source", answers[f"{topic}_source"]) for topic in TOPICS),
        check_timezone(answers["timezone"]),
    ]
    return [p for p in found if p]


def main() -> int:
    answers = {key: str(value) for key, value in ANSWERS.items()}
    found = problems(answers)
    if not found:
        return 0
    noun = "answer needs" if len(found) == 1 else "answers need"
    print(f"\nThe toolkit was not created: {len(found)} {noun} fixing.\n", file=sys.stderr)
    for problem in found:
        print(f"  - {problem}", file=sys.stderr)
    print("\nRun the command again with corrected answers.\n", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())

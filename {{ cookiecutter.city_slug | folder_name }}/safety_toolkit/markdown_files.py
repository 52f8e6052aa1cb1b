"""Markdown the toolkit writes for people: escaping, links, and files that keep the reader's edits.

A written file starts with a comment holding the checksum of what the toolkit wrote. If the file no
longer matches it, someone edited it (a letter with the agency's name filled in, say), and it is
never overwritten.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .store import atomic_path

_SPECIAL = re.compile(r"([\\`*_\[\]#|!])")
_MARK = re.compile(r"^<!-- Written by python -m safety_toolkit (?P<command>\w+)\b.*?sha256:(?P<sha>[0-9a-f]{64}) -->\n")


def md_text(value: object) -> str:
    """Text for one line of Markdown: characters Markdown acts on are escaped, and so is raw HTML."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _SPECIAL.sub(r"\\\1", text)


def md_link(title: object, url: str) -> str:
    """A Markdown link; the address sits in <...> so that parentheses in it survive."""
    address = url.strip().replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
    return f"[{md_text(title)}](<{address}>)"


def source_link(source: str) -> str:
    """A source as listed in toolkit.yaml, "address" or "address (note)", as a link with its note."""
    address, _, note = source.strip().partition(" ")
    note = note.strip().removeprefix("(").removesuffix(")").strip()
    link = md_link(address, address)
    return f"{link} ({md_text(note)})" if note else link


def _digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def write_markdown(path: Path, body: str, command: str) -> str:
    """Write `body` to `path` unless someone edited the file since the toolkit last wrote it.
    Returns "written", "unchanged" or "kept" (edited by hand, left alone)."""
    text = (
        f"<!-- Written by python -m safety_toolkit {command} from toolkit.yaml. Edit it freely: once edited, "
        f"the toolkit leaves it alone. sha256:{_digest(body)} -->\n{body}"
    )
    if path.exists():
        current = path.read_text(encoding="utf-8")
        if current == text:
            return "unchanged"
        mark = _MARK.match(current)
        if not mark or mark["sha"] != _digest(current[mark.end() :]):
            return "kept"
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return "written"

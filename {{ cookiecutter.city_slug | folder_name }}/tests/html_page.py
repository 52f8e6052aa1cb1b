"""Reading a page as its reader does: the tables (by id), the visible text, the links and the images.

One reader for every page the tests look at (reports, the landing page, tutorials, letters, HTML snippets of
`show`); it also fails on a tag closed out of order or never closed. The template's own tests use it too."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd

# Elements that have no end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Elements whose text a reader does not see on the page.
HIDDEN = {"script", "style", "title"}
# Elements that start a new line or cell: their text is never run together with the text before or after.
BLOCK = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "summary", "table", "td", "th", "tr", "ul",
}  # fmt: skip


def normal(text: str) -> str:
    """Whitespace as a browser shows it: runs made single, none at either end."""
    return " ".join(text.split())


class Page(HTMLParser):
    """A page read once: `tables` (id -> rows of cell texts, header first; a table without an id is
    "table-N"), `text` (what a reader sees), `links` (every <a href>), `images` (every <img>'s attributes)
    and `sources` (every src, whatever the element)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.html = html
        self.tables: dict[str, list[list[str]]] = {}
        self.links: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.sources: list[str] = []
        self._open: list[str] = []
        self._parts: list[str] = []
        self._table: str | None = None
        self._cell: list[str] | None = None
        self.feed(html)
        self.close()
        assert self._open == [], f"tags never closed: {self._open}"
        self.text = normal("".join(self._parts))

    def table(self, table_id: str, index: str | int | None = None) -> pd.DataFrame:
        """The table with this id, its header as column names; indexed by the column named `index`, or at
        position `index`, if given."""
        head, *rows = self.tables[table_id]
        frame = pd.DataFrame(rows, columns=head)
        if index is None:
            return frame
        return frame.set_index(head[index] if isinstance(index, int) else index)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag not in VOID:
            self._open.append(tag)
        if tag in BLOCK:
            self._parts.append(" ")
        if found.get("src"):
            self.sources.append(str(found["src"]))
        if tag == "table":
            self._table = found.get("id") or f"table-{len(self.tables)}"
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []
        elif tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        elif tag == "img":
            self.images.append(found)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self._open, f"</{tag}> closes nothing"
        assert self._open[-1] == tag, f"</{tag}> closes <{self._open[-1]}>"
        self._open.pop()
        if tag in BLOCK:
            self._parts.append(" ")
        if tag in ("td", "th") and self._cell is not None and self._table is not None:
            self.tables[self._table][-1].append(normal("".join(self._cell)))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if not HIDDEN.intersection(self._open):
            self._parts.append(data)
        if self._cell is not None:
            self._cell.append(data)

"""A fake city web server holding data files, with the habits of real ones: ETag and Last-Modified (and 304
for a conditional request that still matches), no Content-Length on some files, a 403 for clients that do not
look like a browser, and web pages where a file was expected."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .server import FakePortal, Reply, Request


@dataclass
class File:
    body: bytes
    content_type: str = "text/csv"
    browsers_only: bool = False  # 403 unless the User-Agent looks like a browser
    chunked: bool = False  # no Content-Length
    disposition: str = ""
    last_modified: str = "Wed, 01 May 2024 10:00:00 GMT"

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


class FileHostFake(FakePortal):
    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, File] = {}

    def put(self, path: str, body: bytes, **options: object) -> str:
        self.files[path] = File(body, **options)  # type: ignore[arg-type]
        return self.url + path

    def handle(self, request: Request) -> Reply:
        item = self.files.get(request.path)
        if item is None:
            return Reply(404, b"<html><body><h1>Page not found</h1></body></html>", {"Content-Type": "text/html"})
        if item.browsers_only and "Mozilla" not in request.headers.get("user-agent", ""):
            return Reply(403, b"<html><body>Access denied</body></html>", {"Content-Type": "text/html"})
        headers = {"Content-Type": item.content_type, "ETag": item.etag, "Last-Modified": item.last_modified}
        if item.disposition:
            headers["Content-Disposition"] = item.disposition
        if request.headers.get("if-none-match") == item.etag:
            return Reply(304, b"", headers)
        if item.chunked:
            size = 4096
            return Reply(200, headers=headers, chunks=[item.body[i : i + size] for i in range(0, len(item.body), size)])
        return Reply(200, item.body, headers)

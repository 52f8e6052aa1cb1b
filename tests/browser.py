"""A headless Chromium for the tests, driven through the DevTools protocol over a pipe.

The pipe (--remote-debugging-pipe) needs nothing beyond the standard library: no WebDriver, no
websocket client. Chromium reads commands on its file descriptor 3 and answers on 4, one JSON message
per NUL-terminated chunk.
"""

from __future__ import annotations

import base64
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--remote-debugging-pipe",
]

# Puts the two pipe ends given on descriptors 3 and 4, where --remote-debugging-pipe expects them, then
# becomes Chromium. (A shell cannot do it portably: dash takes only one-digit descriptor numbers.)
ON_3_AND_4 = """
import fcntl, os, sys
high = [fcntl.fcntl(int(fd), fcntl.F_DUPFD, 10) for fd in sys.argv[1:3]]
os.dup2(high[0], 3)
os.dup2(high[1], 4)
os.execv(sys.argv[3], sys.argv[3:])
"""


# An SVG's text is drawn at its font size times the SVG's scale on the page.
CHART_TEXT = """(() => { let smallest = null;
  for (const svg of document.querySelectorAll('figure.chart svg')) {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const text of svg.querySelectorAll('text')) {
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (smallest === null || size < smallest) smallest = size; } }
  return smallest; })()"""


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


class Browser:
    """One browser with one page; `problems` gathers console errors, exceptions and failed or external loads."""

    def __init__(self, binary: str, profile: Path, width: int = 1280, height: int = 900) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        self.log = profile / "chromium.log"
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    ON_3_AND_4,
                    str(to_chrome_r),
                    str(from_chrome_w),
                    binary,
                    *FLAGS,
                    f"--user-data-dir={profile / 'data'}",
                    "about:blank",
                ],
                pass_fds=(to_chrome_r, from_chrome_w),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._next_id = 0
        self._replies: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.problems: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        try:
            target = self.call("Target.createTarget", url="about:blank")["targetId"]
        except (OSError, queue.Empty) as err:
            self.close()
            raise RuntimeError(f"Chromium did not start: {self.log.read_text(errors='replace')[-2000:]}") from err
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)
        self.resize(width, height)

    def _read(self) -> None:
        buffer = b""
        with os.fdopen(self._from_chrome, "rb", buffering=0) as pipe:
            while chunk := pipe.read(65536):
                buffer += chunk
                *messages, buffer = buffer.split(b"\0")
                for raw in messages:
                    message = json.loads(raw)
                    if "id" in message and message["id"] in self._replies:
                        self._replies[message["id"]].put(message)
                    else:
                        self._events.put(message)

    def call(self, method: str, session: bool = False, timeout: float = 30, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        ident = self._next_id
        self._replies[ident] = queue.Queue()
        message: dict[str, Any] = {"id": ident, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        try:
            reply = self._replies[ident].get(timeout=timeout)
        finally:
            del self._replies[ident]
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    def _note(self, event: dict[str, Any]) -> str | None:
        """A problem an event reports, or None."""
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            return f"exception: {params['exceptionDetails'].get('text')}"
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
            return f"console {params['type']}: {[a.get('value') for a in params.get('args', [])]}"
        if method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
            return f"log {params['entry']['level']}: {params['entry'].get('text')} {params['entry'].get('url', '')}"
        if method == "Network.loadingFailed":
            return f"failed to load: {params.get('errorText')}"
        if method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith(("file://", "data:", "about:")):
                return f"request to the network: {url}"
        return None

    def _drain(self, until: str | None = None, timeout: float = 30) -> None:
        while True:
            try:
                event = self._events.get(timeout=timeout if until else 0.3)
            except queue.Empty:
                if until:
                    raise TimeoutError(f"no {until} within {timeout} s") from None
                return
            if problem := self._note(event):
                self.problems.append(problem)
            if until and event.get("method") == until:
                return

    def resize(self, width: int, height: int) -> None:
        self.width = width
        self.call(
            "Emulation.setDeviceMetricsOverride",
            session=True,
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 600,
        )

    def open(self, path: Path) -> None:
        """Load a local page and wait until it and everything it asks for has loaded."""
        self.call("Page.navigate", session=True, url=path.resolve().as_uri())
        self._drain(until="Page.loadEventFired")
        self._drain()  # late console messages

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"].get("text"))
        return result["result"].get("value")

    def overflow(self) -> int:
        """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
        return int(self.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"))

    def smallest_chart_text(self) -> float | None:
        """The smallest text, in CSS pixels as drawn, of the inline SVG charts (None: no chart text)."""
        smallest = self.evaluate(CHART_TEXT)
        return None if smallest is None else float(smallest)

    def press_tab(self) -> None:
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", session=True, type=kind, key="Tab", code="Tab", windowsVirtualKeyCode=9)

    def screenshot(self, target: Path) -> Path:
        """The whole page, not only the window, as a PNG."""
        height = self.evaluate("document.documentElement.scrollHeight")
        clip = {"x": 0, "y": 0, "width": self.width, "height": height, "scale": 1}
        data = self.call("Page.captureScreenshot", session=True, format="png", clip=clip, captureBeyondViewport=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(data["data"]))
        return target

    def close(self) -> None:
        try:
            os.close(self._to_chrome)  # Chromium quits when its command pipe closes
            self.proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()

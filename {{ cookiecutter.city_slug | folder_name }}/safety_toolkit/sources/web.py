"""Talking to portals over HTTP: bounded timeouts, retries that honour Retry-After, and errors that say what to do.

Settings come from the environment so a slow portal, or a test, can change them without code:
  SAFETY_TOOLKIT_TIMEOUT      seconds to wait for the portal to start answering (default 60)
  SAFETY_TOOLKIT_ATTEMPTS     tries per request before giving up (default 6)
  SAFETY_TOOLKIT_WAIT_SCALE   multiplies every wait between tries (default 1; tests use a tiny value)
"""

from __future__ import annotations

import email.utils
import json
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx
import tenacity

from .errors import SourceError

USER_AGENT = "safety-toolkit/0.1 (public safety data toolkit; python-httpx)"
# Some city web servers refuse anything that does not look like a browser (403/406).
BROWSER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
)
T = TypeVar("T")
# Headers that identify the user to a portal: sent to the portal's own origin only, never after a redirect
# to another host (httpx keeps custom headers on redirects).
PRIVATE_HEADERS = ("x-app-token", "authorization", "cookie")
MAX_REDIRECTS = 10
RETRY_STATUSES = {202, 408, 429, 500, 502, 503, 504, 520, 522, 524}


@dataclass(frozen=True)
class Settings:
    timeout: float = 60.0  # seconds without a byte from the portal
    connect_timeout: float = 15.0
    attempts: int = 6
    wait_scale: float = 1.0
    max_wait: float = 300.0  # a Retry-After longer than this is not waited for: the error says to try later

    @classmethod
    def from_env(cls) -> Settings:
        def number(name: str, default: float) -> float:
            text = os.environ.get(name, "").strip()
            if not text:
                return default
            try:
                value = float(text)
            except ValueError:
                value = -1.0
            if value < 0 or (value == 0 and name != "SAFETY_TOOLKIT_WAIT_SCALE"):
                raise SourceError(
                    f"the environment variable {name}={text!r} should be a positive number; change or unset it."
                )
            return value

        timeout = number("SAFETY_TOOLKIT_TIMEOUT", cls.timeout)
        return cls(
            timeout=timeout,
            connect_timeout=min(cls.connect_timeout, timeout),
            attempts=max(1, int(number("SAFETY_TOOLKIT_ATTEMPTS", cls.attempts))),
            wait_scale=max(0.0, number("SAFETY_TOOLKIT_WAIT_SCALE", cls.wait_scale)),
        )


class Transient(Exception):
    """A failure worth another try: the portal was busy, slow, or sent a broken answer."""

    def __init__(self, problem: str, retry_after: float | None = None, advice: str = "") -> None:
        super().__init__(problem)
        self.problem = problem
        self.retry_after = retry_after
        self.advice = advice


class StatusError(SourceError):
    """The portal answered with an HTTP error that another try will not fix."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Stats:
    """What the client did, for the manifest, the benchmark and the tests."""

    requests: int = 0
    retries: int = 0
    waits: list[float] = field(default_factory=list)  # seconds asked for (before scaling)


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After is either a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def short_url(url: str | httpx.URL, limit: int = 300) -> str:
    text = str(url)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def server_message(response: httpx.Response) -> str:
    """The portal's own words from an error body, whichever platform's shape it has."""
    try:
        content = response.content
    except httpx.ResponseNotRead:
        return ""
    try:
        body = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        text = " ".join(content[:300].decode("utf-8", "replace").split())
        return "" if "<" in text or not response.headers.get("content-type", "").startswith("text/plain") else text
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):  # ArcGIS, CKAN
            return " ".join(str(p) for p in (error.get("message"), *(error.get("details") or [])) if p)
        if isinstance(error, list):  # Carto
            return "; ".join(map(str, error))
        for key in ("message", "error_message"):  # Socrata, Opendatasoft
            if body.get(key):
                return str(body[key])
    return ""


def advice_for(status: int) -> str:
    if status in (401, 403):
        return (
            "The portal refuses access: the dataset may have become private or now needs a login or token. "
            "Open the address in a browser to check, and look for a newer public copy."
        )
    if status in (404, 410):
        return (
            "The dataset is not at this address any more: publishers move and delete datasets. Find it again on "
            "the portal and update 'location' in toolkit.yaml."
        )
    if status == 400:
        return "The portal did not accept the query: check 'where' (and 'date_field') for this source in toolkit.yaml."
    return "Open the address in a browser to see what the portal says."


class Http:
    """One connection pool for a fetch; every request is retried the same way."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        self.stats = Stats()
        timeout = httpx.Timeout(self.settings.timeout, connect=self.settings.connect_timeout)
        self.client = httpx.Client(timeout=timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT})

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Http:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wait(self, state: tenacity.RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        asked = getattr(error, "retry_after", None)
        if asked is None:  # exponential backoff with jitter: about 1, 2, 4 ... s, at most a minute
            asked = min(60.0, 2.0 ** (state.attempt_number - 1)) * random.uniform(0.75, 1.25)
        self.stats.waits.append(asked)
        self.stats.retries += 1
        return asked * self.settings.wait_scale

    def call(self, what: str, url: str, attempt: Callable[[], T]) -> T:
        """Run `attempt` until it succeeds, raises SourceError, or the tries run out."""

        def give_up(state: tenacity.RetryCallState) -> bool:
            error = state.outcome.exception() if state.outcome else None
            too_long = isinstance(error, Transient) and (error.retry_after or 0) > self.settings.max_wait
            return too_long or state.attempt_number >= self.settings.attempts

        def fail(state: tenacity.RetryCallState) -> T:
            error = state.outcome.exception() if state.outcome else None
            raise self._final_error(what, url, error, state.attempt_number, state.seconds_since_start or 0.0)

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(Transient),
            stop=give_up,
            wait=self._wait,
            retry_error_callback=fail,
            sleep=time.sleep,
        )
        return retrying(attempt)

    def _send(self, method: str, url: str, stream: bool, **kwargs: Any) -> httpx.Response:
        """Send, following redirects here rather than in httpx, so that a redirect to another origin
        drops the private headers."""
        request = self.client.build_request(method, url, **kwargs)
        origin = _origin(request.url)
        for _ in range(MAX_REDIRECTS):
            response = self.client.send(request, stream=stream, follow_redirects=False)
            if not response.has_redirect_location or response.next_request is None:
                return response
            request = response.next_request
            response.close()
            if _origin(request.url) != origin:
                for name in PRIVATE_HEADERS:
                    request.headers.pop(name, None)
        raise SourceError(
            f"{short_url(url)} redirected more than {MAX_REDIRECTS} times; open it in a browser to check it."
        )

    def _open(self, method: str, url: str, stream: bool = False, **kwargs: Any) -> httpx.Response:
        self.stats.requests += 1
        try:
            response = self._send(method, url, stream, **kwargs)
        except httpx.TimeoutException:
            raise Transient(
                f"the portal did not answer within {self.settings.timeout:g} seconds",
                advice="The portal is slow or down. Try again later; for a big dataset, a smaller 'page_size' "
                "for this source in toolkit.yaml makes each request lighter.",
            ) from None
        except httpx.TransportError as err:  # refused, reset, or a body cut short
            raise Transient(f"the connection failed or was cut short ({type(err).__name__})") from None
        if response.status_code >= 400 or response.status_code in RETRY_STATUSES:
            try:
                response.read()
            except httpx.HTTPError:
                pass  # the status says enough
            finally:
                response.close()
            check_status(response)
        return response

    def get_json(
        self,
        url: str,
        what: str,
        params: dict[str, Any] | None = None,
        *,
        check: Callable[[Any], None] | None = None,
        numbers_as_text: bool = False,
        post: bool = False,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """A JSON answer. A body cut short, or an error body that `check` calls temporary, is asked for again."""
        # numbers kept as the portal wrote them: 44.980 stays "44.980"
        hooks: dict[str, Any] = {"parse_float": str, "parse_int": str} if numbers_as_text else {}

        def attempt() -> Any:
            if post:
                response = self._open("POST", url, data=params, headers=headers)
            else:
                response = self._open("GET", url, params=params, headers=headers)
            try:
                body = json.loads(response.content, **hooks)
            except ValueError:
                if _is_html(response):  # another try brings the same page
                    raise SourceError(
                        f"{short_url(response.url)} answered with a web page, not data. The address is probably a "
                        "page about the dataset (or a sign-in page) rather than the dataset's API: check 'location' "
                        "in toolkit.yaml against the portal's API or Download link."
                    ) from None
                raise Transient(f"the answer was not complete JSON ({len(response.content):,} bytes)") from None
            if check:
                check(body)
            return body

        return self.call(what, url, attempt)

    def download(
        self,
        url: str,
        what: str,
        target: Path,
        *,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
        on_bytes: Callable[[int], object] | None = None,
    ) -> httpx.Response:
        """Stream a body into `target` (started again from scratch if cut short). A 304 writes nothing."""

        def attempt() -> httpx.Response:
            response = self._open("GET", url, stream=True, headers=headers, params=params)
            try:
                if response.status_code == 304:
                    return response
                with target.open("wb") as fh:
                    for chunk in response.iter_bytes(1 << 20):
                        fh.write(chunk)
                        if on_bytes:
                            on_bytes(len(chunk))
            except httpx.TimeoutException:
                raise Transient("the portal stopped sending in the middle of the download") from None
            except httpx.TransportError as err:
                raise Transient(f"the download was cut short ({type(err).__name__})") from None
            finally:
                response.close()
            return response

        return self.call(what, url, attempt)

    def _final_error(
        self, what: str, url: str, error: BaseException | None, attempts: int, seconds: float
    ) -> SourceError:
        if not isinstance(error, Transient):
            return SourceError(f"{what}: {short_url(url)}: {error}")
        if (error.retry_after or 0) > self.settings.max_wait:
            wait = f"{error.retry_after / 60:.0f} minutes" if error.retry_after else ""
            return SourceError(
                f"{what}: {short_url(url)}: {error.problem}, and asks to wait {wait} before the next request. "
                "Try again after that."
            )
        tries = f"{attempts} tries over {seconds:.0f} seconds" if attempts > 1 else "one try"
        advice = error.advice or "Try again later; if it keeps failing, open the address in a browser to check it."
        return SourceError(f"{what}: {short_url(url)}: {error.problem} ({tries}). {advice}")


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


def _is_html(response: httpx.Response) -> bool:
    head = response.content[:512].lstrip().lower()
    return "html" in response.headers.get("content-type", "") or head.startswith((b"<!doctype html", b"<html"))


def check_status(response: httpx.Response) -> None:
    """Turn an HTTP error status into Transient (worth retrying) or SourceError (it will not get better)."""
    status = response.status_code
    if status in RETRY_STATUSES:
        message = server_message(response)
        problem = f"the portal answered HTTP {status} {response.reason_phrase}" + (f" ({message})" if message else "")
        if status == 202:
            problem = "the portal is still preparing the data (HTTP 202)"
        advice = ""
        if status == 429:
            advice = (
                "The portal is limiting how often it is asked. Try again later; for Socrata portals, set the "
                "environment variable SOCRATA_APP_TOKEN to an app token to get a larger allowance."
            )
        elif status >= 500:
            advice = "The portal had a server problem. Try again later; if it lasts, check the address in a browser."
        raise Transient(problem, retry_after_seconds(response.headers.get("Retry-After")), advice)
    if status >= 400:
        message = server_message(response)
        raise StatusError(
            status,
            f"{short_url(response.request.url)} answered HTTP {status} {response.reason_phrase}"
            + (f": {message}" if message else "")
            + f". {advice_for(status)}",
        )

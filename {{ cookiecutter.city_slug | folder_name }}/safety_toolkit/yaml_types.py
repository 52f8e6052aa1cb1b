"""The kinds of value toolkit.yaml holds (text, whole numbers, true/false, dates, lists of sentences), each
with the plain message a mistake in it gets. The models of toolkit.yaml (toolkit_model.py, records_law.py,
template_defaults.py) are built from these, so a wrong value is told in words a volunteer can act on.

A check that finds a problem raises `problem(...)`; config.py turns it into "key (toolkit.yaml, line N): ...".
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Strict, ValidationError, WrapValidator, model_validator
from pydantic_core import PydanticCustomError

PROBLEM = "toolkit"  # the error type of every problem raised here


class Block(BaseModel):
    """A block of 'name: value' lines: unknown names are refused (with a "did you mean"), values never change."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    @model_validator(mode="before")
    @classmethod
    def _lines(cls, value: Any) -> Any:
        return value if isinstance(value, BaseModel) else lines(value)


def lines(value: Any) -> dict[Any, Any]:
    """A block of 'name: value' lines; an empty one (`reports:` and nothing under it) has nothing set."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise problem(f"expected a set of 'name: value' lines, found {type(value).__name__} {value!r}.")
    return value


def problem(message: str, *more: tuple[str, str], at: str = "") -> PydanticCustomError:
    """A problem at the value being checked, or at `at` under it (".name", "[0]"), plus further (at, message)."""
    problems = [(at, message), *more]
    return PydanticCustomError(PROBLEM, "{message}", {"message": message, "problems": problems})


def raise_problems(found: list[tuple[str, str]]) -> None:
    """Raise every (at, message) found together, so toolkit.yaml's author sees them all at once."""
    if found:
        (at, message), *more = found
        raise problem(message, *more, at=at)


def unknown_key(name: object, known: Iterable[str]) -> str:
    """The message for a key the block does not know: the closest known key, or the list of them."""
    known = sorted(known)
    close = difflib.get_close_matches(str(name), known, n=1)
    hint = f"Did you mean '{close[0]}'?" if close else f"Known keys: {', '.join(known)}."
    return f"unknown key '{name}'. {hint}"


def expect(message: str) -> WrapValidator:
    """Replace the validator's own wording by `message` ({found} is the value as written)."""

    def wrap(value: Any, handler: Callable[[Any], Any]) -> Any:
        try:
            return handler(value)
        except ValidationError as err:
            # A problem a check of its own raised is kept; the validator's own wording is replaced.
            own = [p for e in err.errors() if e["type"] == PROBLEM for p in e["ctx"]["problems"]]
            if own:
                raise_problems(own)
            raise problem(message.format(found=repr(value))) from None

    return WrapValidator(wrap)


def _number_as_text(value: Any) -> Any:
    """`city: 1900` is the text "1900": numbers are kept as written text (yaml_reader keeps "0123" as text)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _text(value: Any) -> Any:
    return "" if value is None else _number_as_text(value)


def _required_text(value: Any) -> Any:
    value = _number_as_text(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise problem("this value is required.")
    return value.strip() if isinstance(value, str) else value


def _maybe_text(value: Any) -> Any:
    return None if value == "" else _number_as_text(value)


def _iso_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return value


_TEXT = "expected text, found {found}."
# Text, possibly blank (a missing or null value is "").
Text = Annotated[str, Strict(), BeforeValidator(_text), expect(_TEXT)]
# Text that must be given (surrounding spaces dropped).
RequiredText = Annotated[str, Strict(), BeforeValidator(_required_text), expect(_TEXT)]
# Text or null (a fact not verified, a setting not made).
MaybeText = Annotated[str | None, Strict(), BeforeValidator(_maybe_text), expect(_TEXT)]
Flag = Annotated[bool, Strict(), expect("expected true or false, found {found}.")]
Sentences = Annotated[
    tuple[str, ...],
    BeforeValidator(lambda value: () if value is None else value),
    expect("expected a list of sentences, each on a line starting with '- '."),
]
Date = Annotated[
    dt.date | None,
    Strict(),
    BeforeValidator(_iso_date),
    expect("{found} is not a date. Write it as YYYY-MM-DD, e.g. 2021-01-31."),
]

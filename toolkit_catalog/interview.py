"""A short first interview at a terminal.

Cookiecutter asks every question in cookiecutter.json; at a terminal, the dataset questions are cut to what helps:
a topic for which the catalog knows a dataset of the city is asked with that dataset as the answer offered; the
federal files that cover every city are offered with where to get them; the other topics wait behind one question,
"add other data sources now?". Cookiecutter has no conditional questions, so this wraps its question function for
the run (one process, one interview). Without a terminal (--no-input, a config file, tests) nothing changes.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from .files import toolkit_topics
from .records_law import federal_sources
from .states import not_a_state, state_code, state_name

OTHER_SOURCES = (
    "Add other data sources now? The catalog knows no dataset of this city for the other topics "
    "(you can always add them later in toolkit.yaml)"
)


def known_state_code(answer: object) -> str:
    """state_code for the first derived value, so that at a terminal a state that is not one stops the
    questions at once, with the closest names. Without a terminal (--no-input, tests) the answer goes on
    to the pre-generation hook, which reports it together with any other bad answer."""
    code = state_code(answer)
    if code or not sys.stdin.isatty():
        return code
    print(  # noqa: T201 - the question is asked at a terminal; the answer ends the run
        f"\n{not_a_state(answer)}\n"
        "Run the command again and give a two-letter code (IL) or the full name (Illinois).\n",
        file=sys.stderr,
    )
    raise SystemExit(1)


def federal_question(topic: str, answers: Mapping[str, str]) -> str | None:
    """The question that offers the federal file covering every city for a topic, if there is one."""
    offer = federal_sources().get("files", {}).get(topic)
    if not offer:
        return None
    city, state = answers.get("city", "the city"), state_name(answers.get("state", "")) or "the state"
    return " ".join(offer["question"].split()).format(page=offer["page"], city=city, state=state)


def short_interview(prompt_module: Any) -> None:
    """Wrap cookiecutter's question function for this run (see the module's docstring)."""
    ask = getattr(prompt_module, "read_user_variable", None)
    ask_yes_no = getattr(prompt_module, "read_user_yes_no", None)
    if ask is None or ask_yes_no is None or getattr(ask, "short_interview", False) or not sys.stdin.isatty():
        return
    topics = toolkit_topics()
    answers: dict[str, str] = {}
    others: list[bool] = []  # the answer to OTHER_SOURCES, once asked

    def read_user_variable(var_name: str, default_value: Any, prompts: Any = None, prefix: str = "") -> Any:  # noqa: ARG001 - cookiecutter passes it
        prompts = dict(prompts or {})
        topic = var_name.removesuffix("_source")
        if var_name.endswith("_source") and topic in topics and not default_value:
            question = federal_question(topic, answers)
            if question:
                prompts[var_name] = question
            else:
                if not others:
                    others.append(bool(ask_yes_no("other_sources", False, {"other_sources": OTHER_SOURCES}, "  ")))
                if not others[0]:
                    answers[var_name] = ""
                    return ""
        answer = ask(var_name, default_value, prompts, "  ")  # no "[n/15]": fewer questions are asked
        answers[var_name] = str(answer)
        return answer

    read_user_variable.short_interview = True  # type: ignore[attr-defined]
    prompt_module.read_user_variable = read_user_variable

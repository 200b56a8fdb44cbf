"""Stage contracts: what each pipeline stage requires and produces, checked before a run.

Each stage function is decorated with ``@stage(requires=..., produces=...)``, as spaCy's
components declare what they require and assign; ``check_order`` (run by the pipeline before
it reads the text) makes sure every stage comes after the stages that produce what it needs.
The data names are the findings the pipeline passes along: "paragraphs", "quotes", "parse",
"characters", "speakers"...
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from fabula.errors import StageError

CONTRACT_ATTRIBUTE = "__fabula_contract__"
# Every kind of character mention, as the stages that use all of them require it.
MENTIONS = frozenset(
    {"name_mentions", "pronoun_mentions", "quoted_pronoun_mentions", "description_mentions"}
)
Function = TypeVar("Function", bound=Callable)


@dataclass(frozen=True, slots=True)
class Contract:
    name: str  # the stage function's qualified name
    requires: frozenset[str]
    produces: frozenset[str]


def stage(*, requires: Iterable[str], produces: Iterable[str]) -> Callable[[Function], Function]:
    """Declare a stage function's contract (the function itself is unchanged)."""

    def declare(function: Function) -> Function:
        contract = Contract(
            f"{function.__module__}.{function.__qualname__}",
            frozenset(requires),
            frozenset(produces),
        )
        setattr(function, CONTRACT_ATTRIBUTE, contract)
        return function

    return declare


def contract_of(function: Callable) -> Contract:
    contract = getattr(function, CONTRACT_ATTRIBUTE, None)
    if contract is None:
        raise StageError("pipeline", f"{function.__qualname__} declares no stage contract")
    return contract


def check_order(stages: Sequence[Callable], given: Iterable[str]) -> None:
    """Raise ``StageError`` unless each stage's requirements are ``given`` or produced by a
    stage before it, and no two stages produce the same finding.

    >>> # check_order([parse_text, find_paragraphs], {"text"})  ->  StageError: parse_text
    >>> # requires paragraphs, which no earlier stage produces
    """
    available = set(given)
    for function in stages:
        contract = contract_of(function)
        missing = contract.requires - available
        if missing:
            raise StageError(
                "pipeline",
                f"{contract.name} requires {', '.join(sorted(missing))},"
                " which no earlier stage produces",
            )
        again = contract.produces & available
        if again:
            raise StageError(
                "pipeline", f"{contract.name} produces {', '.join(sorted(again))} again"
            )
        available |= contract.produces

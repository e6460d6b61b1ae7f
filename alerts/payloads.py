"""What an alert says, as detection writes it and delivery reads it.

An `Alert` row keeps its payload as JSON. Detection builds one of these
dataclasses and stores `to_json(payload)`; every reader (the email, the
digest, the web view, the CLI) gets the same dataclass back through
`read_payload`, so a field that nothing writes cannot be read by mistake.
Reading is lenient about rows written by older versions (a missing field
takes its default, an unknown one is ignored) and strict about shape: a list
or object field holding something else raises PayloadError.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeAlias

FIGURE_CHANGE = "figure_change"
NEW_RAID = "new_raid"


@dataclass(frozen=True)
class WhyFired:
    """What a journalist checks before acting on a figure change: the claim matched,
    the scope phrase that matched it, and whether the value is a running total."""

    claim: str | None = None
    claim_key: str = ""
    seed_quote: str | None = None
    scope: str = "nationwide"
    scope_stated: bool = False
    cumulative: bool = False
    value_kind: str = "new figure"
    statement: str = "current"


@dataclass(frozen=True)
class FigureChange:
    """A current figure for a seed claim that differs from its last known value."""

    kind: ClassVar[str] = FIGURE_CHANGE
    claim: str | None = None
    claim_key: str = ""
    label: str = ""
    seed_value: Any = None
    previous_value: Any = None
    new_value: Any = None
    previous_qualifier: str | None = None
    qualifier: str | None = None
    quote: str = ""
    urls: tuple[str, ...] = ()
    published: str | None = None
    article_id: int | None = None
    why: WhyFired = field(default_factory=WhyFired)


@dataclass(frozen=True)
class NewRaid:
    """The first report of an operation that matches no raid already known."""

    kind: ClassVar[str] = NEW_RAID
    raid_key: str = ""
    location: str | None = None
    place: str | None = None
    date: str | None = None  # ISO day, or YYYY-MM when only the month is known
    site: str | None = None
    arrested: int | None = None
    rescued: int | None = None
    nationalities: tuple[str, ...] = ()
    quote: str = ""
    urls: tuple[str, ...] = ()
    published: str | None = None
    article_id: int | None = None


class PayloadError(ValueError):
    """A stored payload whose lists or objects are not what detection writes."""


AlertPayload: TypeAlias = FigureChange | NewRaid
_BY_KIND: dict[str, type[FigureChange] | type[NewRaid]] = {
    FIGURE_CHANGE: FigureChange, NEW_RAID: NewRaid}
_TUPLES = frozenset({"urls", "nationalities"})


def to_json(payload: AlertPayload) -> dict[str, Any]:
    """The JSON object stored in `Alert.payload` (lists for tuples, `kind` included)."""
    data = dataclasses.asdict(payload)
    for name in _TUPLES & data.keys():
        data[name] = list(data[name])
    return {"kind": payload.kind, **data}


def read_payload(kind: str, data: Mapping[str, Any] | None) -> AlertPayload | None:
    """The dataclass of a stored payload, or None for a kind this version does not know."""
    cls = _BY_KIND.get(kind)
    if cls is None:
        return None
    return _build(cls, data or {})


def _build(cls: type[Any], data: Mapping[str, Any]) -> Any:
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name not in data or data[f.name] is None and f.name in _TUPLES | {"why"}:
            continue
        value = data[f.name]
        if f.name in _TUPLES:
            if not isinstance(value, list | tuple):
                raise PayloadError(f"{cls.__name__}.{f.name} is not a list: {value!r}"[:200])
            value = tuple(str(v) for v in value)
        elif f.name == "why":
            if not isinstance(value, Mapping):
                raise PayloadError(f"{cls.__name__}.why is not an object: {value!r}"[:200])
            value = _build(WhyFired, value)
        values[f.name] = value
    return cls(**values)


def payload_of(alert: Any) -> AlertPayload | None:
    """The typed payload of an `Alert` row (anything with `.kind` and `.payload`)."""
    return read_payload(alert.kind, alert.payload)


def seed_quote_of(payload: AlertPayload | None) -> str | None:
    """The seed's sentence for a figure change's claim, as recorded when it fired."""
    return payload.why.seed_quote if isinstance(payload, FigureChange) else None


def raid_key_of(payload: AlertPayload | None) -> str | None:
    """The raid a new-raid payload is of (its reports cite more articles), else None."""
    return payload.raid_key or None if isinstance(payload, NewRaid) else None

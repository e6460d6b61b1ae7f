"""Per-source counts of one crawl pass, and the summary the CLI and daemon read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

MAX_ERRORS_KEPT = 20


@dataclass(frozen=True)
class SourceSummary:
    """What one pass did for one source; `error` is None when nothing failed."""

    source: str
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    error: str | None = None
    kind: str | None = None
    # Entries not requested because their link cannot be (mailto:, a bad port,
    # a URL too long to store), and what was skipped: no failure, nothing lost.
    skipped: int = 0
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SourceTally:
    """Mutable counters a spider and its pipeline update while crawling."""

    source: str
    source_id: int
    fetched: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    scheduled: int = 0
    kind: str | None = None
    skipped: int = 0
    errors: list[str] = field(default_factory=list)
    skip_notes: list[str] = field(default_factory=list)
    on_change: Callable[[SourceTally], None] | None = None

    def bump(self, what: str, n: int = 1) -> None:
        setattr(self, what, getattr(self, what) + n)
        if self.on_change is not None:
            self.on_change(self)

    def fail(self, message: str) -> None:
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(message)
        self.bump("failed")

    def note(self, message: str) -> None:
        """A problem worth reporting on the source that lost nothing (e.g. a
        malformed feed whose entries were still read)."""
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(message)
        if self.on_change is not None:
            self.on_change(self)

    def skip(self, count: int, message: str) -> None:
        """Entries left out on purpose (unrequestable links): counted, not failures."""
        if len(self.skip_notes) < MAX_ERRORS_KEPT:
            self.skip_notes.append(message)
        self.bump("skipped", count)

    def error_text(self) -> str | None:
        """One clear message: the first problem, and how many more failures there were."""
        if not self.errors:
            return None
        more = max(self.failed - 1, len(self.errors) - 1)
        return self.errors[0] + (f" (and {more} more failure{'s' if more > 1 else ''})"
                                 if more > 0 else "")

    def summary(self) -> SourceSummary:
        return SourceSummary(self.source, self.fetched, self.new, self.updated, self.unchanged,
                             self.failed, self.error_text(), self.kind, self.skipped,
                             "; ".join(self.skip_notes[:3]) or None)

"""A live progress display for a crawl on a terminal (rich, on stderr)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from crawler.passes.tally import SourceTally


class CrawlProgress:
    """One line per source with its running counts; updated from tally changes."""

    def __init__(self, tallies: list[SourceTally]) -> None:
        self._progress = Progress(
            SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
            console=Console(stderr=True), transient=False,
        )
        self._tasks = {}
        for tally in tallies:
            self._tasks[tally.source_id] = self._progress.add_task(self._line(tally), total=None)
            tally.on_change = self._update
        self._progress.start()

    @staticmethod
    def _line(t: SourceTally) -> str:
        return (f"[bold]{t.source}[/bold]  fetched {t.fetched}  new {t.new}  "
                f"updated {t.updated}  unchanged {t.unchanged}  failed {t.failed}")

    def _update(self, tally: SourceTally) -> None:
        self._progress.update(self._tasks[tally.source_id], description=self._line(tally))

    def stop(self) -> None:
        for task in self._tasks.values():
            self._progress.update(task, total=1, completed=1)
        self._progress.stop()

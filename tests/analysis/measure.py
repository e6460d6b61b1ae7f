"""Statement-level and alert-level quality of analysis on the labelled corpora.

    python -m tests.analysis.measure                     # dev and dev2, both halves of dev2
    python -m tests.analysis.measure --details dev2:1-7  # misses and false statements of a part
    python -m tests.analysis.measure --json

Each corpus is stored phase by phase as the crawler would and analysed
(`corpus_loader.run_corpus`), then measured three ways:

- **figure statements**: every labelled figure (claim, value, current) of a
  relevant original article against the observations analysis stored for its
  latest revision; "value" also counts a statement whose current/background
  call was wrong.
- **raid mentions**: every labelled raid (province, date ±3 days, as score.py
  matches) against the raid events analysis extracts from the article.
- **alerts**: score.py's own matching of expected and raised alerts, also per
  part of the corpus (by the phase at which an alert was raised or expected).

dev2's phases 8–14 are the held-out half: its figures are printed, never its
details (`--details` refuses it unless `--peek` is given).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from alerts.analysis.raids import extract_raids
from alerts.detect import REVISION_WINDOW, local_date
from store.config import Config
from store.db import make_engine, session_scope, upgrade
from store.models import Article, Claim, FigureObservation
from tests.analysis.corpus_loader import run_corpus, score
from tests.support import CLAIMS_JSON, SHARED

sys.path.insert(0, str(SHARED / "tools"))
from replaylib.corpus import load_corpus  # noqa: E402
from replaylib.outlets import Layout  # noqa: E402
from scorelib.alerts import match_figure_changes, match_raids, read_alerts  # noqa: E402
from scorelib.expected import compute_expected, load_claims  # noqa: E402
from scorelib.values import (RAID_DATE_TOLERANCE_DAYS, date_interval,  # noqa: E402
                             interval_distance, normalize_province, try_normalize_value)

CORPORA = {"dev": SHARED / "corpus" / "dev", "dev2": SHARED / "corpus" / "dev2"}
# Parts reported per corpus: (name, first phase, last phase).
PARTS = {"dev": [("all", 1, 99)], "dev2": [("all", 1, 99), ("1-7", 1, 7), ("8-14", 8, 14)]}
HELD_OUT = {("dev2", "8-14")}


@dataclass
class Tally:
    """Matched, produced and expected counts of one kind, with the misses kept."""

    matched: int = 0
    produced: int = 0
    expected: int = 0
    misses: list[str] = field(default_factory=list)
    false: list[str] = field(default_factory=list)

    def prf(self) -> dict[str, float]:
        p = self.matched / self.produced if self.produced else 1.0
        r = self.matched / self.expected if self.expected else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                "matched": self.matched, "produced": self.produced, "expected": self.expected}


@dataclass
class PartResult:
    figures: Tally = field(default_factory=Tally)
    figure_values: Tally = field(default_factory=Tally)
    raids: Tally = field(default_factory=Tally)
    alert_figures: Tally = field(default_factory=Tally)
    alert_raids: Tally = field(default_factory=Tally)
    relevance: dict[str, float] = field(default_factory=dict)


def _in(phase: int, part: tuple[str, int, int]) -> bool:
    return part[1] <= phase <= part[2]


def _claim_keys(session: Any, claims: dict) -> dict[int, str]:
    """Our claim ids → claims.json keys, by seed value (as score.py names claims)."""
    by_value = {try_normalize_value(c["value"]): c["key"] for c in claims["claims"]}
    return {c.id: by_value.get(try_normalize_value(c.value), c.key)
            for c in session.scalars(select(Claim))}


def _figure_statements(labels: dict) -> list[tuple[str, Any, bool, str]]:
    if not labels.get("relevant"):
        return []
    return [(f["claim"], try_normalize_value(f["value"]), bool(f.get("current", True)),
             str(f.get("quote", ""))) for f in labels.get("figures") or []]


def _count(tally: Tally, expected: list[tuple], found: list[tuple], where: str) -> None:
    """Multiset match of (key...) tuples; the last element of each is its quote."""
    left = Counter(e[:-1] for e in found)
    tally.expected += len(expected)
    tally.produced += len(found)
    for e in expected:
        if left[e[:-1]] > 0:
            left[e[:-1]] -= 1
            tally.matched += 1
        else:
            tally.misses.append(f"{where}: {e[:-1]} «{e[-1]}»")
    want = Counter(e[:-1] for e in expected)
    for f in found:
        if want[f[:-1]] > 0:
            want[f[:-1]] -= 1
        else:
            tally.false.append(f"{where}: {f[:-1]} «{f[-1][:160]}»")


def _raid_mentions(labels: dict) -> list[tuple[str, Any, str]]:
    if not labels.get("relevant"):
        return []
    return [(normalize_province(r.get("location")), date_interval(str(r.get("date"))),
             f"{r.get('raid')} {r.get('location')} {r.get('date')} {r.get('site') or ''}")
            for r in labels.get("raids") or []]


def _match_raids(tally: Tally, expected: list[tuple], found: list[tuple], where: str) -> None:
    tally.expected += len(expected)
    tally.produced += len(found)
    free = list(found)
    for e in expected:
        hit = next((f for f in free if f[0] == e[0] and e[1] and f[1]
                    and interval_distance(e[1], f[1]) <= RAID_DATE_TOLERANCE_DAYS), None)
        if hit is None:
            tally.misses.append(f"{where}: {e[2]}")
        else:
            free.remove(hit)
            tally.matched += 1
    tally.false.extend(f"{where}: {f[0]} {f[1][0] if f[1] else None} «{f[2][:160]}»" for f in free)


def _events(row: Article) -> list[tuple[str, Any, str]]:
    published = local_date(row.published)
    latest = None
    if row.revision > 1 and row.updated_at is not None:
        latest = max(published, min(local_date(row.updated_at), published + REVISION_WINDOW))
    out = []
    for ev in extract_raids(row.title or "", row.text or "", published, latest):
        day = ev.date.isoformat() if ev.precision == "day" else ev.date.isoformat()[:7]
        out.append((normalize_province(ev.location), date_interval(day), ev.quote))
    return out


def statement_level(engine: Any, corpus: Any, claims: dict, parts: list, results: dict) -> None:
    layout = Layout.for_mode("ips", 8800)
    with session_scope(engine) as session:
        keys = _claim_keys(session, claims)
        rows = {a.url: a for a in session.scalars(select(Article))}
        for article in corpus.articles:
            if article.phase == 0:
                continue
            o = corpus.original(article.id)
            row = rows.get(layout.url(o.outlet, o.path))
            if row is None:
                continue
            labels = article.labels_at(corpus.max_phase)
            obs = session.scalars(select(FigureObservation).where(
                FigureObservation.article_id == row.id,
                FigureObservation.revision == row.revision)).all()
            found = [(keys.get(x.claim_id, "?"), try_normalize_value(x.value), bool(x.current),
                      x.quote or "") for x in obs] if row.duplicate_of_id is None else []
            expected = _figure_statements(labels)
            raids_found = _events(row) if row.relevant and row.duplicate_of_id is None else []
            for part in parts:
                if not _in(article.phase, part):
                    continue
                res = results[part[0]]
                _count(res.figures, expected, found, article.id)
                _count(res.figure_values, [e[:2] + e[3:] for e in expected],
                       [f[:2] + f[3:] for f in found], article.id)
                _match_raids(res.raids, _raid_mentions(labels), raids_found, article.id)


def alert_level(corpus_dir: Path, corpus: Any, claims: dict, alerts_path: Path,
                phase_of_alert: dict[int, int], parts: list, results: dict) -> None:
    expected = compute_expected(corpus, claims, Layout.for_mode("ips", 8800))
    produced = read_alerts(alerts_path)
    for part in parts:
        res = results[part[0]]
        def mine(a: Any) -> bool:
            return _in(phase_of_alert.get(a.data.get("id"), 0), part)
        for tally, exp, prod, match in (
                (res.alert_figures, expected.changes, produced.figure_changes, match_figure_changes),
                (res.alert_raids, expected.raids, produced.raids, match_raids)):
            exp_part = [e for e in exp if _in(e.phase, part)]
            prod_part = [a for a in prod if mine(a)]
            m = match(exp_part, prod_part, claims) if match is match_figure_changes \
                else match(exp_part, prod_part)
            tally.matched += len(m.matches)
            tally.expected += len(exp_part)
            tally.produced += len(prod_part)
            tally.misses += [e.describe() + (f" «{getattr(e, 'quote', '')}»") for e in m.misses]
            tally.false += [f"{a.describe()} — {why} «{str(a.data.get('quote'))[:160]}»"
                            for a, why in m.false_alarms]


def measure(name: str, corpus_dir: Path, config: Config | None = None) -> dict[str, PartResult]:
    corpus = load_corpus(corpus_dir)
    claims = load_claims(CLAIMS_JSON)
    parts = PARTS.get(name, [("all", 1, 99)])
    results = {p[0]: PartResult() for p in parts}
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'measure.db'}")
        upgrade(engine)
        summaries, alerts_path, articles_path = run_corpus(engine, corpus_dir, config or Config(),
                                                           Path(tmp))
        results[parts[0][0]].relevance = score(corpus_dir, alerts_path, articles_path).relevance
        phase_of_alert = {aid: i + 1 for i, s in enumerate(summaries) for aid in s.alert_ids}
        statement_level(engine, corpus, claims, parts, results)
        alert_level(corpus_dir, corpus, claims, alerts_path, phase_of_alert, parts, results)
        engine.dispose()
    return results


def _row(label: str, t: Tally) -> str:
    s = t.prf()
    return (f"  {label:<22} P {s['precision']:.3f}  R {s['recall']:.3f}  F1 {s['f1']:.3f}"
            f"   ({t.matched} of {t.expected} expected, {t.produced} produced)")


def report(name: str, results: dict[str, PartResult]) -> list[str]:
    lines = []
    for part, res in results.items():
        lines.append(f"{name} [{part}]")
        lines.append(_row("figure statements", res.figures))
        lines.append(_row("  (value, any current)", res.figure_values))
        lines.append(_row("raid mentions", res.raids))
        lines.append(_row("alerts: figure_change", res.alert_figures))
        lines.append(_row("alerts: new_raid", res.alert_raids))
        if res.relevance:
            r = res.relevance
            lines.append(f"  {'relevance':<22} P {r['precision']:.3f}  R {r['recall']:.3f}"
                         f"  F1 {r['f1']:.3f}")
    return lines


def details(name: str, part: str, res: PartResult) -> list[str]:
    out = [f"== {name} [{part}] details"]
    for label, t in (("figure statements", res.figures), ("raid mentions", res.raids),
                     ("alert figure_change", res.alert_figures), ("alert new_raid", res.alert_raids)):
        out.append(f"-- {label}: missed")
        out += ["   " + m for m in t.misses]
        out.append(f"-- {label}: false")
        out += ["   " + m for m in t.false]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", nargs="*", default=list(CORPORA), help="dev, dev2, or a folder")
    ap.add_argument("--details", action="append", default=[],
                    help="NAME:PART whose misses and false statements to print (e.g. dev2:1-7)")
    ap.add_argument("--peek", action="store_true", help="allow --details on the held-out half")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    out: dict[str, Any] = {}
    lines: list[str] = []
    started = dt.datetime.now()
    for name in args.corpus:
        folder = CORPORA.get(name, Path(name))
        results = measure(name, folder)
        out[name] = {part: {k: getattr(r, k).prf() for k in
                            ("figures", "figure_values", "raids", "alert_figures", "alert_raids")}
                     | {"relevance": r.relevance}
                     for part, r in results.items()}
        lines += report(name, results)
        for want in args.details:
            wname, _, wpart = want.partition(":")
            if wname != name:
                continue
            if (wname, wpart) in HELD_OUT and not args.peek:
                lines.append(f"(details of held-out {want} not shown)")
                continue
            if wpart in results:
                lines += details(name, wpart, results[wpart])
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        print("\n".join(lines))
        print(f"({(dt.datetime.now() - started).total_seconds():.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

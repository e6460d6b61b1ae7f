"""The thin database layer of analysis: pending articles in, findings and alerts out.

`analyse_pending(session, config)` takes every article that needs analysis in
(published, id) order, judges its relevance, and for relevant originals (not
syndicated copies) records figure observations and raid reports, raises
`figure_change` and `new_raid` alerts (unique `dedup_key`, so analysing again
never duplicates one) and moves each claim's last known value. A revision
alerts only for what it adds to the article's earlier observations.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from alerts.analysis.claims import ClaimSpec, json_value
from alerts.analysis.matching import Observation, find_observations, without_restated_headline
from alerts.analysis.raids import extract_raids
from alerts.analysis.relevance import RelevanceModel
from alerts.detect_raids import raid_evidence, record_raids
from alerts.payloads import FigureChange, WhyFired
from alerts.raising import AnalysisSummary, iso_moment, raise_alert
from store.config import Config
from store.models import Article, Claim, FigureObservation

# Relative dates ("on Saturday") are resolved in the story's own time zone.
STORY_ZONE = ZoneInfo("Asia/Phnom_Penh")  # the default of [seed] timezone
# A revision may name days after the first publication, within this window.
REVISION_WINDOW = dt.timedelta(days=31)


def relevance_model(config: Config) -> RelevanceModel:
    r = config.relevance
    return RelevanceModel.build(r.threshold, r.topic_terms, r.place_terms)


def claim_spec(claim: Claim) -> ClaimSpec:
    return ClaimSpec.from_stored(claim.key, claim.value, claim.qualifier, list(claim.context or []),
                                 claim.scope_place, claim.scope_period, claim.measure, claim.quote)


def story_zone(config: Config) -> ZoneInfo:
    """[seed] timezone: the zone an article's day and relative dates are read in."""
    return ZoneInfo(config.seed.timezone)


def local_date(moment: dt.datetime | None, zone: ZoneInfo = STORY_ZONE) -> dt.date:
    if moment is None:
        return dt.datetime.now(zone).date()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(zone).date()


def same_value(a: Any, b: Any) -> bool:
    """Values equal for alerting: [x, x] is x; qualifiers do not count."""
    def norm(v: Any) -> Any:
        if isinstance(v, (list, tuple)):
            lo, hi = float(v[0]), float(v[1])
            return lo if lo == hi else (lo, hi)
        if isinstance(v, (int, float)):
            return float(v)
        text = re.sub(r"[\s\W_]+", "", str(v)).lower()
        return float(text) if text.isdigit() else text
    return norm(a) == norm(b)


@dataclass(frozen=True)
class ClaimSet:
    """The run's claims and their specs as matching needs them, built once per
    `analyse_pending`: rebuilding thousands of specs per article cost more than
    matching. (A spec does not change during a run; current values are read
    from the claims themselves.)"""

    claims: list[Claim]
    specs: list[ClaimSpec]

    @classmethod
    def of(cls, claims: list[Claim]) -> ClaimSet:
        return cls(list(claims), [claim_spec(c) for c in claims])


# Any constant shared by every process that analyses (the daemon, `crawl`, a
# coordinator): PostgreSQL's advisory lock keyed by it serialises analysis.
ANALYSIS_LOCK_KEY = 0x636F6D70  # "comp"


def serialise_analysis(session: Session) -> None:
    """Hold the analysis lock until the transaction ends.

    Figure changes depend on the order in which articles are analysed, so two
    processes must not analyse at once. On PostgreSQL a transaction-scoped
    advisory lock does it; on SQLite every transaction already begins with
    BEGIN IMMEDIATE (store.db), which takes the single write lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ANALYSIS_LOCK_KEY})


def analyse_pending(session: Session, config: Config) -> AnalysisSummary:
    """Analyse every article with needs_analysis set; idempotent and safe to repeat."""
    serialise_analysis(session)
    summary = AnalysisSummary()
    model = relevance_model(config)
    zone = story_zone(config)
    claims = ClaimSet.of(list(session.scalars(
        select(Claim).where(Claim.muted.is_(False)).order_by(Claim.id))))
    pending = session.scalars(
        select(Article).where(Article.needs_analysis.is_(True))
        .order_by(Article.published.is_(None), Article.published, Article.id)
    ).all()
    earlier = earlier_observations(session, [a.id for a in pending])
    for article in pending:
        analyse_article(session, article, claims, model, summary, zone,
                        earlier.get(article.id, []))
        # Rows this article added or removed go out now (as their ids always did);
        # articles that only changed their own columns are written together later.
        if session.new or session.deleted:
            session.flush()
    return summary


# Article ids per query when loading earlier observations (below SQLite's
# and PostgreSQL's limits on bound parameters).
_IDS_PER_QUERY = 500


def earlier_observations(session: Session, article_ids: list[int]
                         ) -> dict[int, list[FigureObservation]]:
    """The stored observations of these articles, by article, in a few queries
    rather than two per article. Only an article's own analysis adds to its
    observations, so what is loaded before the run is what each article would
    have found when its turn came."""
    out: dict[int, list[FigureObservation]] = {}
    for i in range(0, len(article_ids), _IDS_PER_QUERY):
        chunk = article_ids[i:i + _IDS_PER_QUERY]
        for obs in session.scalars(select(FigureObservation)
                                   .where(FigureObservation.article_id.in_(chunk))
                                   .order_by(FigureObservation.id)):
            out.setdefault(obs.article_id, []).append(obs)
    return out


def analyse_article(session: Session, article: Article, claims: ClaimSet,
                    model: RelevanceModel, summary: AnalysisSummary,
                    zone: ZoneInfo = STORY_ZONE,
                    stored: list[FigureObservation] | None = None) -> None:
    """Judge one article and record what a relevant original says.

    `stored`: the article's observations already in the database (None: query them)."""
    title = article.title or ""
    text = analysed_text(article)
    body = f"{title}\n{text}"
    published = local_date(article.published or article.fetched_at, zone)
    # Sentences stating a seed figure tie an article to the story.
    evidence = len({o.quote for o in find_observations(text, claims.specs, published)})
    latest = None
    if article.revision > 1:
        updated = local_date(article.updated_at, zone) if article.updated_at else published
        latest = max(published, min(updated, published + REVISION_WINDOW))
    events = extract_raids(title, text, published, latest)
    verdict = model.judge(title, text, evidence + raid_evidence(events))
    article.relevance, article.relevant = verdict.score, verdict.relevant
    summary.analysed += 1
    if verdict.relevant:
        summary.relevant += 1
    if verdict.relevant and article.duplicate_of_id is None:
        if stored is None:
            stored = list(session.scalars(select(FigureObservation).where(
                FigureObservation.article_id == article.id).order_by(FigureObservation.id)))
        _figures(session, article, body, published, claims, summary, stored)
        record_raids(session, article, events, summary)
    article.needs_analysis = False
    article.analysed_revision = article.revision


# Marks the page's parts that are not its body, so that a quote taken from
# one says where it came from.
STANDFIRST_MARK = "[Standfirst] "
CAPTION_MARK = "[Caption] "
HEADLINE_MARK = "[Headline] "


def headline_marked(observations: list[Observation], title: str) -> list[Observation]:
    """The observations with a quote taken from the headline marked as the headline's,
    as a caption's is: a figure stated only there is still stated, and the journalist
    sees where it came from."""
    head = title.strip()
    return [replace(o, quote=HEADLINE_MARK + o.quote) if head and o.quote and o.quote in head
            else o for o in observations]


def analysed_text(article: Article) -> str:
    """The body, then the marked standfirst and the captions, each its own
    paragraph and marked as such: a figure or a raid stated only there is
    still stated. A part the body already holds is not repeated."""
    body = article.text or ""
    parts = [body]
    seen = " ".join(body.split()).casefold()
    extras = [(STANDFIRST_MARK, article.standfirst)]
    extras += [(CAPTION_MARK, c) for c in (article.captions or []) if isinstance(c, str)]
    for mark, part in extras:
        flat = " ".join((part or "").split())
        if flat and flat.casefold() not in seen:
            parts.append(mark + flat)
            seen += " " + flat.casefold()
    return "\n\n".join(p for p in parts if p)


def _figures(session: Session, article: Article, body: str, published: dt.date,
             claims: ClaimSet, summary: AnalysisSummary,
             stored: list[FigureObservation]) -> None:
    by_key = {c.key: c for c in claims.claims}
    specs = claims.specs
    last = {c.key: c.current_value for c in claims.claims}
    # What this article said before (an earlier revision, or this one analysed
    # again) cannot alert a second time: only what a revision adds may.
    known = {(o.claim_id, repr(o.value)) for o in stored
             if o.revision <= article.revision and o.current}
    for old in stored:
        if old.revision == article.revision:
            session.delete(old)
    title = article.title or ""
    found = without_restated_headline(find_observations(body, specs, published, last), title)
    for obs in headline_marked(found, title):
        claim = by_key[obs.claim_key]
        value = json_value(obs.value)
        outcome = "background"
        if obs.current:
            if (claim.id, repr(value)) in known:
                outcome = "repeated"
            elif same_value(value, claim.current_value):
                outcome = "corroboration"
            else:
                outcome = "change"
                _figure_alert(session, article, claim, obs, value, summary)
                claim.current_value, claim.current_qualifier = value, obs.qualifier
                claim.current_article_id = article.id
                last[claim.key] = value
        session.add(FigureObservation(
            claim_id=claim.id, article_id=article.id, revision=article.revision, value=value,
            qualifier=obs.qualifier, current=obs.current, quote=obs.quote, outcome=outcome))
        summary.observations += 1


def _figure_alert(session: Session, article: Article, claim: Claim, obs: Observation,
                  value: Any, summary: AnalysisSummary) -> None:
    payload = FigureChange(
        claim=claim.measure, claim_key=claim.key,
        label=claim.label or claim.key.replace("_", " "),
        seed_value=claim.value, previous_value=claim.current_value, new_value=value,
        previous_qualifier=claim.current_qualifier or claim.qualifier,
        qualifier=obs.qualifier, quote=obs.quote, urls=(article.url,),
        published=iso_moment(article.published), article_id=article.id,
        why=why_fired(claim, obs))
    key = f"figure_change:{claim.key}:{article.id}:{_value_key(claim.current_value)}->{_value_key(value)}"
    raise_alert(session, key, payload, article, summary)


def why_fired(claim: Claim, obs: Observation) -> WhyFired:
    """What a journalist checks before acting on a figure change: the claim matched,
    the phrase that matched its scope, and whether the value is a running total since
    the claim's own start (cumulative) or a new figure stated without that period."""
    return WhyFired(
        claim=claim.measure, claim_key=claim.key, seed_quote=claim.quote,
        scope=obs.scope or claim.scope_period or "nationwide", scope_stated=bool(obs.scope),
        cumulative=obs.cumulative,
        value_kind="cumulative" if obs.cumulative else "new figure")


def _value_key(value: Any) -> str:
    return re.sub(r"\s+", "", str(value))

"""Reading a seed article (plain text, HTML, a corpus JSON article, or a URL)
and storing its baseline: the document, its claims, its entities, and the
raid it reports itself (known from the start, never a new-raid alert).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts.analysis.claims import SeedClaim, extract_claims, infer_published, json_value
from alerts.analysis.entities import FoundEntity, extract_entities
from alerts.analysis.raids import RaidEvent, extract_raids
from alerts.detect_raids import find_raid
from alerts.safe_fetch import FetchLimits, FetchRefused, fetch
from store.models import Claim, Entity, EntityAlias, Raid, SeedDocument

MAX_SEED_BYTES = 5_000_000
FETCH_TIMEOUT = 30
USER_AGENT = "compoundwatch/0.1 (seed reader)"


class SeedError(Exception):
    """A seed cannot be read; the message says what to do."""


@dataclass
class SeedText:
    location: str
    title: str
    text: str
    published: dt.date | None


@dataclass
class SeedResult:
    """What reading one seed stored."""

    document_id: int
    location: str
    claims: list[Claim] = field(default_factory=list)
    entities: list[FoundEntity] = field(default_factory=list)
    raids: list[RaidEvent] = field(default_factory=list)


def read_seed(location: str, base_dir: Path | None = None,
              limits: FetchLimits | None = None) -> SeedText:
    """The seed's title, text and date from a path or an http(s) URL.

    A URL is fetched under `limits` (by default: public addresses only, the
    crawler's size, time and redirect limits)."""
    if re.match(r"https?://", location, re.IGNORECASE):
        data, kind = _fetch(location, limits or FetchLimits())
    else:
        path = Path(location).expanduser()
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        if not path.is_file():
            raise SeedError(f"the seed file {path} does not exist: give a path or an http(s) URL")
        data = path.read_bytes()[:MAX_SEED_BYTES]
        kind = path.suffix.lower()
    return parse_seed(location, data, kind)


def _fetch(url: str, limits: FetchLimits) -> tuple[bytes, str]:
    limits = FetchLimits(limits.allow_private, min(limits.timeout, FETCH_TIMEOUT),
                         min(limits.max_bytes, MAX_SEED_BYTES), limits.max_redirects, USER_AGENT)
    try:
        fetched = fetch(url, limits)
    except FetchRefused as exc:
        raise SeedError(f"could not fetch the seed {url}: {exc}") from None
    return fetched.body, ".html" if "html" in fetched.content_type.lower() else ".txt"


def parse_seed(location: str, data: bytes, kind: str = "") -> SeedText:
    """Plain text, HTML (through trafilatura) or a corpus article in JSON."""
    text = data.decode("utf-8", errors="replace")
    stripped = text.lstrip()
    if kind == ".json" or stripped.startswith("{"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SeedError(f"the seed {location} is not valid JSON: {exc}") from None
        paragraphs = [p.removeprefix("## ") for p in doc.get("paragraphs", [])]
        body = "\n".join(([doc["image_caption"]] if doc.get("image_caption") else []) + paragraphs)
        published = _date(doc.get("published"))
        return SeedText(location, doc.get("title", ""), body, published or infer_published(body))
    if kind in (".html", ".htm") or stripped[:200].lower().startswith(("<!doctype", "<html")):
        return _from_html(location, text)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    title = _guess_title(lines)
    return SeedText(location, title, text, infer_published(text))


def _from_html(location: str, html: str) -> SeedText:
    import trafilatura

    body = trafilatura.extract(html, include_comments=False, include_tables=False) or ""
    meta = trafilatura.extract_metadata(html)
    title = (meta.title if meta and meta.title else "") or ""
    published = _date(meta.date if meta else None) or infer_published(body)
    if not body.strip():
        raise SeedError(f"no article text found in {location}")
    return SeedText(location, title, body, published)


def _guess_title(lines: list[str]) -> str:
    # A title is a short line without a final full stop near the top.
    for line in lines[:4]:
        if len(line) < 160 and not line.endswith(".") and len(line.split()) >= 4:
            return line
    return lines[0] if lines else ""


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def ingest_seed(session: Session, seed: SeedText) -> SeedResult:
    """Store a seed's document, claims, entities and own raid; repeat-safe.

    Reading the same seed again keeps its claims' last known values."""
    published = seed.published or dt.date.today()
    digest = hashlib.sha256(seed.text.encode()).hexdigest()
    doc = session.scalar(select(SeedDocument).where(SeedDocument.location == seed.location))
    if doc is None:
        doc = SeedDocument(location=seed.location, title=seed.title, text=seed.text,
                           content_hash=digest,
                           published=dt.datetime.combine(published, dt.time(), dt.timezone.utc))
        session.add(doc)
        session.flush()
    else:
        doc.title, doc.text, doc.content_hash = seed.title, seed.text, digest
    result = SeedResult(doc.id, seed.location)
    existing = {c.key: c for c in session.scalars(select(Claim).where(Claim.seed_id == doc.id))}
    others = session.scalars(select(Claim).where(Claim.seed_id != doc.id)).all()
    # A figure another seed already gave is tracked once; keys stay unique across seeds.
    elsewhere = {(repr(c.value), _primary_head(c.context)) for c in others}
    other_keys = {c.key for c in others}
    entities = extract_entities(seed.text)
    source = None
    for found in extract_claims(claim_text(seed), published):
        # Who reported it: the person named in its sentence, else the one before.
        source = source_of(found.spec.quote, entities) or source
        found.scope_source = source
        if found.spec.key not in existing:
            if (repr(json_value(found.spec.value)), found.spec.primary_head) in elsewhere:
                continue
            if found.spec.key in other_keys:
                found.spec = dataclasses.replace(found.spec, key=f"{found.spec.key}_s{doc.id}")
        result.claims.append(_store_claim(session, doc, found, existing))
    for entity in entities:
        _store_entity(session, doc, entity)
        result.entities.append(entity)
    for event in extract_raids(seed.title, seed.text, published):
        if find_raid(session, event) is None:
            _store_seed_raid(session, doc, event)
        result.raids.append(event)
    session.flush()
    return result


def claim_text(seed: SeedText) -> str:
    """The text claims are read from: the body without a leading headline, which restates
    the body's figures rounded ("passes 3,000") and would track them twice."""
    lines = seed.text.lstrip().split("\n", 1)
    if seed.title and lines[0].strip() == seed.title.strip() and len(lines) > 1:
        return lines[1]
    return seed.text


def _primary_head(context: list[str] | None) -> str:
    return next((c[5:] for c in context or [] if c.startswith("head:")), "")


def source_of(sentence: str, entities: list[FoundEntity]) -> str | None:
    """The first person (by name or alias) a sentence names."""
    best: tuple[int, str] | None = None
    for e in entities:
        if e.kind != "person":
            continue
        for name in [e.name, *e.aliases]:
            at = sentence.find(name)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, e.name)
    return best[1] if best else None


def _store_claim(session: Session, doc: SeedDocument, found: SeedClaim,
                 existing: dict[str, Claim]) -> Claim:
    spec = found.spec
    value = json_value(spec.value)
    claim = existing.get(spec.key)
    if claim is None:
        claim = Claim(seed_id=doc.id, key=spec.key, current_value=value,
                      current_qualifier=spec.qualifier)
        session.add(claim)
    claim.value, claim.qualifier, claim.measure = value, spec.qualifier, spec.measure
    claim.label = spec.label or spec.key.replace("_", " ")
    claim.context = spec.to_context()
    claim.scope_place = spec.place
    claim.scope_period = f"since {spec.period_start.isoformat()}" if spec.period_start else None
    claim.scope_source = found.scope_source
    claim.quote = spec.quote
    return claim


def _store_entity(session: Session, doc: SeedDocument, found: FoundEntity) -> None:
    entity = session.scalar(select(Entity).where(Entity.kind == found.kind,
                                                 Entity.name == found.name))
    if entity is None:
        entity = Entity(kind=found.kind, name=found.name[:300], seed_id=doc.id)
        session.add(entity)
        session.flush()
    known = {a.alias for a in entity.aliases}
    for alias in found.aliases:
        if alias not in known:
            entity.aliases.append(EntityAlias(alias=alias[:300]))
            known.add(alias)


def _store_seed_raid(session: Session, doc: SeedDocument, event: RaidEvent) -> None:
    key = f"seed{doc.id}-{event.location.lower().replace(' ', '-')}-{event.date.isoformat()}"
    if session.scalar(select(Raid).where(Raid.key == key)) is not None:
        return
    session.add(Raid(key=key, location=event.location, place=event.place, date=event.date,
                     date_precision=event.precision, site=event.site, arrested=event.arrested,
                     rescued=event.rescued, nationalities=list(event.nationalities),
                     from_seed=True))

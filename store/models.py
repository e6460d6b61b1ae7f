"""Typed SQLAlchemy 2.0 models for the whole pipeline.

The tables follow the pipeline: sources and their fetch state (crawler),
articles and revisions (extraction), seed documents, claims, entities,
figure observations and raids (analysis), alerts and deliveries (outbox).
Every datetime is timezone-aware (stored as UTC).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from store.types import UTCDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

intpk = Annotated[int, mapped_column(Integer, primary_key=True, autoincrement=True)]
timestamp = Annotated[dt.datetime, mapped_column(UTCDateTime(), default=utcnow)]
opt_timestamp = Annotated[dt.datetime | None, mapped_column(UTCDateTime(), nullable=True)]
url_str = Annotated[str, mapped_column(String(2048))]
# A claim value: a number, a [low, high] list, or a text such as "Tier 3".
ClaimValue = Any


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dt.datetime: UTCDateTime()}


# --------------------------------------------------------------------------- sources


class Source(Base):
    """A watched source: a feed, sitemap, section page or single page."""

    __tablename__ = "sources"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[url_str] = mapped_column(unique=True)
    kind: Mapped[str] = mapped_column(String(16), default="auto")
    # What `auto` resolved to on the last crawl (None until then).
    detected_kind: Mapped[str | None] = mapped_column(String(16))
    interval_seconds: Mapped[int] = mapped_column(Integer, default=1800)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    # "config" when `init` added it from config.toml, "cli" when a user did.
    origin: Mapped[str] = mapped_column(String(16), default="cli")
    created_at: Mapped[timestamp]
    # Health, written by the crawler and read by `status` and the digest.
    last_run_at: Mapped[opt_timestamp]
    last_success_at: Mapped[opt_timestamp]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[opt_timestamp]
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    next_run_at: Mapped[opt_timestamp]
    last_new_article_at: Mapped[opt_timestamp]
    # Light polling (daemon.discovery = "poll"): the interval learned from the
    # source's publication rhythm, the last poll, and the last poll that
    # found a new or updated entry.
    poll_interval_seconds: Mapped[int | None] = mapped_column(Integer)
    last_poll_at: Mapped[opt_timestamp]
    last_entry_at: Mapped[opt_timestamp]

    articles: Mapped[list[Article]] = relationship(back_populates="source")


class RemovedSource(Base):
    """A config source the user removed with the CLI, so `init` does not re-add it."""

    __tablename__ = "removed_sources"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    url: Mapped[url_str]
    removed_at: Mapped[timestamp]


class FetchState(Base):
    """HTTP validators and the last outcome for one fetched URL."""

    __tablename__ = "fetch_states"

    id: Mapped[intpk]
    url: Mapped[url_str] = mapped_column(unique=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    content_hash: Mapped[str | None] = mapped_column(String(64))
    last_status: Mapped[int | None] = mapped_column(Integer)
    # The feed/sitemap "updated"/"lastmod" marker last seen for this URL.
    entry_updated: Mapped[str | None] = mapped_column(String(64))
    fetched_at: Mapped[opt_timestamp]


# --------------------------------------------------------------------------- articles


class Article(Base):
    """One article URL with its current text; older bodies live in revisions."""

    __tablename__ = "articles"

    id: Mapped[intpk]
    url: Mapped[url_str] = mapped_column(unique=True)
    canonical_url: Mapped[str | None] = mapped_column(String(2048), index=True)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("sources.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(Text)
    published: Mapped[opt_timestamp]
    language: Mapped[str | None] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # A locality-sensitive fingerprint (simhash, hex) for near-duplicates.
    fingerprint: Mapped[str | None] = mapped_column(String(64), index=True)
    relevance: Mapped[float | None] = mapped_column(Float)
    relevant: Mapped[bool | None] = mapped_column(Boolean)
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer, default=1)
    # True when the body changed since it was last analysed.
    needs_analysis: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    analysed_revision: Mapped[int | None] = mapped_column(Integer)
    fetched_at: Mapped[timestamp]
    updated_at: Mapped[opt_timestamp]
    # The block the page marks as its standfirst (`summary` is the meta
    # description), the pictures' captions (a list of texts), and where
    # `published` was read ("json-ld", "meta", "time", "url", "feed", "trafilatura").
    standfirst: Mapped[str | None] = mapped_column(Text)
    captions: Mapped[list[str] | None] = mapped_column(JSON)
    published_from: Mapped[str | None] = mapped_column(String(16))

    source: Mapped[Source | None] = relationship(back_populates="articles")
    duplicate_of: Mapped[Article | None] = relationship(remote_side="Article.id")
    revisions: Mapped[list[ArticleRevision]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="ArticleRevision.revision"
    )


class ArticleRevision(Base):
    """A body an article URL served before (or at) a revision."""

    __tablename__ = "article_revisions"
    __table_args__ = (UniqueConstraint("article_id", "revision", name="uq_article_revisions_article_rev"),)

    id: Mapped[intpk]
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    fetched_at: Mapped[timestamp]

    article: Mapped[Article] = relationship(back_populates="revisions")


class ArticleCapture(Base):
    """Where the bytes behind one revision are archived: a WARC file, the
    offset and length of its records (response, request, metadata) and the
    SHA-256 of the body as fetched. Written in the revision's transaction,
    after the records are on disk, so it never points at a partial record."""

    __tablename__ = "article_captures"

    id: Mapped[intpk]
    revision_id: Mapped[int] = mapped_column(
        ForeignKey("article_revisions.id", ondelete="CASCADE"), unique=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    # The response record's WARC-Record-ID: the archived copy's identifier.
    record_id: Mapped[str] = mapped_column(String(100), unique=True)
    url: Mapped[url_str]
    status: Mapped[int] = mapped_column(Integer)
    warc_file: Mapped[str] = mapped_column(String(300))
    offset: Mapped[int] = mapped_column(BigInteger)
    length: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    fetched_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


# --------------------------------------------------------------------------- baseline


class SeedDocument(Base):
    """A seed article the baseline claims and entities were read from."""

    __tablename__ = "seed_documents"

    id: Mapped[intpk]
    location: Mapped[str] = mapped_column(String(2048), unique=True)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[opt_timestamp]
    text: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[timestamp]

    claims: Mapped[list[Claim]] = relationship(back_populates="seed", cascade="all, delete-orphan")


class Claim(Base):
    """A figure the seed states, and the last value known for it."""

    __tablename__ = "claims"
    __table_args__ = (UniqueConstraint("seed_id", "key", name="uq_claims_seed_key"),)

    id: Mapped[intpk]
    seed_id: Mapped[int] = mapped_column(ForeignKey("seed_documents.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    value: Mapped[ClaimValue] = mapped_column(JSON)
    qualifier: Mapped[str] = mapped_column(String(2), default="=")
    # A short readable name ("people rescued", "complaints in Preah Sihanouk").
    label: Mapped[str] = mapped_column(String(300), default="")
    # What is counted, in full ("complaints related to ... received since 18 August 2022").
    measure: Mapped[str] = mapped_column(Text)
    context: Mapped[list[str]] = mapped_column(JSON, default=list)
    scope_place: Mapped[str | None] = mapped_column(String(200))
    scope_period: Mapped[str | None] = mapped_column(String(200))
    scope_source: Mapped[str | None] = mapped_column(String(200))
    quote: Mapped[str] = mapped_column(Text)
    # The last known value (at first the seed's): figure changes compare with it.
    current_value: Mapped[ClaimValue] = mapped_column(JSON)
    current_qualifier: Mapped[str] = mapped_column(String(2), default="=")
    current_article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL")
    )
    created_at: Mapped[timestamp]
    # Muted by the user (`claims mute KEY`): kept, but no longer analysed or charted.
    muted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    seed: Mapped[SeedDocument] = relationship(back_populates="claims")
    observations: Mapped[list[FigureObservation]] = relationship(
        back_populates="claim", cascade="all, delete-orphan"
    )


class Entity(Base):
    """A person, organisation, place or event named in a seed."""

    __tablename__ = "entities"
    __table_args__ = (UniqueConstraint("kind", "name", name="uq_entities_kind_name"),)

    id: Mapped[intpk]
    seed_id: Mapped[int | None] = mapped_column(ForeignKey("seed_documents.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(300))

    aliases: Mapped[list[EntityAlias]] = relationship(
        back_populates="entity", cascade="all, delete-orphan"
    )


class EntityAlias(Base):
    __tablename__ = "entity_aliases"
    __table_args__ = (UniqueConstraint("entity_id", "alias", name="uq_entity_aliases_entity_alias"),)

    id: Mapped[intpk]
    entity_id: Mapped[int] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300))

    entity: Mapped[Entity] = relationship(back_populates="aliases")


# --------------------------------------------------------------------------- findings


class FigureObservation(Base):
    """A sentence of an article that states a value for a claim."""

    __tablename__ = "figure_observations"
    __table_args__ = (Index("ix_figure_observations_article_rev", "article_id", "revision"),)

    id: Mapped[intpk]
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    value: Mapped[ClaimValue] = mapped_column(JSON)
    qualifier: Mapped[str] = mapped_column(String(2), default="=")
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    quote: Mapped[str] = mapped_column(Text)
    # "change", "corroboration" or "background": what the observation did.
    outcome: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[timestamp]

    claim: Mapped[Claim] = relationship(back_populates="observations")
    article: Mapped[Article] = relationship()


class Raid(Base):
    """A law-enforcement operation on identified premises in Cambodia."""

    __tablename__ = "raids"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(300), unique=True)
    location: Mapped[str] = mapped_column(String(100))  # province
    place: Mapped[str | None] = mapped_column(String(300))
    date: Mapped[dt.date | None] = mapped_column(Date)
    # "day" or "month": a partial date ("2022-09") covers its month.
    date_precision: Mapped[str] = mapped_column(String(8), default="day")
    site: Mapped[str | None] = mapped_column(Text)
    arrested: Mapped[int | None] = mapped_column(BigInteger)
    rescued: Mapped[int | None] = mapped_column(BigInteger)
    nationalities: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Known at baseline (the seed's own raid): never a new-raid alert.
    from_seed: Mapped[bool] = mapped_column(Boolean, default=False)
    first_article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL")
    )
    created_at: Mapped[timestamp]

    reports: Mapped[list[RaidReport]] = relationship(
        back_populates="raid", cascade="all, delete-orphan"
    )


class RaidReport(Base):
    """An article reporting a raid (the first one, or a later source)."""

    __tablename__ = "raid_reports"
    __table_args__ = (UniqueConstraint("raid_id", "article_id", name="uq_raid_reports_raid_article"),)

    id: Mapped[intpk]
    raid_id: Mapped[int] = mapped_column(ForeignKey("raids.id", ondelete="CASCADE"))
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    quote: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[timestamp]

    raid: Mapped[Raid] = relationship(back_populates="reports")
    article: Mapped[Article] = relationship()


# --------------------------------------------------------------------------- outbox


class Alert(Base):
    """A raised alert. `dedup_key` makes re-analysis unable to raise it twice."""

    __tablename__ = "alerts"

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(32), index=True)
    dedup_key: Mapped[str] = mapped_column(String(500), unique=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[timestamp]
    # Set when the outbox queued its deliveries: a recipient added later does
    # not receive the whole history, and enqueuing twice is a no-op.
    enqueued_at: Mapped[opt_timestamp]


class Delivery(Base):
    """One message to send: an alert or a digest, to one recipient on one channel."""

    __tablename__ = "deliveries"

    id: Mapped[intpk]
    # Unique per (what, channel, recipient): enqueuing twice is a no-op.
    dedup_key: Mapped[str] = mapped_column(String(600), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # "alert" or "digest"
    alert_id: Mapped[int | None] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE"), index=True
    )
    digest_date: Mapped[dt.date | None] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(32), default="email")
    recipient: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[timestamp]
    last_error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(300))
    # Who is sending it now (for a claim by conditional update) and since when.
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[opt_timestamp]
    sent_at: Mapped[opt_timestamp]
    created_at: Mapped[timestamp]

    alert: Mapped[Alert | None] = relationship()


class Lease(Base):
    """A named lease (e.g. the daemon's) so two processes refuse to run together."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(300))
    acquired_at: Mapped[timestamp]
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


# --------------------------------------------------------------------------- feedback


class AlertFeedback(Base):
    """A journalist's mark on an alert ("wrong", "not the story") with a reason.

    The alert stays in the database; a mark only keeps it out of email and
    shows it as dismissed in `alerts --json`, the digest and the web view.
    """

    __tablename__ = "alert_feedback"

    id: Mapped[intpk]
    alert_id: Mapped[int] = mapped_column(
        ForeignKey("alerts.id", ondelete="CASCADE"), unique=True
    )
    # "wrong" or "not_story".
    verdict: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[timestamp]


# The web view lists and searches articles newest first, offers the languages
# seen and counts the relevant ones (migration 0004). Without these, each of
# those reads every row, long texts included.
Index("ix_articles_published", Article.published)
Index("ix_articles_language", Article.language)
Index("ix_articles_relevant", Article.relevant, Article.published)

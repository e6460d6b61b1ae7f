"""The story's tables: seed documents and their claims and entities, figure
observations, raids and their reports (analysis), alerts, their deliveries
(the outbox) and the desk's feedback on them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.crawl_models import Article
from store.model_base import Base, ClaimValue, intpk, opt_timestamp, timestamp

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

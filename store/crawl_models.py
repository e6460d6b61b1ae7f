"""The crawler's tables: sources and their fetch state, articles with their
revisions and archived captures, and the leases that keep two daemons apart."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.model_base import Base, intpk, opt_timestamp, timestamp, url_str
from store.types import UTCDateTime

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


class Lease(Base):
    """A named lease (e.g. the daemon's) so two processes refuse to run together."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(300))
    acquired_at: Mapped[timestamp]
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


# The web view lists and searches articles newest first, offers the languages
# seen and counts the relevant ones (migration 0004). Without these, each of
# those reads every row, long texts included.
Index("ix_articles_published", Article.published)
Index("ix_articles_language", Article.language)
Index("ix_articles_relevant", Article.relevant, Article.published)

"""Queries for watched sources: add, list, remove, pause, resume, sync from config."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from store.config import SOURCE_KINDS, SourceConfig, parse_interval
from store.models import RemovedSource, Source
from store.urls import UrlError, normalise_url


class SourceError(ValueError):
    """A source cannot be added or found; the message says why."""


@dataclass(frozen=True)
class SyncResult:
    added: tuple[str, ...]
    kept: tuple[str, ...]


def get_source(session: Session, ref: str) -> Source:
    """A source by name, or by id when `ref` is a number."""
    clauses = [Source.name == ref]
    if ref.isdigit():
        clauses.append(Source.id == int(ref))
    found = session.scalars(select(Source).where(or_(*clauses))).first()
    if found is None:
        raise SourceError(f"no source named {ref!r}; `compoundwatch sources list` shows them")
    return found


def add_source(
    session: Session,
    url: str,
    *,
    kind: str = "auto",
    name: str | None = None,
    interval_seconds: int = 1800,
    origin: str = "cli",
) -> Source:
    """Add a watched source (its URL normalised); a duplicate name or URL is a
    SourceError naming the source that already has it."""
    url = normalise_url(url)
    if kind not in SOURCE_KINDS:
        raise SourceError(f"unknown kind {kind!r}: use one of {', '.join(SOURCE_KINDS)}")
    name = name or default_name(url)
    clash = find_clash(session, name, url)
    if clash is not None:
        if clash.name == name:
            raise SourceError(f"a source named {name!r} already exists ({clash.url}); "
                              "choose another --name or remove the old one")
        raise SourceError(
            f"a source with this URL already exists: {clash.name!r} ({clash.url}); "
            f"`compoundwatch sources remove {clash.name}` first to add it again")
    # Adding a source again by hand undoes an earlier removal of it.
    for tomb in session.scalars(
        select(RemovedSource).where(or_(RemovedSource.name == name, RemovedSource.url == url))
    ):
        session.delete(tomb)
    source = Source(name=name, url=url, kind=kind, interval_seconds=interval_seconds,
                    origin=origin)
    session.add(source)
    session.flush()
    return source


def find_clash(session: Session, name: str, url: str) -> Source | None:
    """The source with this name, or whose URL normalises to the same address."""
    for source in session.scalars(select(Source).order_by(Source.id)):
        if source.name == name:
            return source
        try:
            if normalise_url(source.url) == url:
                return source
        except UrlError:
            continue
    return None


def default_name(url: str) -> str:
    """A readable default name from the URL: host and path, without scheme."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    path = parts.path.strip("/")
    return f"{parts.hostname}/{path}" if path else (parts.hostname or url)


def list_sources(session: Session) -> Sequence[Source]:
    return session.scalars(select(Source).order_by(Source.id)).all()


def active_sources(session: Session, names: Sequence[str] = ()) -> Sequence[Source]:
    """The named sources (paused included, since they were asked for), or every active one."""
    if names:
        return [get_source(session, n) for n in names]
    return session.scalars(select(Source).where(Source.paused.is_(False)).order_by(Source.id)).all()


def set_paused(session: Session, ref: str, paused: bool) -> Source:
    source = get_source(session, ref)
    source.paused = paused
    return source


def remove_source(session: Session, ref: str) -> Source:
    """Remove a source; its articles stay (their source becomes unknown).

    A tombstone remembers the removal so that `init` does not re-add a source
    of the config file that the user chose to drop.
    """
    source = get_source(session, ref)
    if session.get(RemovedSource, source.name) is None:
        session.add(RemovedSource(name=source.name, url=source.url))
    session.delete(source)
    return source


def sync_config_sources(session: Session, configured: Sequence[SourceConfig]) -> SyncResult:
    """Add the config's sources that are missing, by name; never overwrite CLI changes.

    A source whose name already exists is kept as it is (the user may have
    paused it or changed its interval); one whose URL is already watched under
    another name is not added twice.
    """
    added: list[str] = []
    kept: list[str] = []
    for sc in configured:
        url = normalise_url(sc.url)
        exists = find_clash(session, sc.name, url)
        removed = session.scalars(
            select(RemovedSource).where(
                or_(RemovedSource.name == sc.name, RemovedSource.url.in_((sc.url, url)))
            )
        ).first()
        if exists is not None or removed is not None:
            kept.append(sc.name)
            continue
        add_source(session, sc.url, kind=sc.kind, name=sc.name,
                   interval_seconds=parse_interval(sc.every), origin="config")
        added.append(sc.name)
    return SyncResult(tuple(added), tuple(kept))

"""A named lease in the database, so that two daemons refuse to run together.

Why a row and not a file lock: the daemon and its second copy may run on
different machines sharing one PostgreSQL database, and a lock file says
nothing there. Every change is one conditional statement (an INSERT that a
primary key refuses, or an UPDATE whose WHERE re-checks the holder and the
expiry), so two starters racing on SQLite or PostgreSQL cannot both win.

A holder that dies without releasing (kill -9, power loss) leaves a lease
that expires after `ttl` seconds; on the same host a dead holder's process
id is checked at once, so a restart after `kill -9` need not wait.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass

import psutil
from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from store.db import session_scope
from store.models import Lease
from store.types import utcnow

DAEMON_LEASE = "daemon"


class LeaseHeld(Exception):
    """Another live process holds the lease; the message names it."""

    def __init__(self, name: str, holder: str, expires_at: dt.datetime) -> None:
        self.holder = holder
        self.expires_at = expires_at
        super().__init__(
            f"another compoundwatch daemon ({holder}) holds the {name!r} lease on this "
            f"database until {expires_at:%Y-%m-%d %H:%M:%S} UTC; stop it first "
            "(`compoundwatch status` shows it)"
        )


@dataclass(frozen=True)
class LeaseInfo:
    """The lease as `status` shows it."""

    name: str
    holder: str
    acquired_at: dt.datetime
    expires_at: dt.datetime

    @property
    def active(self) -> bool:
        return self.expires_at > utcnow()


def this_holder() -> str:
    """`host:pid` of the running process: readable in `status`, checkable on this host."""
    return f"{socket.gethostname()}:{os.getpid()}"


def holder_is_dead(holder: str, acquired_at: dt.datetime) -> bool:
    """True when `holder` names a process of this host that no longer runs.

    A process id reused by a newer process (started after the lease was taken)
    counts as dead too. Holders on other hosts are never judged dead: only
    their lease's expiry frees them.
    """
    host, _, pid_text = holder.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        proc = psutil.Process(pid)
        started = dt.datetime.fromtimestamp(proc.create_time(), dt.UTC)
        if proc.status() == psutil.STATUS_ZOMBIE:
            return True
    except psutil.NoSuchProcess:
        return True
    except psutil.Error:
        return False
    return started > acquired_at + dt.timedelta(seconds=1)


def read_lease(engine: Engine, name: str = DAEMON_LEASE) -> LeaseInfo | None:
    with session_scope(engine) as session:
        row = session.get(Lease, name)
        if row is None:
            return None
        return LeaseInfo(row.name, row.holder, row.acquired_at, row.expires_at)


def acquire(engine: Engine, holder: str, ttl: float, name: str = DAEMON_LEASE) -> LeaseInfo:
    """Take the lease or raise LeaseHeld. Taking it again as its holder renews it."""
    now = utcnow()
    expires = now + dt.timedelta(seconds=ttl)
    try:
        with engine.begin() as conn:
            conn.execute(insert(Lease).values(name=name, holder=holder, acquired_at=now,
                                              expires_at=expires))
        return LeaseInfo(name, holder, now, expires)
    except IntegrityError:
        pass  # a row exists: take it over only if it is ours, expired or dead
    current = read_lease(engine, name)
    if current is None:  # released between our INSERT and SELECT: try once more
        return acquire(engine, holder, ttl, name)
    takeover = (
        current.holder == holder
        or current.expires_at <= now
        or holder_is_dead(current.holder, current.acquired_at)
    )
    if takeover:
        with engine.begin() as conn:
            # Compare-and-swap on what we saw: a racing starter that got there
            # first changed holder or expiry, and our UPDATE matches no row.
            done = conn.execute(
                update(Lease)
                .where(Lease.name == name, Lease.holder == current.holder,
                       Lease.expires_at == current.expires_at)
                .values(holder=holder, acquired_at=now, expires_at=expires)
            ).rowcount
        if done == 1:
            return LeaseInfo(name, holder, now, expires)
        current = read_lease(engine, name) or current
    raise LeaseHeld(name, current.holder, current.expires_at)


def renew(engine: Engine, holder: str, ttl: float, name: str = DAEMON_LEASE) -> bool:
    """Push the expiry forward; False when the lease is no longer ours."""
    expires = utcnow() + dt.timedelta(seconds=ttl)
    with engine.begin() as conn:
        done = conn.execute(
            update(Lease).where(Lease.name == name, Lease.holder == holder)
            .values(expires_at=expires)
        ).rowcount
    return done == 1


def release(engine: Engine, holder: str, name: str = DAEMON_LEASE) -> bool:
    """Give the lease up (only if still ours)."""
    with engine.begin() as conn:
        done = conn.execute(
            delete(Lease).where(Lease.name == name, Lease.holder == holder)
        ).rowcount
    return done == 1


def lease_holders(engine: Engine) -> list[LeaseInfo]:
    """Every lease row (for `status`)."""
    with session_scope(engine) as session:
        return [LeaseInfo(r.name, r.holder, r.acquired_at, r.expires_at)
                for r in session.scalars(select(Lease).order_by(Lease.name))]

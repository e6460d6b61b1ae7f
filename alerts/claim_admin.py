"""Taking a claim out of the baseline: remove it, or mute it (kept, not tracked).

Why both: an ordinary article read as a seed must not pollute the baseline
for good. `remove` deletes the claim and its observations; a config seed
read again by `init` would bring it back, so `mute` keeps the row (and its
history) and only stops analysis and charts from using it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Claim


class ClaimError(ValueError):
    """No such claim; the message lists the keys there are."""


def find_claim(session: Session, key: str) -> Claim:
    claim = session.scalars(select(Claim).where(Claim.key == key).limit(1)).first()
    if claim is None:
        keys = session.scalars(select(Claim.key).order_by(Claim.id)).all()
        known = ", ".join(keys[:12]) + (" ..." if len(keys) > 12 else "")
        raise ClaimError(f"no claim with the key {key!r}"
                         + (f"; the keys are: {known}" if keys else "; there are no claims yet"))
    return claim


def remove_claim(session: Session, key: str) -> Claim:
    """Delete the claim and its observations (alerts already raised stay)."""
    claim = find_claim(session, key)
    session.delete(claim)
    session.flush()
    return claim


def set_muted(session: Session, key: str, muted: bool) -> Claim:
    claim = find_claim(session, key)
    claim.muted = muted
    session.flush()
    return claim

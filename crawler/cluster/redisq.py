"""The Redis side of the cluster: scrapy-redis's priority queue and duplicate
filter, with two small additions that make a killed worker lose nothing.

scrapy-redis pops a request destructively (ZRANGE + ZREMRANGEBYRANK in one
MULTI), and its duplicate filter remembers a fingerprint as soon as the
request is queued. A worker killed with requests in flight would therefore
lose them for good: they left the queue, and the filter refuses them when a
feed names them again. So:

* `ClaimingPriorityQueue.pop` moves the request, in one Lua script, from the
  queue into the worker's *claims* hash (`PREFIX:claims:WORKER`). The worker
  deletes the claim once the request's work is stored (`Claims.release`).
* Each worker renews a heartbeat key (`PREFIX:worker:WORKER`, expiring after
  `cluster.claim_timeout_seconds`). `Claims.recover_orphans`, run by every
  worker and by the coordinator, puts the claims of a worker whose heartbeat
  expired back into the queue (not through the filter, which knows them).
* A request whose fetch failed is forgotten by the filter
  (`ClusterDupeFilter.forget`), so the next pass of its feed finds it again,
  as a single process would.

`ClusterDupeFilter` fingerprints an article re-fetched for a revision (its
feed entry says it was updated) with that marker, so a revision is fetched
once too. Discovery requests (feeds, sitemaps, robots.txt, listings, pages)
carry `dont_filter` and never touch the filter.
"""

from __future__ import annotations

import hashlib
import logging
import os
import socket
import uuid
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from scrapy import Request, Spider
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue

log = logging.getLogger(__name__)

CLAIM_META = "cw_claim"
REVISION_META = "cw_revision"

# Pop the best request and claim it for this worker, atomically.
_POP_AND_CLAIM = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0)
if #r == 0 then return false end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
redis.call('HSET', KEYS[2], redis.sha1hex(r[1]), r[1])
return r[1]
"""

# Put every claim of one (dead) worker back into the queue, atomically.
_REQUEUE_ALL = """
local items = redis.call('HGETALL', KEYS[2])
for i = 1, #items, 2 do redis.call('ZADD', KEYS[1], 0, items[i + 1]) end
redis.call('DEL', KEYS[2])
return #items / 2
"""

# Put one claim back into the queue (its work could not be stored).
_REQUEUE_ONE = """
local data = redis.call('HGET', KEYS[2], ARGV[1])
if not data then return 0 end
redis.call('ZADD', KEYS[1], 0, data)
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
"""


def new_worker_id() -> str:
    """Unique per process: host, pid and a random part (pids are reused)."""
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class Keys:
    """Every Redis key of one deployment, under its `cluster.key_prefix`."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.requests = f"{prefix}:requests"
        self.dupefilter = f"{prefix}:dupefilter"

    def claims(self, worker: str) -> str:
        return f"{self.prefix}:claims:{worker}"

    def heartbeat(self, worker: str) -> str:
        return f"{self.prefix}:worker:{worker}"


class Claims:
    """A worker's claims on requests it popped, its heartbeat, and recovery."""

    def __init__(self, server: Redis, keys: Keys, worker: str, timeout: float) -> None:
        self.server = server
        self.keys = keys
        self.worker = worker
        self.timeout = timeout
        self._requeue_all = server.register_script(_REQUEUE_ALL)
        self._requeue_one = server.register_script(_REQUEUE_ONE)

    @property
    def key(self) -> str:
        return self.keys.claims(self.worker)

    def beat(self) -> None:
        """Tell the others this worker is alive for `timeout` seconds more."""
        self.server.set(self.keys.heartbeat(self.worker), b"1", px=max(1, int(self.timeout * 1000)))

    def stop_beating(self) -> None:
        self.server.delete(self.keys.heartbeat(self.worker))

    def release(self, request: Request) -> None:
        """The request's work is stored: it is no longer this worker's to redo."""
        claim = request.meta.get(CLAIM_META)
        if claim:
            self.server.hdel(self.key, claim)

    def requeue(self, request: Request) -> bool:
        """Give the request back to the queue (e.g. the database was away)."""
        claim = request.meta.get(CLAIM_META)
        if not claim:
            return False
        return bool(self._requeue_one(keys=[self.keys.requests, self.key], args=[claim]))

    def pending(self) -> int:
        return int(self.server.hlen(self.key))

    def requeue_own(self) -> int:
        """At a clean stop: what this worker still holds goes back to the queue."""
        return int(self._requeue_all(keys=[self.keys.requests, self.key]))

    def recover_orphans(self) -> int:
        """Queue again the claims of every worker whose heartbeat expired."""
        return recover_orphans(self.server, self.keys)


def in_progress(server: Redis, keys: Keys) -> int:
    """Requests queued or held by a worker: 0 when the cluster has drained."""
    held = sum(int(server.hlen(k)) for k in server.scan_iter(match=keys.claims("") + "*",
                                                             count=100))
    return int(server.zcard(keys.requests)) + held


def recover_orphans(server: Redis, keys: Keys) -> int:
    """Queue again the claims of every worker whose heartbeat expired; how many."""
    script = server.register_script(_REQUEUE_ALL)
    prefix = keys.claims("")
    total = 0
    for raw in server.scan_iter(match=prefix + "*", count=100):
        key = raw.decode() if isinstance(raw, bytes) else str(raw)
        worker = key[len(prefix):]
        if server.exists(keys.heartbeat(worker)):
            continue
        n = int(script(keys=[keys.requests, key]))
        if n:
            log.warning("worker %s is gone: %d request(s) it held queued again", worker, n)
        total += n
    return total


class ClaimingPriorityQueue(PriorityQueue):
    """scrapy-redis's PriorityQueue whose pop also claims the request for the
    popping worker (see the module docstring). The worker is the spider's
    `claims` (a `Claims`); a spider without one pops like the original."""

    def __init__(self, server: Redis, spider: Spider, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        claims: Claims | None = getattr(spider, "claims", None)
        self.claims_key = claims.key if claims is not None else None
        self._pop_and_claim = server.register_script(_POP_AND_CLAIM)

    def __len__(self) -> int:
        try:
            return super().__len__()
        except RedisError:  # Redis restarting: nothing to hand out for now
            return 0

    def push(self, request: Request) -> None:
        # A claimed request scheduled again (a redirect, a retry) is a new
        # entry of the queue: once it is there, the old claim has done its job.
        claim = request.meta.pop(CLAIM_META, None)
        super().push(request)
        if claim and self.claims_key is not None:
            self.server.hdel(self.claims_key, claim)

    def pop(self, timeout: int = 0) -> Request | None:
        if self.claims_key is None:
            return super().pop(timeout)
        try:
            data = self._pop_and_claim(keys=[self.key, self.claims_key])
        except RedisError as exc:
            # Redis restarting: the engine asks again on its next poll.
            log.warning("cannot take a request from Redis: %s", exc)
            return None
        if not data:
            return None
        request = self._decode_request(data)
        request.meta[CLAIM_META] = hashlib.sha1(data).hexdigest()
        return request


class ClusterDupeFilter(RFPDupeFilter):
    """scrapy-redis's filter; a re-fetch for a revision carries its marker in
    the fingerprint, and a failed request can be forgotten."""

    def request_fingerprint(self, request: Request) -> str:
        base = super().request_fingerprint(request)
        marker = request.meta.get(REVISION_META)
        if not marker:
            return base
        return hashlib.sha1(f"{base} {marker}".encode()).hexdigest()

    def log(self, request: Request, spider: Spider) -> None:
        # Called by the scheduler for a request it drops as a duplicate. A
        # redirect or retry of a claimed request can be one: its claim is done.
        claims: Claims | None = getattr(spider, "claims", None)
        if claims is not None and request.meta.get(CLAIM_META):
            claims.release(request)
        super().log(request, spider)

    def forget(self, request: Request) -> None:
        """Let the request be queued again (its fetch failed; a later pass retries)."""
        self.server.srem(self.key, self.request_fingerprint(request))

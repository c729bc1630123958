"""Per-client rate limiting that remembers no client address.

A client is known only by a keyed hash of its address, under a key drawn at start-up and never
written anywhere: the table cannot be turned back into addresses, not even by whoever reads the
process's memory after the key is gone, and it vanishes with the process. Nothing reaches disk
or logs.
"""

import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict


class RateLimiter:
    """A token bucket per client: `limit` requests per `period` seconds, with bursts up to
    `limit`."""

    def __init__(self, limit: int, period: float, max_clients: int = 100_000) -> None:
        self._limit = limit
        self._rate = limit / period
        self._key = secrets.token_bytes(32)
        self._buckets: OrderedDict[bytes, tuple[float, float]] = OrderedDict()
        self._max_clients = max_clients
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        tag = hmac.new(self._key, client.encode(), hashlib.sha256).digest()[:16]
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.pop(tag, (float(self._limit), now))
            tokens = min(float(self._limit), tokens + (now - last) * self._rate)
            allowed = tokens >= 1.0
            if allowed:
                tokens -= 1.0
            self._buckets[tag] = (tokens, now)
            while len(self._buckets) > self._max_clients:
                self._buckets.popitem(last=False)
        return allowed

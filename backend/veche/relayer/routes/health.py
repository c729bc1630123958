"""`/health` and `/metrics`: is the relayer up, and how is its queue doing.

Both are public and cheap: rate-limited like every other route, and `/health` asks the chain
for its time at most once every `CHAIN_TIME_SECONDS`, however often it is called, so that a
client polling it cannot make the relayer hammer its node.
"""

import threading
import time
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

router = APIRouter(tags=["health"])

CHAIN_TIME_SECONDS = 5.0
"""How long a chain time read for `/health` is served before the chain is asked again."""


class ChainClock:
    """The chain's latest block time, read at most once every `max_age` seconds."""

    def __init__(self, read: Callable[[], int], max_age: float = CHAIN_TIME_SECONDS) -> None:
        self._read = read
        self._max_age = max_age
        self._lock = threading.Lock()
        self._value: int | None = None
        self._read_at = 0.0

    def latest(self) -> tuple[int, float]:
        """`(chain time, seconds since it was read)`; raises what `read` raises."""
        with self._lock:
            now = time.monotonic()
            if self._value is None or now - self._read_at >= self._max_age:
                self._value = self._read()
                self._read_at = now
            return self._value, now - self._read_at


@router.get("/health")
async def health(request: Request) -> dict[str, Any]:
    """Up, and able to reach the chain (the latest block's time, at most a few seconds old)."""
    clock: ChainClock = request.app.state.chain_clock
    chain_time, age = await run_in_threadpool(clock.latest)
    return {"status": "ok", "chainTime": chain_time, "chainTimeAgeSeconds": round(age, 1)}


@router.get("/metrics")
async def metrics(request: Request) -> dict[str, Any]:
    """Queue depth, ballots included in the last minute, failures: counts only, no ballots."""
    store = request.app.state.store
    counts = await run_in_threadpool(store.counts)
    last_minute = await run_in_threadpool(store.settled_since, time.time() - 60)
    return {
        "queueDepth": counts["queued"] + counts["sent"],
        "byStatus": counts,
        "ballotsPerMinute": last_minute.get("included", 0),
        "failuresLastMinute": last_minute.get("failed", 0),
        "failures": counts["failed"],
    }

"""`/health` and `/metrics`: is the relayer up, and how is its queue doing."""

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(request: Request) -> dict[str, Any]:
    """Up, and able to reach the chain (the latest block's time)."""
    service = request.app.state.service
    return {"status": "ok", "chainTime": await run_in_threadpool(service.now)}


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

"""`/health`: is the relayer up, and can it reach the chain."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool

router = APIRouter(tags=["health"])


@router.get("/health")
async def health(request: Request) -> dict[str, Any]:
    service = request.app.state.service
    block_time = await run_in_threadpool(service.now)
    return {"status": "ok", "chainTime": block_time}

"""The relayer's FastAPI application: wiring only; the work is in `service.py`."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from veche.ceremony.pin import check_key
from veche.chain.client import connect
from veche.crypto.groth16 import VerifyingKey
from veche.keys import verification_key_path
from veche.relayer.elections import ElectionDirectory
from veche.relayer.errors import RelayerRefusal
from veche.relayer.ratelimit import RateLimiter
from veche.relayer.reads import ChainReads
from veche.relayer.routes import ballots, health
from veche.relayer.service import BallotService
from veche.relayer.settings import Settings
from veche.relayer.store import Store
from veche.relayer.worker import Worker

MAX_BODY_BYTES = 8 * 1024
"""A ballot is under 2 KB; anything much larger is refused before it is parsed."""

log = logging.getLogger("veche.relayer")


class BodySizeLimit:
    """Refuses request bodies over `limit` bytes, whether announced or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await _too_large(self.limit)(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise _BodyTooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await _too_large(self.limit)(scope, receive, send)


class _BodyTooLarge(Exception):
    pass


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse(
        {"error": "too_large", "detail": f"request body over {limit} bytes"}, status_code=413
    )


class RateLimit:
    """Answers 429 to a client over its budget; the client's address is used and forgotten."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith("/ballots"):
            client = scope.get("client")
            if not self.limiter.allow(client[0] if client else ""):
                response = JSONResponse(
                    {"error": "rate_limited", "detail": "too many requests; try again shortly"},
                    status_code=429,
                    headers={"Retry-After": "5"},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(settings: Settings) -> FastAPI:
    key = verification_key_path()
    check_key(  # before anything else: a relayer must not start with another key
        key,
        settings.verification_key_sha256,
        who="relayer",
        production_mode=settings.mode == "production",
    )
    w3 = connect(settings.rpc_url)
    store = Store(settings.database)
    directory = ElectionDirectory(w3, settings.elections)
    worker = Worker(
        w3,
        store,
        settings.accounts,
        lambda address: directory.contract(address).contract,
        settings.ballot_gas,
        batch_size=settings.batch_size,
        batch_ballot_gas=settings.batch_ballot_gas,
    )
    service = BallotService(
        w3,
        directory,
        VerifyingKey.load(key),
        store,
        worker,
        ChainReads(settings.rpc_url),
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        service.start()
        worker.start()
        log.info(
            "relayer ready: %d paying account(s), queue in %s",
            len(settings.accounts),
            settings.database,
        )
        yield
        service.stop()
        worker.stop()
        store.close()

    app = FastAPI(
        title="Veche relayer",
        version="0.2.0",
        description=(
            "Submits anonymous ballots to Veche elections on the voter's behalf. An accepted "
            "ballot is stored durably before the answer (202) and sent by a worker. The relayer "
            "keeps no record of who sent what: no access log, no client address."
        ),
        lifespan=lifespan,
    )
    app.state.service = service
    app.state.store = store
    app.state.settings = settings
    app.include_router(ballots.router)
    app.include_router(health.router)
    if settings.frontend_dir is not None:
        app.mount("/app", StaticFiles(directory=settings.frontend_dir, html=True), name="app")

    @app.exception_handler(RelayerRefusal)
    async def _refusal(_: Request, exc: RelayerRefusal) -> JSONResponse:
        return JSONResponse({"error": exc.code, "detail": exc.detail}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        detail = f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
        return JSONResponse({"error": "malformed", "detail": detail}, status_code=400)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        # The exception's type only: its message or traceback could quote the ballot.
        log.error("internal error: %s", type(exc).__name__)
        return JSONResponse(
            {"error": "internal", "detail": "the relayer failed; try another relayer"},
            status_code=500,
        )

    app.add_middleware(BodySizeLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(RateLimit, limiter=RateLimiter(*settings.rate_limit))
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["content-type"],
    )
    return app

"""The relayer's FastAPI application: wiring only; the work is in `service.py`."""

import functools
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from veche.ceremony.pin import check_key
from veche.chain.client import connect
from veche.crypto.groth16 import VerifyingKey
from veche.errors import VecheError
from veche.keys import encrypted_zk_dir, verification_key_path
from veche.protocol.spec import RELAYER_BODY_BYTES, ZK_VERIFICATION_KEY
from veche.relayer.elections import ElectionDirectory
from veche.relayer.errors import RelayerRefusal
from veche.relayer.ratelimit import RateLimiter
from veche.relayer.reads import ChainReads
from veche.relayer.routes import ballots, health
from veche.relayer.routes.ballots import accept_body
from veche.relayer.routes.health import ChainClock
from veche.relayer.service import BallotService
from veche.relayer.settings import Settings
from veche.relayer.store import Store
from veche.relayer.worker import Worker

MAX_BODY_BYTES = RELAYER_BODY_BYTES
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
        over = False

        async def limited_receive() -> Message:
            # A streamed (chunked) body announces no length: count it as it arrives, and at the
            # limit tell the application the client has gone, so it stops reading.
            nonlocal received, over
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                over = True
                return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not over:  # once over the limit, the application's own answer is dropped
                await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not over:
                raise
        if over:
            await _too_large(self.limit)(scope, receive, send)


class NoTraceback:
    """Answers 500 to an unexpected failure and logs the exception's type only.

    A FastAPI handler for `Exception` is not enough: Starlette calls it and then re-raises, so
    the server logs the whole traceback, whose frames quote the request's values (a nullifier, a
    ballot). Catching here, inside Starlette's outer error middleware, keeps them out of the log.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            log.error("internal error: %s", type(exc).__name__)
            if scope["type"] == "http" and not started:
                await _answer(RelayerRefusal("internal"))(scope, receive, send)


def _too_large(limit: int) -> JSONResponse:
    return _answer(RelayerRefusal("too_large", f"request body over {limit} bytes"))


def _answer(refusal: RelayerRefusal, headers: dict[str, str] | None = None) -> JSONResponse:
    """The JSON body and status of every refusal: `{"error": code, "detail": reason}`."""
    return JSONResponse(
        {"error": refusal.code, "detail": refusal.detail},
        status_code=refusal.status,
        headers=headers,
    )


class BallotFastPath:
    """Answers `POST /ballots` without FastAPI's routing and dependency machinery (about
    0.4 ms of CPU a request, a fifth of all the relayer spends on a ballot), with the same
    code as the route (`accept_body`) and the same answers; every other request goes on to
    the application. It sits inside the size limit, rate limit, CORS and error middlewares.
    """

    def __init__(self, app: ASGIApp, service: BallotService) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (
            scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == "/ballots"
        ):
            await self.app(scope, receive, send)
            return
        chunks = []
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client left, or the body went over the limit (answered outside)
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        content_type = next(
            (v.decode("latin-1") for k, v in scope["headers"] if k == b"content-type"), None
        )
        try:
            body = await accept_body(self.service, b"".join(chunks), content_type)
        except RelayerRefusal as refusal:
            await _answer(refusal)(scope, receive, send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 202,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class RateLimit:
    """Answers 429 to a client over its budget; the client's address is used and forgotten.

    Ballots and everything else (health, metrics, the API description) have separate budgets,
    so that a page polling `/health` never uses up its voter's ballots; the voter's page itself
    (`/app/`, static files) is not limited.
    """

    def __init__(self, app: ASGIApp, ballots: RateLimiter, others: RateLimiter) -> None:
        self.app = app
        self.ballots = ballots
        self.others = others

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else "/app"
        if not path.startswith("/app"):
            limiter = self.ballots if path.startswith("/ballots") else self.others
            client = scope.get("client")
            if not limiter.allow(client[0] if client else ""):
                response = _answer(RelayerRefusal("rate_limited"), {"Retry-After": "5"})
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _encrypted_key(settings: Settings) -> VerifyingKey:
    """The encrypted ballot circuit's key, checked as the plain one is (read on the first
    encrypted ballot: a relayer serving only plain elections never needs it)."""
    key = encrypted_zk_dir() / ZK_VERIFICATION_KEY
    try:
        check_key(
            key,
            settings.encrypted_key_sha256,
            who="relayer",
            production_mode=settings.mode == "production",
        )
    except VecheError as error:
        log.error("encrypted ballots refused: %s", error)
        raise RelayerRefusal("malformed", "this relayer does not take encrypted ballots") from None
    return VerifyingKey.load(key)


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
        batch_wait=settings.batch_wait,
        replace_seconds=settings.replace_seconds,
    )
    service = BallotService(
        w3,
        directory,
        VerifyingKey.load(key),
        store,
        worker,
        ChainReads(settings.rpc_url),
        encrypted_key=functools.cache(partial(_encrypted_key, settings)),
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
    app.state.chain_clock = ChainClock(service.now)
    app.state.store = store
    app.state.settings = settings
    app.include_router(ballots.router)
    app.include_router(health.router)
    if settings.frontend_dir is not None:
        app.mount("/app", StaticFiles(directory=settings.frontend_dir, html=True), name="app")

    @app.exception_handler(RelayerRefusal)
    async def _refusal(_: Request, exc: RelayerRefusal) -> JSONResponse:
        return _answer(exc)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # Unknown paths and methods answer in the same shape, with codes from the spec, as
        # every other refusal; any other HTTP error of the framework is a malformed request.
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "malformed")
        return _answer(RelayerRefusal(code, str(exc.detail)), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        detail = f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
        return _answer(RelayerRefusal("malformed", detail))

    app.add_middleware(BallotFastPath, service=service)
    app.add_middleware(BodySizeLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(
        RateLimit,
        ballots=RateLimiter(*settings.rate_limit),
        others=RateLimiter(*settings.rate_limit),
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(settings.cors_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["content-type"],
    )
    app.add_middleware(NoTraceback)  # added last: the outermost, around everything above
    return app

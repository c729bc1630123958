"""The relayer's FastAPI application: wiring only; the work is in `service.py`."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from veche.chain.client import connect
from veche.keys import verification_key_path
from veche.model.proofs import load_check
from veche.relayer.elections import ElectionDirectory
from veche.relayer.errors import RelayerRefusal
from veche.relayer.routes import ballots, health
from veche.relayer.service import BallotService
from veche.relayer.settings import Settings

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


def create_app(settings: Settings) -> FastAPI:
    w3 = connect(settings.rpc_url)
    service = BallotService(
        w3,
        settings.account,
        ElectionDirectory(w3, settings.elections),
        load_check(verification_key_path()),
        settings.ballot_gas,
    )
    app = FastAPI(
        title="Veche relayer",
        version="0.1.0",
        description=(
            "Submits anonymous ballots to Veche elections on the voter's behalf. It keeps no "
            "record of who sent what: no access log, no client address."
        ),
    )
    app.state.service = service
    app.state.settings = settings
    app.include_router(ballots.router)
    app.include_router(health.router)

    @app.exception_handler(RelayerRefusal)
    async def _refusal(_: Request, exc: RelayerRefusal) -> JSONResponse:
        return JSONResponse({"error": exc.code, "detail": exc.detail}, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        where = ".".join(str(part) for part in first.get("loc", ()) if part != "body")
        detail = f"{where}: {first.get('msg')}" if where else str(first.get("msg"))
        return JSONResponse({"error": "malformed", "detail": detail}, status_code=400)

    app.add_middleware(BodySizeLimit, limit=MAX_BODY_BYTES)
    log.info("relayer ready; submitting from %s", settings.account.address)
    return app

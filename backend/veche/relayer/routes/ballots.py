"""`/ballots`: submit a ballot, and check what became of it."""

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError

from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.relayer.errors import RelayerRefusal
from veche.relayer.schemas import (
    Acceptance,
    Address,
    BallotRequest,
    BallotStatus,
    ErrorBody,
    FieldElement,
)
from veche.relayer.service import ANSWER_SECONDS, BallotService

router = APIRouter(prefix="/ballots", tags=["ballots"])

_ERRORS = {
    400: {"model": ErrorBody, "description": "Malformed ballot"},
    403: {"model": ErrorBody, "description": "Voting is not open"},
    404: {"model": ErrorBody, "description": "Unknown election or no ballot"},
    409: {"model": ErrorBody, "description": "A ballot with this or a newer revision exists"},
    413: {"model": ErrorBody, "description": "Request too large"},
    422: {"model": ErrorBody, "description": "Ballot refused (proof, register, scope, choice)"},
    429: {"model": ErrorBody, "description": "Too many requests from this client"},
    502: {"model": ErrorBody, "description": "The chain cannot be reached"},
}


async def _service(request: Request) -> BallotService:
    # async: FastAPI runs a plain function dependency in a worker thread, on every request
    service: BallotService = request.app.state.service
    return service


Service = Annotated[BallotService, Depends(_service)]


_BALLOT_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": BallotRequest.model_json_schema()}},
    }
}
"""The request body as FastAPI would describe a `BallotRequest` parameter (the route reads and
validates the body itself, which costs a fraction of FastAPI's generic path)."""


def parse_ballot(body: bytes, content_type: str | None) -> BallotRequest:
    """The request body as a `BallotRequest`; `RelayerRefusal` 400 with the first problem."""
    media = (content_type or "application/json").split(";", 1)[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise RelayerRefusal("malformed", f"content-type must be application/json, got {media}")
    try:
        return BallotRequest.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors(include_input=False, include_url=False)[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        raise RelayerRefusal(
            "malformed", f"{where}: {first['msg']}" if where else str(first["msg"])
        ) from None


async def accept_body(service: BallotService, body: bytes, content_type: str | None) -> bytes:
    """The 202 body for a ballot posted as `body`; raises `RelayerRefusal` for any refusal.
    Shared by the route below and by `BallotFastPath`, which skips FastAPI's routing."""
    ballot = parse_ballot(body, content_type)
    if service.knows(ballot.election):
        answer = service.submit(ballot)  # no chain call: checked here, decided by the intake
    else:
        answer = await run_in_threadpool(service.submit, ballot)
    waiting = asyncio.wrap_future(answer)
    done, _ = await asyncio.wait({waiting}, timeout=ANSWER_SECONDS)
    if not done:
        raise RelayerRefusal("busy")
    return waiting.result().model_dump_json().encode()


@router.post(
    "",
    response_model=Acceptance,
    status_code=status.HTTP_202_ACCEPTED,
    responses=_ERRORS,  # type: ignore[arg-type]
    openapi_extra=_BALLOT_BODY,
)
async def submit_ballot(request: Request, service: Service) -> Response:
    """Checks the ballot off-chain (window, district, register root, revision, proof), stores it
    durably and queues it for the chain. Sending the same ballot again is harmless."""
    body = await accept_body(service, await request.body(), request.headers.get("content-type"))
    return Response(body, status_code=status.HTTP_202_ACCEPTED, media_type="application/json")


@router.get("/{nullifier}", response_model=BallotStatus, responses=_ERRORS)  # type: ignore[arg-type]
async def get_ballot(
    nullifier: Annotated[FieldElement, Path(description="The receipt's nullifier.")],
    election: Annotated[Address, Query(description="Address of the Election contract.")],
    service: Service,
) -> BallotStatus:
    """What this relayer did with the latest ballot for a nullifier (queued, sent, included,
    failed and why), and the ballot the chain counts for it."""
    number = int(nullifier)
    if number >= SNARK_SCALAR_FIELD:
        # No ballot can have it (a nullifier is a field element); refused before any RPC.
        raise RelayerRefusal("malformed", "nullifier: not below the field order")
    return await run_in_threadpool(service.status, election, number)

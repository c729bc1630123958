"""`/ballots`: submit a ballot, and check what became of it."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, status
from fastapi.concurrency import run_in_threadpool

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
from veche.relayer.service import BallotService

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


def _service(request: Request) -> BallotService:
    service: BallotService = request.app.state.service
    return service


Service = Annotated[BallotService, Depends(_service)]


@router.post(
    "",
    response_model=Acceptance,
    status_code=status.HTTP_202_ACCEPTED,
    responses=_ERRORS,  # type: ignore[arg-type]
)
async def submit_ballot(ballot: BallotRequest, service: Service) -> Acceptance:
    """Checks the ballot off-chain (window, district, register root, revision, proof), stores it
    durably and queues it for the chain. Sending the same ballot again is harmless."""
    return await run_in_threadpool(service.accept, ballot)


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

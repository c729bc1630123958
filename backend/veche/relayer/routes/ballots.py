"""`/ballots`: submit a ballot, and read back the ballot counted for a receipt."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool

from veche.relayer.schemas import Address, BallotRequest, ErrorBody, FieldElement, Receipt
from veche.relayer.service import BallotService

router = APIRouter(prefix="/ballots", tags=["ballots"])

_ERRORS = {
    400: {"model": ErrorBody, "description": "Malformed ballot"},
    403: {"model": ErrorBody, "description": "Voting is not open"},
    404: {"model": ErrorBody, "description": "Unknown election or no ballot"},
    409: {"model": ErrorBody, "description": "A newer ballot is already counted"},
    413: {"model": ErrorBody, "description": "Request too large"},
    422: {"model": ErrorBody, "description": "Ballot refused (proof, register, scope, choice)"},
    502: {"model": ErrorBody, "description": "The chain cannot be reached"},
}


def _service(request: Request) -> BallotService:
    service: BallotService = request.app.state.service
    return service


Service = Annotated[BallotService, Depends(_service)]


@router.post("", response_model=Receipt, responses=_ERRORS)  # type: ignore[arg-type]
async def submit_ballot(ballot: BallotRequest, service: Service) -> Receipt:
    """Checks the ballot off-chain (window, register root, revision, proof), then submits it."""
    return await run_in_threadpool(service.submit, ballot)


@router.get("/{nullifier}", response_model=Receipt, responses=_ERRORS)  # type: ignore[arg-type]
async def get_ballot(
    nullifier: Annotated[FieldElement, Path(description="The receipt's nullifier.")],
    election: Annotated[Address, Query(description="Address of the Election contract.")],
    service: Service,
) -> Receipt:
    """The ballot currently counted for a nullifier (the latest revision), from the chain."""
    return await run_in_threadpool(service.lookup, election, int(nullifier))

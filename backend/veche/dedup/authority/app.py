"""The dedup authority's HTTP API (FastAPI).

    GET  /health    -> {"status": "ok"}
    GET  /key       -> {"index", "threshold", "shares", "publicKey"}: public facts only
    GET  /counts    -> {"index", "counts": {election: {registrar: evaluations}}, "margin"}
    POST /evaluate  {"blinded": [x, y], "election", "registrar", "signature"}
                    -> {"index", "evaluation": [x, y], "proof": {"c", "s"}}

Refusals are JSON `{"error", "detail"}`: 400 for a malformed request or a point outside the
group, 403 for a signer the election does not accept as a registrar, 429 for a registrar past
its quota plus a margin (`quota`), 503 when the chain cannot be read. The authority keeps only
the number of evaluations per registrar: no request, no point, no access log (the server turns
uvicorn's off), and the blinded points it sees are uniformly random whoever the person is.
"""

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from veche.dedup.authority.quota import (
    MARGIN_FRACTION,
    MARGIN_MINIMUM,
    EvaluationCounts,
    QuotaExhausted,
)
from veche.dedup.errors import DedupError
from veche.dedup.group import to_json
from veche.dedup.keys import ShareFile
from veche.dedup.oprf import evaluate
from veche.dedup.request import parse_request, signer_of
from veche.errors import ChainError

RegistrarCheck = Callable[[str], bool]
"""Whether an address is a registrar of an election right now."""
QuotaOf = Callable[[str], int]
"""A registrar's total quota in an election (the sum over its districts, read from the chain)."""


def create_app(
    share_file: ShareFile,
    *,
    chain_id: int,
    elections: Mapping[str, RegistrarCheck],
    quotas: Mapping[str, QuotaOf] | None = None,
    counts: EvaluationCounts | None = None,
) -> FastAPI:
    """The authority of `share_file` for the `elections` (checksummed address -> registrar
    check) on one chain. Tags of two elections differ (the election is hashed into them), so
    one key may serve several elections without linking their voters."""
    app = FastAPI(title="Veche dedup authority", docs_url=None, redoc_url=None, openapi_url=None)
    key_set = share_file.key_set
    ledger = counts or EvaluationCounts()

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/key")
    def key() -> dict[str, Any]:
        return {
            "index": share_file.share.index,
            "threshold": key_set.threshold,
            "shares": key_set.shares,
            "publicKey": to_json(share_file.public_key),
        }

    @app.get("/counts")
    def published_counts() -> dict[str, Any]:
        return {
            "index": share_file.share.index,
            "counts": ledger.snapshot(),
            "margin": {"fraction": MARGIN_FRACTION, "minimum": MARGIN_MINIMUM},
        }

    @app.post("/evaluate")
    async def evaluate_blinded(request: Request) -> JSONResponse:
        try:
            parsed = parse_request(await request.json())
        except ValueError:
            return _refuse(400, "malformed", "the body is not JSON")
        except DedupError as error:
            return _refuse(400, "malformed", str(error))
        is_registrar = elections.get(parsed.election)
        if is_registrar is None:
            return _refuse(
                403, "unknown_election", f"this authority does not serve {parsed.election}"
            )
        signer = signer_of(parsed, chain_id)
        if signer is None or signer != parsed.registrar:
            return _refuse(403, "bad_signature", "the signature is not the registrar's")
        try:
            allowed = is_registrar(signer)
        except ChainError as error:
            return _refuse(503, "chain_unavailable", str(error))
        if not allowed:
            return _refuse(
                403, "not_registrar", f"{signer} is not a registrar of {parsed.election}"
            )
        quota_of = (quotas or {}).get(parsed.election)
        if quota_of is not None:
            try:
                ledger.take(parsed.election, signer, quota_of(signer))
            except ChainError as error:
                return _refuse(503, "chain_unavailable", str(error))
            except QuotaExhausted as error:
                return _refuse(429, "quota_exhausted", str(error))
        answer = evaluate(share_file.share, parsed.blinded, share_file.public_key)
        return JSONResponse(
            {
                "index": answer.index,
                "evaluation": to_json(answer.point),
                "proof": {"c": str(answer.proof.c), "s": str(answer.proof.s)},
            }
        )

    return app


def _refuse(status: int, code: str, detail: str) -> JSONResponse:
    return JSONResponse({"error": code, "detail": detail}, status_code=status)

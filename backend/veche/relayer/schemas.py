"""The relayer's request and response bodies.

Field elements travel as decimal strings (as snarkjs writes them), never as JSON numbers, which
many clients would round. Unknown fields are refused, so a typo is an error, not a silent default.
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from veche.crypto.hashing import UINT32_MAX
from veche.protocol.spec import (
    ENCRYPTED_PUBLIC_SIGNALS,
    FIRST_REVISION,
    PROOF_ELEMENTS,
    PUBLIC_SIGNALS,
)

FieldElement = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,78}$")]
"""A non-negative integer in decimal; the range check against the field comes later."""

Address = Annotated[str, StringConstraints(pattern=r"^0x[0-9a-fA-F]{40}$")]


class BallotRequest(BaseModel):
    """A ballot as the voter's device sends it: everything the contract's `castBallot` needs.

    An encrypted election's ballot has no `choice`: its 39 public signals carry the ciphertext
    (`[merkleRoot, nullifier, R.x, R.y, C_0.x, ..., C_15.y, H(message), H(scope), options]`,
    the message's choice field 0), and nothing in the request says what it chose."""

    model_config = ConfigDict(extra="forbid", strict=True)

    election: Address = Field(description="Address of the Election contract.")
    district: int = Field(
        ge=0, le=UINT32_MAX, description="The district whose register the proof is made against."
    )
    choice: int | None = Field(
        default=None,
        ge=0,
        le=UINT32_MAX,
        description="Index of the chosen option; absent in an encrypted election.",
    )
    revision: int = Field(
        ge=FIRST_REVISION,
        le=UINT32_MAX,
        description="1 for a first ballot; higher to replace an earlier one.",
    )
    proof: list[FieldElement] = Field(
        min_length=PROOF_ELEMENTS,
        max_length=PROOF_ELEMENTS,
        description="Groth16 proof packed as in docs/PROTOCOL.md.",
    )
    publicSignals: list[FieldElement] = Field(
        min_length=PUBLIC_SIGNALS,
        max_length=ENCRYPTED_PUBLIC_SIGNALS,
        description="[merkleRoot, nullifier, H(message), H(scope)], as the prover returns them; "
        "in an encrypted election the 39 signals of the encrypted ballot circuit.",
    )

    @model_validator(mode="after")
    def _one_kind(self) -> "BallotRequest":
        expected = ENCRYPTED_PUBLIC_SIGNALS if self.choice is None else PUBLIC_SIGNALS
        if len(self.publicSignals) != expected:
            kind = "an encrypted ballot (no choice)" if self.choice is None else "a plain ballot"
            raise ValueError(
                f"publicSignals: {kind} has {expected} public signals, not "
                f"{len(self.publicSignals)}"
            )
        return self

    @property
    def encrypted(self) -> bool:
        return self.choice is None


class Acceptance(BaseModel):
    """The relayer's answer to a ballot: stored durably and queued for the chain."""

    election: str
    nullifier: str
    district: int
    choice: int | None = Field(description="None for an encrypted ballot.")
    revision: int
    status: str = Field(description="queued, sent, included or failed")
    transactionHash: str | None = None
    blockNumber: int | None = None
    reason: str | None = None


class Counted(BaseModel):
    """The ballot the chain currently counts for a nullifier."""

    district: int
    choice: int | None = Field(description="None for an encrypted ballot.")
    revision: int
    castAt: int
    transactionHash: str | None = Field(
        default=None, description="None only if the node no longer serves that block's logs."
    )
    blockNumber: int | None = None


class BallotStatus(BaseModel):
    """What a voter sees when checking a receipt: what this relayer did with their latest
    ballot, and what the chain counts."""

    election: str
    nullifier: str
    submission: Acceptance | None
    counted: Counted | None


class ErrorBody(BaseModel):
    """Every refusal: a stable machine-readable code and a one-line reason for a person."""

    error: str
    detail: str

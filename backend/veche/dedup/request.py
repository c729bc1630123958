"""What a registrar sends a dedup authority, and how the authority knows it is a registrar.

An authority evaluates only for accounts the election currently accepts as registrars
(`isRegistrar`: authorised and not suspended). Otherwise anyone who knows a person's attributes
could have a quorum evaluate them and test whether that person is registered. Each request is
signed by the registrar's Ethereum key (EIP-191 personal message) over the election, the chain
and the blinded point; a replayed request only returns the same blinded evaluation, which is
useless without the registrar's blinding factor.
"""

from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.messages import encode_defunct
from eth_account.signers.local import LocalAccount
from eth_utils import is_address, to_checksum_address

from veche.crypto.babyjub import Point
from veche.dedup.errors import DedupError
from veche.dedup.group import from_json, to_json


@dataclass(frozen=True)
class EvaluationRequest:
    """A blinded point, the election and registrar asking, and the registrar's signature."""

    blinded: Point
    election: str
    registrar: str
    signature: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "blinded": to_json(self.blinded),
            "election": self.election,
            "registrar": self.registrar,
            "signature": "0x" + self.signature.hex(),
        }


def signed_text(chain_id: int, election: str, blinded: Point) -> str:
    """The exact text a registrar signs."""
    return (
        "veche dedup evaluation v1\n"
        f"chain {chain_id}\n"
        f"election {to_checksum_address(election)}\n"
        f"blinded {blinded.x} {blinded.y}"
    )


def sign_request(
    registrar: LocalAccount, chain_id: int, election: str, blinded: Point
) -> EvaluationRequest:
    """The registrar's signed request for `blinded`."""
    message = encode_defunct(text=signed_text(chain_id, election, blinded))
    signature = bytes(registrar.sign_message(message).signature)
    return EvaluationRequest(blinded, to_checksum_address(election), registrar.address, signature)


def parse_request(body: Any) -> EvaluationRequest:
    """The request in a JSON body; the blinded point is checked to be a group element."""
    if not isinstance(body, dict):
        raise DedupError("the request must be a JSON object")
    election = _address(body.get("election"), "election")
    registrar = _address(body.get("registrar"), "registrar")
    signature = body.get("signature")
    if not isinstance(signature, str) or not signature.startswith("0x"):
        raise DedupError("signature must be 0x-prefixed hex")
    try:
        signature_bytes = bytes.fromhex(signature[2:])
    except ValueError:
        raise DedupError("signature must be 0x-prefixed hex") from None
    return EvaluationRequest(
        from_json(body.get("blinded"), "blinded point"),
        election,
        registrar,
        signature_bytes,
    )


def _address(value: Any, name: str) -> str:
    if not isinstance(value, str) or not is_address(value):
        raise DedupError(f"{name} must be an Ethereum address")
    return str(to_checksum_address(value))


def signer_of(request: EvaluationRequest, chain_id: int) -> str | None:
    """The address that signed `request` for its election on this chain, or None if the
    signature is malformed."""
    message = encode_defunct(text=signed_text(chain_id, request.election, request.blinded))
    try:
        return str(Account.recover_message(message, signature=request.signature))
    except (ValueError, TypeError):
        return None

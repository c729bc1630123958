"""The registrar's challenge and the voter's proof of holding the identity.

The registrar gives a fresh challenge; the voter's page signs it with the identity key
(EdDSA-Poseidon, as Semaphore v4's `identity.signMessage`) and shows the public key and the
signature. The registrar checks the signature and that `Poseidon(publicKey)` is the commitment
to register: nobody can have a registrar register a commitment they do not control (someone
else's, or one whose key a coercer keeps).

A challenge is a field element: the issue time (40 bits of Unix seconds) above 208 random bits,
so the tool can refuse a stale one without keeping state, and a signature made for one session
cannot be replayed in another.
"""

import secrets
import time
from dataclasses import dataclass

from veche.crypto import babyjub
from veche.crypto.eddsa import Signature, verify_signature
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.poseidon import poseidon
from veche.registrar.errors import InvalidHolderProof

RANDOM_BITS = 208
MAX_CHALLENGE_AGE_SECONDS = 30 * 60
"""A challenge older than this is refused: a registration session lasts minutes."""

HOLDER_PROOF_PREFIX = "veche-holder:1"
"""The one-line text (and QR code) the voter's page shows: prefix, challenge, public key x and
y, signature R8 x and y, S, separated by colons, numbers in decimal."""


def new_challenge(now: int | None = None) -> int:
    """A fresh challenge issued at `now` (default: the current time)."""
    issued = int(time.time()) if now is None else now
    return (issued << RANDOM_BITS) | secrets.randbits(RANDOM_BITS)


def issued_at(challenge: int) -> int:
    """The Unix time a challenge was issued at."""
    return challenge >> RANDOM_BITS


@dataclass(frozen=True)
class HolderProof:
    """A voter's signature of a challenge, with the public key it verifies under."""

    challenge: int
    public_key: babyjub.Point
    signature: Signature

    def to_text(self) -> str:
        numbers = (
            self.challenge,
            *self.public_key,
            *self.signature.r8,
            self.signature.s,
        )
        return ":".join([HOLDER_PROOF_PREFIX, *(str(n) for n in numbers)])

    @classmethod
    def from_text(cls, text: str) -> "HolderProof":
        """Parses the page's one-line text; refuses anything else with one line."""
        parts = text.strip().split(":")
        if ":".join(parts[:2]) != HOLDER_PROOF_PREFIX or len(parts) != 8:
            raise InvalidHolderProof(f"not a Veche holder proof (it starts {HOLDER_PROOF_PREFIX})")
        challenge, px, py, rx, ry, s = (_number(part, "holder proof") for part in parts[2:])
        return cls(challenge, babyjub.Point(px, py), Signature(babyjub.Point(rx, ry), s))

    @classmethod
    def from_parts(cls, challenge: str, public_key: str, signature: str) -> "HolderProof":
        """From the separate texts `CHALLENGE`, `X,Y` and `R8x,R8y,S`."""
        key = [_number(part, "public key") for part in public_key.split(",")]
        sig = [_number(part, "signature") for part in signature.split(",")]
        if len(key) != 2:
            raise InvalidHolderProof("the public key is two numbers X,Y")
        if len(sig) != 3:
            raise InvalidHolderProof("the signature is three numbers R8x,R8y,S")
        return cls(
            _number(challenge, "challenge"),
            babyjub.Point(*key),
            Signature(babyjub.Point(sig[0], sig[1]), sig[2]),
        )


def verify_holder(
    proof: HolderProof,
    commitment: int,
    *,
    now: int | None = None,
    max_age: int = MAX_CHALLENGE_AGE_SECONDS,
) -> None:
    """Refuses (`InvalidHolderProof`) unless the proof's key is the commitment's, its
    challenge is recent and its signature is valid."""
    if not 0 < proof.challenge < SNARK_SCALAR_FIELD:
        raise InvalidHolderProof("the challenge is not a field element")
    moment = int(time.time()) if now is None else now
    age = moment - issued_at(proof.challenge)
    if not -60 <= age <= max_age:
        raise InvalidHolderProof(
            f"the challenge was issued {age} s ago; issue a new one (at most {max_age} s old)"
        )
    if not babyjub.is_on_curve(proof.public_key):
        raise InvalidHolderProof("the public key is not a Baby Jubjub point")
    if poseidon(*proof.public_key) != commitment:
        raise InvalidHolderProof("the public key is not the one behind this commitment")
    if not verify_signature(proof.challenge, proof.signature, proof.public_key):
        raise InvalidHolderProof("the signature of the challenge is not valid for this key")


def _number(text: str, what: str) -> int:
    value = text.strip()
    if not value.isdigit():
        raise InvalidHolderProof(f"the {what} must be decimal numbers, got {text!r}")
    return int(value)

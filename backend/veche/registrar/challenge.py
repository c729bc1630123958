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
from veche.crypto.errors import CryptoError
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.poseidon import poseidon
from veche.registrar.errors import InvalidHolderProof

RANDOM_BITS = 208
MAX_CHALLENGE_AGE_SECONDS = 30 * 60
"""A challenge older than this is refused: a registration session lasts minutes."""

CHALLENGE_PREFIX = "VECHE:C1:"
"""The code the registrar's desk shows (as a QR code): the prefix, then the challenge."""

HOLDER_PROOF_PREFIX = "VECHE:H1:"
"""The voter's answer (a QR code the page shows, or `veche voter sign-challenge` prints): the
prefix, then four zero-padded decimal numbers: the challenge, the packed public key, the packed
signature point R8 (32 bytes each, as `packPoint` of `@zk-kit/baby-jubjub`) and S. Digits only
after an upper-case prefix, so a QR code holds it in numeric mode (version 8 at level M)."""

_WIDTHS = (75, 78, 78, 76)
"""Digits of the challenge (< 2^248), the two packed points (< 2^256) and S (< 2^251)."""


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

    @property
    def commitment(self) -> int:
        """`Poseidon(publicKey)`: the commitment this key stands behind."""
        return poseidon(*self.public_key)

    def to_text(self) -> str:
        """The compact answer code (see `HOLDER_PROOF_PREFIX`)."""
        numbers = (
            self.challenge,
            babyjub.pack(self.public_key),
            babyjub.pack(self.signature.r8),
            self.signature.s,
        )
        return HOLDER_PROOF_PREFIX + "".join(
            str(n).zfill(width) for n, width in zip(numbers, _WIDTHS, strict=True)
        )

    @classmethod
    def from_text(cls, text: str) -> "HolderProof":
        """Parses an answer code; refuses anything else with one line."""
        code = text.strip()
        digits = code[len(HOLDER_PROOF_PREFIX) :]
        if code[: len(HOLDER_PROOF_PREFIX)].upper() != HOLDER_PROOF_PREFIX:
            raise InvalidHolderProof(
                f"not a Veche answer code (it starts {HOLDER_PROOF_PREFIX}): {_preview(code)}"
            )
        if not (digits.isascii() and digits.isdigit() and len(digits) == sum(_WIDTHS)):
            raise InvalidHolderProof(
                f"an answer code has {sum(_WIDTHS)} digits after {HOLDER_PROOF_PREFIX},"
                f" got {len(digits)} characters: {_preview(code)}"
            )
        fields, at = [], 0
        for width in _WIDTHS:
            fields.append(int(digits[at : at + width]))
            at += width
        challenge, packed_key, packed_r8, s = fields
        try:
            public_key, r8 = babyjub.unpack(packed_key), babyjub.unpack(packed_r8)
        except CryptoError as error:
            raise InvalidHolderProof(f"the answer code is damaged: {error}") from None
        return cls(challenge, public_key, Signature(r8, s))

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


def parse_challenge(text: str) -> int:
    """The challenge in a desk's code `VECHE:C1:<digits>`, or typed as plain digits."""
    value = "".join(text.split())
    if value.upper().startswith(CHALLENGE_PREFIX):
        value = value[len(CHALLENGE_PREFIX) :]
    challenge = _number(value, "challenge")
    if not 0 < challenge < SNARK_SCALAR_FIELD:
        raise InvalidHolderProof(f"the challenge is not a field element: {_preview(value)}")
    return challenge


def challenge_code(challenge: int) -> str:
    """The code a desk shows for `challenge`."""
    return f"{CHALLENGE_PREFIX}{challenge}"


def _preview(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _number(text: str, what: str) -> int:
    value = text.strip()
    if not (value.isascii() and value.isdigit()):
        raise InvalidHolderProof(f"the {what} must be decimal numbers, got {_preview(text)}")
    return int(value)

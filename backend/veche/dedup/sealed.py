"""Sealed boxes on Baby Jubjub: how one DKG participant sends another a secret over a public
board (a shared folder, a web page) that everyone can read.

ECIES: an ephemeral `e`, `R = e·G`; the key is SHA-256(dst, e·P, R, P) for the recipient's
`P = p·G`; the payload is sealed with ChaCha20-Poly1305 (pycryptodome). The recipient computes
`p·R`. Authenticated: a box altered on the board fails to open rather than yielding a wrong
share.
"""

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from Crypto.Cipher import ChaCha20_Poly1305

from veche.crypto.babyjub import Point
from veche.dedup.errors import DedupError
from veche.dedup.group import GENERATOR, encode, from_json, mul, require_element, to_json
from veche.dedup.shamir import random_scalar

_DST = b"veche/dedup/sealed/v1"


class SealedBoxError(DedupError):
    """A sealed box does not open with this key (altered, or addressed to someone else)."""


@dataclass(frozen=True)
class SealedBox:
    ephemeral: Point
    nonce: bytes
    ciphertext: bytes
    tag: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "ephemeral": to_json(self.ephemeral),
            "nonce": self.nonce.hex(),
            "ciphertext": self.ciphertext.hex(),
            "tag": self.tag.hex(),
        }

    @classmethod
    def from_json(cls, data: Any) -> "SealedBox":
        try:
            return cls(
                from_json(data["ephemeral"], "ephemeral key"),
                bytes.fromhex(data["nonce"]),
                bytes.fromhex(data["ciphertext"]),
                bytes.fromhex(data["tag"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise SealedBoxError(f"malformed sealed box: {error}") from None


def _key(shared: Point, ephemeral: Point, recipient: Point) -> bytes:
    return hashlib.sha256(_DST + encode(shared) + encode(ephemeral) + encode(recipient)).digest()


def seal(recipient: Point, payload: bytes, context: bytes) -> SealedBox:
    """`payload` readable only by the holder of `recipient`'s secret; `context` is bound in."""
    require_element(recipient, "recipient key")
    ephemeral_secret = random_scalar()
    ephemeral = mul(GENERATOR, ephemeral_secret)
    key = _key(mul(recipient, ephemeral_secret), ephemeral, recipient)
    nonce = secrets.token_bytes(12)
    cipher = ChaCha20_Poly1305.new(key=key, nonce=nonce)
    cipher.update(context)
    ciphertext, tag = cipher.encrypt_and_digest(payload)
    return SealedBox(ephemeral, nonce, ciphertext, tag)


def open_box(box: SealedBox, secret: int, context: bytes) -> bytes:
    recipient = mul(GENERATOR, secret)
    key = _key(mul(box.ephemeral, secret), box.ephemeral, recipient)
    cipher = ChaCha20_Poly1305.new(key=key, nonce=box.nonce)
    cipher.update(context)
    try:
        return bytes(cipher.decrypt_and_verify(box.ciphertext, box.tag))
    except ValueError:
        raise SealedBoxError(
            "a sealed box does not open: altered, or not addressed to this key"
        ) from None

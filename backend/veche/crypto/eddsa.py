"""EdDSA over Baby Jubjub with Poseidon, as `@zk-kit/eddsa-poseidon` 1.0.4 (Semaphore v4's
`identity.signMessage` / `Identity.verifySignature`).

A registrar proves that a voter holds the identity behind a commitment by asking for a signature
of a fresh challenge with the identity key; it must accept exactly the signatures the voter's
browser (the JavaScript library) makes, so every step below mirrors that library:

- `h = BLAKE-512(privateKey)`; `s` = the pruned little-endian integer of `h[0:32]`;
  the public key is `A = (s >> 3) · BASE8`, that is `secretScalar · BASE8`;
- nonce `r = BLAKE-512(h[32:64] || le32(message)) mod l`, `R8 = r · BASE8`;
- `S = r + Poseidon(R8.x, R8.y, A.x, A.y, message) · s  (mod l)`;
- valid if `S < l`, both points are on the curve and `S · BASE8 == R8 + 8·hm · A`.

The nonce is derived from the key and the message (RFC 8032 style), so signing needs no
randomness and never reuses a nonce for two different messages.
"""

from typing import NamedTuple

from veche.crypto import babyjub
from veche.crypto.blake512 import blake512
from veche.crypto.errors import InvalidPrivateKey
from veche.crypto.field import require_field_element
from veche.crypto.poseidon import poseidon


class Signature(NamedTuple):
    """An EdDSA-Poseidon signature: the nonce point `R8` and the scalar `S`."""

    r8: babyjub.Point
    s: int


def prune(digest_half: bytes) -> int:
    """The RFC 8032 clamping of zk-kit's `pruneBuffer`, read as a little-endian integer.

    Clearing the 3 low bits makes the scalar a multiple of the cofactor 8; setting bit 254 and
    clearing bit 255 fixes its length.
    """
    buffer = bytearray(digest_half)
    buffer[0] &= 0xF8
    buffer[31] &= 0x7F
    buffer[31] |= 0x40
    return int.from_bytes(buffer, "little")


def _require_private_key(private_key: bytes) -> bytes:
    if not isinstance(private_key, bytes | bytearray) or len(private_key) == 0:
        raise InvalidPrivateKey("it must be non-empty bytes")
    return bytes(private_key)


def derive_secret_scalar(private_key: bytes) -> int:
    """`deriveSecretScalar` of `@zk-kit/eddsa-poseidon`: the identity's `secret`, below `l`."""
    digest = blake512(_require_private_key(private_key))
    return (prune(digest[:32]) >> 3) % babyjub.SUBGROUP_ORDER


def derive_public_key(private_key: bytes) -> babyjub.Point:
    """`derivePublicKey`: `secret · BASE8`."""
    return babyjub.mul(babyjub.BASE8, derive_secret_scalar(private_key))


def sign_message(private_key: bytes, message: int) -> Signature:
    """Sign the field element `message` with the identity's private key (`signMessage`)."""
    require_field_element(message, "signed message")
    digest = blake512(_require_private_key(private_key))
    s = prune(digest[:32])
    public_key = babyjub.mul(babyjub.BASE8, s >> 3)
    nonce_digest = blake512(digest[32:64] + message.to_bytes(32, "little"))
    r = int.from_bytes(nonce_digest, "little") % babyjub.SUBGROUP_ORDER
    r8 = babyjub.mul(babyjub.BASE8, r)
    hm = poseidon(r8.x, r8.y, public_key.x, public_key.y, message)
    return Signature(r8, (r + hm * s) % babyjub.SUBGROUP_ORDER)


def verify_signature(message: int, signature: Signature, public_key: babyjub.Point) -> bool:
    """True if `signature` signs `message` under `public_key` (`verifySignature`).

    A malformed signature or key (off the curve, `S >= l`) is simply invalid: it comes from the
    party being checked, so it gives `False`, never an exception. A `message` outside the field
    raises `FieldElementOutOfRange`: it comes from the verifier itself.
    """
    require_field_element(message, "signed message")
    r8, s = signature
    if not (babyjub.is_on_curve(r8) and babyjub.is_on_curve(public_key)):
        return False
    if not 0 <= s < babyjub.SUBGROUP_ORDER:
        return False
    hm = poseidon(r8.x, r8.y, public_key.x, public_key.y, message)
    left = babyjub.mul(babyjub.BASE8, s)
    right = babyjub.add(r8, babyjub.mul(public_key, 8 * hm))
    return left == right

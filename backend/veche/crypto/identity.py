"""A voter's Semaphore v4 identity, bit for bit as `@semaphore-protocol/identity` 4.14.3.

The same private key must give the same commitment in the voter's browser (JavaScript), in the
registrar's tools and in the recount (Python); otherwise a registered voter could not prove
membership. The derivation is in PROTOCOL.md ("Identity"):
`secret = deriveSecretScalar(privateKey)`, `publicKey = secret · BASE8`,
`commitment = Poseidon(publicKey)`, and per election `nullifier = Poseidon(scope, secret)`.

The private key is the only secret a voter holds; this class never shows it in `repr`.
"""

import base64
import binascii
import hmac
import secrets
from functools import cached_property

from veche.crypto import babyjub, eddsa
from veche.crypto.errors import InvalidPrivateKey
from veche.crypto.field import require_field_element
from veche.crypto.poseidon import poseidon

PRIVATE_KEY_BYTES = 32
"""Length of a freshly generated private key, as `crypto.getRandomValues(32)` in zk-kit."""


class Identity:
    """A Semaphore v4 identity: a private key and the values derived from it."""

    def __init__(self, private_key: bytes) -> None:
        """Prefer the named constructors; any non-empty byte string is a valid key, as in JS."""
        if not isinstance(private_key, bytes | bytearray) or len(private_key) == 0:
            raise InvalidPrivateKey("it must be non-empty bytes")
        self._private_key = bytes(private_key)

    @classmethod
    def generate(cls) -> "Identity":
        """A new identity from 32 bytes of the operating system's CSPRNG."""
        return cls(secrets.token_bytes(PRIVATE_KEY_BYTES))

    @classmethod
    def from_private_key(cls, private_key: bytes) -> "Identity":
        """The identity of a raw private key (the bytes behind `Identity.export()`)."""
        return cls(private_key)

    @classmethod
    def import_(cls, exported: str) -> "Identity":
        """The identity of a base64 private key, as `Identity.import()` in JavaScript.

        Strict where Node's decoder is lenient: a string with characters outside the base64
        alphabet is refused rather than silently decoded into another identity.
        """
        try:
            private_key = base64.b64decode(exported.strip(), validate=True)
        except (binascii.Error, ValueError, AttributeError) as error:
            raise InvalidPrivateKey("it is not a base64 string") from error
        return cls(private_key)

    def export(self) -> str:
        """The private key in base64 (standard alphabet, padded), as `Identity.export()`."""
        return base64.b64encode(self._private_key).decode("ascii")

    @property
    def private_key(self) -> bytes:
        """The raw private key. Handle with care: whoever has it can vote as this voter."""
        return self._private_key

    @cached_property
    def secret_scalar(self) -> int:
        """The circuit's private `secret` input: `deriveSecretScalar(privateKey)`, below `l`."""
        return eddsa.derive_secret_scalar(self._private_key)

    @cached_property
    def public_key(self) -> babyjub.Point:
        """`secret · BASE8` on Baby Jubjub."""
        return babyjub.mul(babyjub.BASE8, self.secret_scalar)

    @cached_property
    def commitment(self) -> int:
        """`Poseidon(publicKey.x, publicKey.y)`: the register leaf, the only value made public."""
        return poseidon(self.public_key.x, self.public_key.y)

    def nullifier(self, scope_signal: int) -> int:
        """`Poseidon(scope_signal, secret)`, the circuit's nullifier for one election.

        `scope_signal` is the circuit's public `scope`, that is `H(electionScope)`
        (`veche.crypto.hashing.scope_signal`), not the raw election scope.
        """
        require_field_element(scope_signal, "scope signal")
        return poseidon(scope_signal, self.secret_scalar)

    def sign(self, message: int) -> eddsa.Signature:
        """EdDSA-Poseidon signature of a field element, as `identity.signMessage(message)`."""
        return eddsa.sign_message(self._private_key, message)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Identity):
            return NotImplemented
        return hmac.compare_digest(self._private_key, other._private_key)

    def __hash__(self) -> int:
        return hash(self.commitment)

    def __repr__(self) -> str:
        return f"Identity(commitment={self.commitment})"


def verify_signature(message: int, signature: eddsa.Signature, public_key: babyjub.Point) -> bool:
    """`Identity.verifySignature`: does `signature` sign `message` under `public_key`?"""
    return eddsa.verify_signature(message, signature, public_key)

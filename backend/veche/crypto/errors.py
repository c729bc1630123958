"""Errors of the cryptography core.

Each class carries the offending values as attributes and in its message, so that a user sees a
one-line reason (and a developer the numbers) instead of a traceback from deep inside a library.
"""

from veche.errors import VecheError


class CryptoError(VecheError):
    """Root of the errors raised by `veche.crypto`."""


class FieldElementOutOfRange(CryptoError):
    """An integer that must be a BN254 scalar field element is negative or not below `r`."""

    def __init__(self, what: str, value: int) -> None:
        self.what = what
        self.value = value
        super().__init__(f"{what} must be an integer in [0, r), got {value!r}")


class InvalidPrivateKey(CryptoError):
    """A Semaphore private key is empty, not bytes, or not valid base64."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"invalid identity private key: {reason}")


class PointNotOnCurve(CryptoError):
    """A Baby Jubjub point does not satisfy the curve equation (or has a coordinate >= r)."""

    def __init__(self, x: int, y: int) -> None:
        self.x = x
        self.y = y
        super().__init__(f"point ({x}, {y}) is not on Baby Jubjub")


class LeafCannotBeZero(CryptoError):
    """Zero is refused as a register leaf, as in `InternalLeanIMT`: it stands for "no member"."""

    def __init__(self) -> None:
        super().__init__("a register leaf cannot be zero")


class LeafGreaterThanSnarkScalarField(FieldElementOutOfRange):
    """A register leaf is not below `r`, so the circuit could not take it."""

    def __init__(self, leaf: int) -> None:
        super().__init__("register leaf", leaf)
        self.leaf = leaf


class LeafAlreadyExists(CryptoError):
    """A commitment is already in the register: one identity, one membership."""

    def __init__(self, leaf: int, index: int) -> None:
        self.leaf = leaf
        self.index = index
        super().__init__(f"leaf {leaf} is already in the register at index {index}")


class LeafDoesNotExist(CryptoError):
    """A commitment looked up in the register is not there."""

    def __init__(self, leaf: int) -> None:
        self.leaf = leaf
        super().__init__(f"leaf {leaf} is not in the register")


class LeafIndexOutOfRange(CryptoError):
    """A Merkle proof was asked for an index the register does not have."""

    def __init__(self, index: int, size: int) -> None:
        self.index = index
        self.size = size
        super().__init__(f"leaf index {index} is out of range for a register of {size} leaves")


class RegisterFull(CryptoError):
    """Adding the leaves would make the tree deeper than the circuit admits."""

    def __init__(self, size: int, max_size: int) -> None:
        self.size = size
        self.max_size = max_size
        super().__init__(f"a register of {size} leaves exceeds the maximum of {max_size}")


class MessageFieldOutOfRange(CryptoError):
    """A ballot `choice` or `revision` does not fit its `uint32` (or `revision` is 0)."""

    def __init__(self, what: str, value: int) -> None:
        self.what = what
        self.value = value
        super().__init__(f"ballot {what} {value} is out of range")


class ProofFormatError(CryptoError):
    """A proof, a verifying key or public signals are malformed (wrong shape, not a number,
    coordinate out of range, point off the curve or outside the prime-order subgroup)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"malformed Groth16 input: {reason}")


class Uint256OutOfRange(CryptoError):
    """A value that Solidity takes as `uint256` is negative or at least `2**256`."""

    def __init__(self, what: str, value: object) -> None:
        self.what = what
        self.value = value
        super().__init__(f"{what} must be an integer in [0, 2**256), got {value!r}")


class InvalidAddress(CryptoError):
    """An Ethereum address is not 20 bytes (or 40 hexadecimal digits)."""

    def __init__(self, value: object) -> None:
        self.value = value
        super().__init__(f"not an Ethereum address: {value!r}")

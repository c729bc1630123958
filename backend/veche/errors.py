"""The root of every error Veche raises on purpose.

Every error a user can cause (a bad input, a bad file, a refused transaction) is a subclass of
`VecheError` whose `str()` is a one-line reason, so that command-line tools and the relayer can
show it without a traceback.
"""

from collections.abc import Mapping
from typing import Any


class VecheError(Exception):
    """Root of every Veche error."""


class ProofError(VecheError):
    """The prover could not make a ballot proof: the circuit refused the inputs (for example a
    secret scalar not below the Baby Jubjub subgroup order) or the prover process failed."""


class CompileError(VecheError):
    """The Solidity sources did not compile, or the committed artifacts are stale."""


class ArtifactError(VecheError):
    """A compiled contract artifact is missing, malformed, or cannot be linked."""


class ChainError(VecheError):
    """The chain could not be reached, or it answered something unexpected."""


class NotAnElection(ChainError):
    """An address does not hold the Election contract this code was built for."""


class ContractRevert(ChainError):
    """A contract call reverted; `name` and `args` are the decoded custom error.

    `name` is the error's name in the ABI (`"StaleRevision"`), `values` its decoded arguments by
    name, in ABI order. A revert that matches no error of the ABI has name `"UnknownRevert"` and
    the raw revert data in `values["data"]`.
    """

    def __init__(self, name: str, args: Mapping[str, Any] | None = None) -> None:
        self.name = name
        self.values: dict[str, Any] = dict(args or {})
        super().__init__(name, self.values)

    def __str__(self) -> str:
        inner = ", ".join(f"{key}={_short(value)}" for key, value in self.values.items())
        return f"{self.name}({inner})"


def _short(value: Any) -> str:
    """Renders an error argument on one line: bytes as hex, everything else with `str`."""
    if isinstance(value, bytes | bytearray):
        return "0x" + bytes(value).hex()
    return str(value)

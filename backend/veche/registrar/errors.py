"""Errors of the registrar's tool; each is one line a registrar can act on."""

from veche.errors import VecheError


class RegistrarError(VecheError):
    """Root of the errors raised by `veche.registrar`."""


class InvalidHolderProof(RegistrarError):
    """The voter did not prove control of the identity behind the commitment (a bad or stale
    signature, or a public key that is not the commitment's)."""


class RegistrationRefused(RegistrarError):
    """The person cannot be added: unknown district, no quota left, already registered..."""


class BatchFileError(RegistrarError):
    """The pending batch file is unreadable, malformed, or belongs to another election."""


class SubmitRefused(RegistrarError):
    """The chain would refuse (or refused) part of a batch; the batch file still holds every
    entry that is not on chain."""

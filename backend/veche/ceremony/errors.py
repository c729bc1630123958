"""Errors of the ceremony: each one line, with the offending file or value."""

from veche.errors import VecheError


class CeremonyError(VecheError):
    """A ceremony step failed or a file is not what it claims to be."""


class PtauHashMismatch(CeremonyError):
    """The powers-of-tau file is not the published one."""


class TranscriptInvalid(CeremonyError):
    """The transcript (a .zkey) does not verify against the circuit and the powers of tau."""

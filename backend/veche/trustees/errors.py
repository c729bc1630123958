"""Errors of the trustees: each names the file, trustee, district or option at fault."""

from veche.errors import VecheError


class TrusteeError(VecheError):
    """Root of the errors raised by `veche.trustees`."""


class ElectionKeyError(TrusteeError):
    """An election key or trustee share file is missing, unreadable, malformed or inconsistent
    (a verification share off the option key's polynomial, a share that does not match)."""

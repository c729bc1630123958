"""Which verification key an election may use, and production mode.

An election's definition pins the sha256 of its ceremony's `verification_key.json`; the deploy,
the relayer, the page build and the recount compare the key they load with it and refuse any
other. `VECHE_MODE=production` also refuses the repository's development key (made on one
machine: whoever ran it could forge ballots) and a definition that pins no key; the recount,
which must still be able to judge a bad election, warns loudly instead of refusing.
"""

import hashlib
import os
import warnings
from pathlib import Path

from veche.errors import VecheError
from veche.keys import DEV_ZK_DIR, ENCRYPTED_DEV_ZK_DIR
from veche.protocol.spec import ZK_VERIFICATION_KEY

MODE_VARIABLE = "VECHE_MODE"
MODES = ("dev", "production")
"""As the relayer reads it (`veche.relayer.settings`); the other tools default to `dev`."""
DEV_VERIFICATION_KEY = DEV_ZK_DIR / ZK_VERIFICATION_KEY
ENCRYPTED_DEV_VERIFICATION_KEY = ENCRYPTED_DEV_ZK_DIR / ZK_VERIFICATION_KEY
"""The encrypted ballot circuit's development key (for the development election key)."""


class KeyNotPinned(VecheError):
    """The verification key is not the one the election's definition pins."""


class DevKeyInProduction(VecheError):
    """Production mode met the development key, or a definition that pins no key."""


class DevKeyRecountWarning(UserWarning):
    """A recount of an election whose ballots were checked with the development key."""


def production() -> bool:
    mode = os.environ.get(MODE_VARIABLE, "dev")
    if mode not in MODES:
        raise VecheError(f"{MODE_VARIABLE}={mode!r}: must be one of {', '.join(MODES)}")
    return mode == "production"


def key_sha256(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise KeyNotPinned(f"cannot read the verification key {path}: {exc.strerror}") from exc


def development_key_sha256() -> str:
    return key_sha256(DEV_VERIFICATION_KEY)


def is_development_key(found: str) -> bool:
    """True for the sha256 of either development verification key: the plain ballot circuit's
    or the encrypted one's (both from one-machine ceremonies)."""
    return found in {development_key_sha256(), key_sha256(ENCRYPTED_DEV_VERIFICATION_KEY)}


def check_key(
    path: Path,
    pinned: str | None,
    *,
    who: str,
    refuse_development: bool = True,
    production_mode: bool | None = None,
) -> str:
    """The key's sha256, if `who` (deploy, relayer, page, recount) may use it; else an error.

    `refuse_development=False` (the recount) skips production mode's refusals;
    `production_mode` overrides `VECHE_MODE` (the relayer passes its own setting)."""
    found = key_sha256(path)
    if pinned is not None and found != pinned:
        raise KeyNotPinned(
            f"{who}: the verification key {path} has sha256 {found}, but the election's "
            f"definition pins {pinned}: refusing another key"
        )
    in_production = production() if production_mode is None else production_mode
    if refuse_development and in_production:
        if is_development_key(found):
            raise DevKeyInProduction(
                f"{who}: {path} is Veche's DEVELOPMENT key (anyone who ran its one-machine "
                "ceremony can forge ballots); production needs the key of a multi-party "
                "ceremony (`veche ceremony`)"
            )
        if pinned is None:
            raise DevKeyInProduction(
                f"{who}: production needs a definition that pins its verification key "
                "(verification_key_sha256 = the hash `veche ceremony export` prints)"
            )
    return found


def warn_if_development_key(found: str) -> bool:
    """The recount's loud warning; True if the ballots were checked with the development key."""
    if not is_development_key(found):
        return False
    warnings.warn(
        "THIS ELECTION USES VECHE'S DEVELOPMENT VERIFICATION KEY: whoever ran its one-machine "
        "ceremony can forge ballots, so its result proves nothing outside a test",
        DevKeyRecountWarning,
        stacklevel=2,
    )
    return True

"""Where the circuit's proving and verification keys are loaded from: the one place in Python
that names them (`spec/protocol.json`, `zk`).

DEVELOPMENT KEYS ONLY. The keys committed under `zk/artifacts/depth20/` come from a ceremony run
on one machine (`zk/ceremony.sh`): whoever ran it could have kept the toxic waste and forge any
ballot. A real election needs a multi-party ceremony (see `zk/artifacts/depth20/README.md`);
point `VECHE_ZK_DIR` at its output and redeploy the verifier it exports.
"""

import os
import warnings
from pathlib import Path

from veche.chain.paths import REPO_ROOT
from veche.protocol.spec import (
    SPEC,
    ZK_DEVELOPMENT_DIR,
    ZK_DIR_VARIABLE,
    ZK_VERIFICATION_KEY,
    ZK_WASM,
    ZK_ZKEY,
)

DEV_ZK_DIR = REPO_ROOT / ZK_DEVELOPMENT_DIR


class DevKeyWarning(UserWarning):
    """The development keys are in use: fine for tests and demos, never for an election."""


def zk_dir() -> Path:
    """The folder holding the circuit's wasm, proving key and verification key: `VECHE_ZK_DIR`
    if set, else the development keys (with a `DevKeyWarning`)."""
    configured = os.environ.get(ZK_DIR_VARIABLE)
    if configured:
        return Path(configured)
    warnings.warn(
        f"using Veche's DEVELOPMENT proving keys ({ZK_DEVELOPMENT_DIR}): not for a real election",
        DevKeyWarning,
        stacklevel=2,
    )
    return DEV_ZK_DIR


def verification_key_path() -> Path:
    return zk_dir() / ZK_VERIFICATION_KEY


def wasm_path() -> Path:
    return zk_dir() / ZK_WASM


def zkey_path() -> Path:
    return zk_dir() / ZK_ZKEY


ENCRYPTED_DEV_ZK_DIR = REPO_ROOT / SPEC["encryption"]["developmentDir"]
"""The encrypted ballot circuit of the DEVELOPMENT election key, and its DEV proving keys."""

ENCRYPTED_ZK_DIR_VARIABLE: str = SPEC["encryption"]["circuit"]["envVar"]


def encrypted_zk_dir() -> Path:
    """The encrypted ballot circuit's key folder (the same file names as `zk_dir()`'s):
    `VECHE_ENCRYPTED_ZK_DIR` if set (the election key's own circuit, `zk/build-encrypted.sh`),
    else the development election key's (with a `DevKeyWarning`)."""
    configured = os.environ.get(ENCRYPTED_ZK_DIR_VARIABLE)
    if configured:
        return Path(configured)
    warnings.warn(
        f"using the DEVELOPMENT election key's circuit and proving keys "
        f"({ENCRYPTED_DEV_ZK_DIR.relative_to(REPO_ROOT)}): not for a real election",
        DevKeyWarning,
        stacklevel=2,
    )
    return ENCRYPTED_DEV_ZK_DIR

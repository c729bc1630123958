"""Where the circuit's proving and verification keys are loaded from.

DEVELOPMENT KEYS ONLY. The keys committed under `zk/artifacts/depth20/` come from a ceremony run
on one machine (`zk/ceremony.sh`): whoever ran it could have kept the toxic waste and forge any
ballot. A real election needs a multi-party ceremony (see `zk/artifacts/depth20/README.md`);
point `VECHE_ZK_DIR` at its output and redeploy the verifier it exports.
"""

import os
import warnings
from pathlib import Path

from veche.chain.paths import REPO_ROOT

DEV_ZK_DIR = REPO_ROOT / "zk" / "artifacts" / "depth20"


class DevKeyWarning(UserWarning):
    """The development keys are in use: fine for tests and demos, never for an election."""


def zk_dir() -> Path:
    """The folder holding `semaphore.wasm`, `semaphore.zkey` and `verification_key.json`."""
    configured = os.environ.get("VECHE_ZK_DIR")
    if configured:
        return Path(configured)
    warnings.warn(
        "using Veche's DEVELOPMENT proving keys (zk/artifacts/depth20): not for a real election",
        DevKeyWarning,
        stacklevel=2,
    )
    return DEV_ZK_DIR


def verification_key_path() -> Path:
    return zk_dir() / "verification_key.json"

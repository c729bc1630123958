"""The development election key: made by a dealer, committed with ALL its shares.

DEVELOPMENT ONLY. `zk/artifacts/encrypted16/development-election-key.json` and its
`development-trustee-shares.json` (3 trustees, threshold 2) are in the repository, so anyone
can decrypt every ballot encrypted to this key: tests and the demo use it because they must run
without trustees. A real election's key comes from the trustees' key generation without a
dealer (`veche trustee dkg`), and its shares never leave the trustees' machines.

Regenerate (then rebuild the encrypted circuit, whose constants are these keys):
`veche trustee dev-key --out zk/artifacts/encrypted16 --force`.
"""

import json
import warnings
from pathlib import Path
from typing import Any

from veche.chain.paths import REPO_ROOT
from veche.crypto.babyjub import Point
from veche.crypto.elgamal import OPTIONS
from veche.dedup.group import GENERATOR, mul
from veche.dedup.shamir import random_scalar, split
from veche.protocol.spec import SPEC
from veche.trustees.errors import ElectionKeyError
from veche.trustees.key import ElectionKey, Trustee, TrusteeShare, read_json

DEVELOPMENT_DIR = REPO_ROOT / SPEC["encryption"]["developmentDir"]
DEVELOPMENT_KEY = DEVELOPMENT_DIR / SPEC["encryption"]["developmentElectionKey"]
DEVELOPMENT_SHARES = DEVELOPMENT_DIR / SPEC["encryption"]["developmentTrusteeShares"]
SHARES_FORMAT = "veche-development-trustee-shares/v1"
DEVELOPMENT_TRUSTEES = ("Development trustee 1", "Development trustee 2", "Development trustee 3")
DEVELOPMENT_THRESHOLD = 2

DEALER_WARNING = (
    "WARNING: a dealer made this election key and held it whole. Whoever ran this command can "
    "decrypt every ballot encrypted to it. For a real election the trustees run "
    "`veche trustee dkg` instead, and no machine ever holds the key."
)


class DevElectionKeyWarning(UserWarning):
    """The development election key is in use: anyone can decrypt its ballots; tests and demos
    only."""


def deal(threshold: int, names: tuple[str, ...]) -> tuple[ElectionKey, list[TrusteeShare]]:
    """16 fresh option keys, each split into `len(names)` shares of which `threshold` decrypt.
    A dealer: development only (`DEALER_WARNING`)."""
    n = len(names)
    option_keys: list[Point] = []
    by_trustee: dict[int, list[int]] = {j: [] for j in range(1, n + 1)}
    for _ in range(OPTIONS):
        secret = random_scalar()
        option_keys.append(mul(GENERATOR, secret))
        for piece in split(secret, threshold, n):
            by_trustee[piece.index].append(piece.value)
        del secret
    key = ElectionKey(
        threshold=threshold,
        trustees=tuple(Trustee(j, name) for j, name in enumerate(names, start=1)),
        option_keys=tuple(option_keys),
        verification_shares={
            j: tuple(mul(GENERATOR, x) for x in xs) for j, xs in by_trustee.items()
        },
    ).check()
    return key, [TrusteeShare(j, tuple(xs), key).check() for j, xs in by_trustee.items()]


def write_development_key(folder: Path, *, force: bool = False) -> ElectionKey:
    """Writes a fresh development key and all its shares into `folder` (3 trustees, k = 2)."""
    key_path = folder / DEVELOPMENT_KEY.name
    shares_path = folder / DEVELOPMENT_SHARES.name
    for path in (key_path, shares_path):
        if path.exists() and not force:
            raise ElectionKeyError(f"{path} exists already: pass --force to replace it")
    key, shares = deal(DEVELOPMENT_THRESHOLD, DEVELOPMENT_TRUSTEES)
    folder.mkdir(parents=True, exist_ok=True)
    key_path.write_text(json.dumps(key.to_json(), indent=2) + "\n")
    bundle = {
        "format": SHARES_FORMAT,
        "warning": "DEVELOPMENT ONLY: every share of the development election key, public in "
        "the repository, so anyone can decrypt ballots encrypted to it.",
        "shares": [share.to_json() for share in shares],
    }
    shares_path.write_text(json.dumps(bundle, indent=2) + "\n")
    return key


def _warn() -> None:
    warnings.warn(
        f"using Veche's DEVELOPMENT election key ({DEVELOPMENT_KEY.relative_to(REPO_ROOT)}): "
        "anyone can decrypt its ballots; not for a real election",
        DevElectionKeyWarning,
        stacklevel=3,
    )


def development_election_key() -> ElectionKey:
    """The committed development key (with a `DevElectionKeyWarning`)."""
    _warn()
    return ElectionKey.load(DEVELOPMENT_KEY)


def development_trustee_shares() -> list[TrusteeShare]:
    """Every committed share of the development key (with a `DevElectionKeyWarning`)."""
    _warn()
    data: Any = read_json(DEVELOPMENT_SHARES, "development trustee shares")
    if not isinstance(data, dict) or data.get("format") != SHARES_FORMAT:
        raise ElectionKeyError(f"{DEVELOPMENT_SHARES} is not a {SHARES_FORMAT} file")
    key = ElectionKey.load(DEVELOPMENT_KEY)
    shares = [TrusteeShare.from_json(entry) for entry in data.get("shares", [])]
    if any(share.election_key != key for share in shares):
        raise ElectionKeyError(f"{DEVELOPMENT_SHARES} does not belong to {DEVELOPMENT_KEY}")
    return shares

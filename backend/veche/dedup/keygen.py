"""Dealer key generation: one random key, split into `n` Shamir shares with threshold `k`.

DEVELOPMENT AND SMALL DEPLOYMENTS ONLY. The dealer holds the whole key for a moment: whoever ran
it could keep the key and compute (hence test) every person's tag alone. A real election should
run the distributed key generation (`veche authority dkg`, `veche.dedup.dkg`) among the
authorities, so that no machine ever holds the key; if a dealer is used, it must run offline,
hand each share file to its authority, and erase the key and every share it wrote.
"""

import json
from pathlib import Path

from veche.dedup.errors import KeyFileError
from veche.dedup.group import GENERATOR, mul
from veche.dedup.keys import PublicKeySet, ShareFile, write_secret_json
from veche.dedup.shamir import random_scalar, split

DEALER_WARNING = (
    "WARNING: a dealer made this key and held it whole for a moment. Whoever ran this command "
    "could have kept it and could test whether any person is registered. For a real election "
    "run `veche authority dkg` among the authorities instead; if you must use a dealer, do it "
    "offline, give each share file to its authority only, and erase this folder's share files."
)


def deal(threshold: int, shares: int) -> tuple[PublicKeySet, list[ShareFile]]:
    """A fresh key split into `shares` shares, `threshold` of which evaluate the OPRF."""
    key = random_scalar()
    pieces = split(key, threshold, shares)
    key_set = PublicKeySet(
        threshold=threshold,
        shares=shares,
        group_public_key=mul(GENERATOR, key),
        public_keys={piece.index: mul(GENERATOR, piece.value) for piece in pieces},
    ).check()
    del key
    return key_set, [ShareFile(piece, key_set) for piece in pieces]


def write_key_files(folder: Path, threshold: int, shares: int) -> PublicKeySet:
    """Writes `authorities.json` and `authority-<i>.json` (0600) into `folder`; refuses to
    overwrite an existing file."""
    key_set, share_files = deal(threshold, shares)
    write_public_key_set(folder / "authorities.json", key_set)
    for share_file in share_files:
        write_secret_json(folder / f"authority-{share_file.share.index}.json", share_file.to_json())
    return key_set


def write_public_key_set(path: Path, key_set: PublicKeySet) -> None:
    """Writes the public key set (world-readable: registrars and observers pin it)."""
    if path.exists():
        raise KeyFileError(f"{path} exists already: refusing to overwrite a key file")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(key_set.to_json(), indent=2) + "\n")

"""The dedup key's files: one secret share file per authority, and the public key set that
registrars pin.

`authorities.json` (public): the threshold `k`, the number of shares `n`, the group public key
`K = k·G` and every authority's public key share `K_i = k_i·G` (after a DKG, only the
qualified authorities' shares: one disqualified while dealing holds none). Registrars verify
each authority's proof against `K_i` from this file, never against what an authority says about
itself. `authority-<i>.json` (secret, mode 0600): share `i` alone.
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from veche.crypto.babyjub import Point
from veche.dedup.errors import InvalidShares, KeyFileError
from veche.dedup.group import GENERATOR, ORDER, from_json, linear_combination, mul, to_json
from veche.dedup.shamir import Share, lagrange_coefficients, require_parameters

FORMAT = "veche-dedup-key/v1"


@dataclass(frozen=True)
class PublicKeySet:
    """What everyone may know about the dedup key: threshold, shares and public keys."""

    threshold: int
    shares: int
    group_public_key: Point
    public_keys: dict[int, Point]
    """`K_i` by authority index (1..n)."""

    def check(self) -> "PublicKeySet":
        """Refuses a key set whose public shares do not lie on one polynomial of degree `k - 1`
        with `K` at 0: such a set would let some quorums compute other tags than others."""
        require_parameters(self.threshold, self.shares)
        indices = sorted(self.public_keys)
        if not set(indices) <= set(range(1, self.shares + 1)) or len(indices) < self.threshold:
            raise InvalidShares(
                f"public key shares must be at least {self.threshold} of 1..{self.shares}, "
                f"got {indices}"
            )
        basis = indices[: self.threshold]
        for target in [0, *indices[self.threshold :]]:
            expected = self.group_public_key if target == 0 else self.public_keys[target]
            coefficients = lagrange_coefficients(basis, at=target)
            interpolated = linear_combination(
                [(coefficients[i], self.public_keys[i]) for i in basis]
            )
            if interpolated != expected:
                raise InvalidShares(
                    f"public key share {target or 'K'} is inconsistent with shares {basis}"
                )
        return self

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "threshold": self.threshold,
            "shares": self.shares,
            "groupPublicKey": to_json(self.group_public_key),
            "publicKeys": {str(i): to_json(p) for i, p in sorted(self.public_keys.items())},
        }

    @classmethod
    def from_json(cls, data: Any) -> "PublicKeySet":
        try:
            if data["format"] != FORMAT:
                raise KeyFileError(f"not a {FORMAT} key set")
            return cls(
                threshold=int(data["threshold"]),
                shares=int(data["shares"]),
                group_public_key=from_json(data["groupPublicKey"], "group public key"),
                public_keys={
                    int(i): from_json(p, f"public key share {i}")
                    for i, p in data["publicKeys"].items()
                },
            ).check()
        except (KeyError, TypeError, ValueError) as error:
            raise KeyFileError(f"malformed key set: {error}") from None


@dataclass(frozen=True)
class ShareFile:
    """One authority's secret share, with the public key set it belongs to."""

    share: Share
    key_set: PublicKeySet

    @property
    def public_key(self) -> Point:
        return self.key_set.public_keys[self.share.index]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "index": self.share.index,
            "secretShare": str(self.share.value),
            "keySet": self.key_set.to_json(),
        }

    @classmethod
    def from_json(cls, data: Any) -> "ShareFile":
        try:
            if data["format"] != FORMAT:
                raise KeyFileError(f"not a {FORMAT} share file")
            share = Share(int(data["index"]), int(data["secretShare"]))
            key_set = PublicKeySet.from_json(data["keySet"])
        except (KeyError, TypeError, ValueError) as error:
            raise KeyFileError(f"malformed share file: {error}") from None
        if not 0 < share.value < ORDER or share.index not in key_set.public_keys:
            raise KeyFileError(f"share {share.index} is out of range")
        if mul(GENERATOR, share.value) != key_set.public_keys[share.index]:
            raise KeyFileError(f"share {share.index} does not match its public key share")
        return cls(share, key_set)


def load_key_set(path: Path) -> PublicKeySet:
    """Reads and checks `authorities.json`."""
    return PublicKeySet.from_json(read_json(path, "key set"))


def load_share(path: Path) -> ShareFile:
    """Reads and checks an authority's share file."""
    return ShareFile.from_json(read_json(path, "share file"))


def write_secret_json(path: Path, data: dict[str, Any]) -> None:
    """Writes a secret file readable by its owner only (created 0600, never world-readable)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyFileError(f"{path} exists already: refusing to overwrite a key file") from None
    with os.fdopen(descriptor, "w") as handle:
        handle.write(json.dumps(data, indent=2) + "\n")


def read_json(path: Path, what: str) -> Any:
    """The JSON in `path`, or `KeyFileError` saying which file and why not."""
    try:
        return json.loads(Path(path).read_text())
    except OSError as error:
        raise KeyFileError(f"cannot read {what} {path}: {error.strerror}") from None
    except ValueError:
        raise KeyFileError(f"{what} {path} is not JSON") from None

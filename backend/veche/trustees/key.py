"""The election key file (public) and a trustee's share file (secret).

`veche-election-key/v1` (JSON): the threshold `k`, the trustees `[{index, name}]` (indices
1..n), the 16 option keys `Y_i` and every qualified trustee's 16 verification shares
`Y_{j,i} = x_{j,i}·G`, points as `[x, y]` decimal strings. Loading checks that, option by
option, the verification shares lie on one polynomial of degree `k - 1` with `Y_i` at 0 (as the
dedup key set does), so any `k` trustees decrypt the same counts. `key_hash()` is what the
definition and the contract pin: keccak256 of the 16 option keys as `x‖y` 32-byte big-endian.

`veche-trustee-share/v1` (JSON, mode 0600): trustee `index`'s 16 secret shares `x_{j,i}` and
the election key they belong to; loading checks `x_{j,i}·G = Y_{j,i}`.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eth_utils import keccak

from veche.crypto.babyjub import Point
from veche.crypto.elgamal import OPTIONS
from veche.dedup import keys
from veche.dedup.errors import DedupError, KeyFileError
from veche.dedup.group import GENERATOR, ORDER, encode, from_json, mul, to_json
from veche.dedup.keys import PublicKeySet, write_secret_json
from veche.dedup.shamir import MAX_SHARES
from veche.protocol.spec import SPEC
from veche.trustees.errors import ElectionKeyError

FORMAT: str = SPEC["encryption"]["electionKeyFormat"]
SHARE_FORMAT: str = SPEC["encryption"]["trusteeShareFormat"]


@dataclass(frozen=True)
class Trustee:
    """A trustee as the election key names it."""

    index: int
    name: str


@dataclass(frozen=True)
class ElectionKey:
    """The public election key: what voters encrypt to and what decryptions are checked
    against."""

    threshold: int
    trustees: tuple[Trustee, ...]
    option_keys: tuple[Point, ...]
    """`Y_0 … Y_15`."""
    verification_shares: Mapping[int, tuple[Point, ...]]
    """`Y_{j,i}` by trustee index `j` (only the trustees that hold a share)."""

    def check(self) -> "ElectionKey":
        """Refuses an inconsistent key (raises `ElectionKeyError` with the reason)."""
        n = len(self.trustees)
        if sorted(t.index for t in self.trustees) != list(range(1, n + 1)):
            raise ElectionKeyError(f"trustees must be numbered 1..{n}")
        if not 1 <= self.threshold <= n <= MAX_SHARES:
            raise ElectionKeyError(f"need 1 <= threshold <= {n} trustees, got {self.threshold}")
        if len(self.option_keys) != OPTIONS:
            raise ElectionKeyError(f"need {OPTIONS} option keys, got {len(self.option_keys)}")
        for j, shares in self.verification_shares.items():
            if len(shares) != OPTIONS:
                raise ElectionKeyError(f"trustee {j} has {len(shares)} verification shares")
        for i, key in enumerate(self.option_keys):
            try:
                PublicKeySet(
                    threshold=self.threshold,
                    shares=n,
                    group_public_key=key,
                    public_keys={j: s[i] for j, s in self.verification_shares.items()},
                ).check()
            except DedupError as error:
                raise ElectionKeyError(f"option key {i}: {error}") from None
        return self

    def key_hash(self) -> bytes:
        """keccak256 of the 16 option keys as `x‖y` (1024 bytes): the contract's
        `electionKeyHash`."""
        return keccak(b"".join(encode(key) for key in self.option_keys))

    def trustee(self, index: int) -> Trustee:
        for trustee in self.trustees:
            if trustee.index == index:
                return trustee
        raise ElectionKeyError(f"the election key has no trustee {index}")

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "threshold": self.threshold,
            "trustees": [{"index": t.index, "name": t.name} for t in self.trustees],
            "optionKeys": [to_json(key) for key in self.option_keys],
            "verificationShares": {
                str(j): [to_json(p) for p in shares]
                for j, shares in sorted(self.verification_shares.items())
            },
        }

    @classmethod
    def from_json(cls, data: Any) -> "ElectionKey":
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ElectionKeyError(f"not a {FORMAT} election key")
        try:
            trustees = tuple(Trustee(_index(t["index"]), str(t["name"])) for t in data["trustees"])
            key = cls(
                threshold=_index(data["threshold"]),
                trustees=trustees,
                option_keys=_points(data["optionKeys"], "option key"),
                verification_shares={
                    _index(j): _points(shares, f"trustee {j}'s verification share")
                    for j, shares in data["verificationShares"].items()
                },
            )
        except (KeyError, TypeError, ValueError, AttributeError, DedupError) as error:
            raise ElectionKeyError(f"malformed election key: {error}") from None
        return key.check()

    def save(self, path: Path) -> None:
        """Writes the key (public, world-readable); refuses to overwrite a file."""
        if path.exists():
            raise ElectionKeyError(f"{path} exists already: refusing to overwrite a key file")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n")

    @classmethod
    def load(cls, path: Path) -> "ElectionKey":
        """Reads and checks an election key file."""
        return cls.from_json(read_json(path, "election key"))


@dataclass(frozen=True)
class TrusteeShare:
    """Trustee `index`'s secret shares of the 16 option keys, with the key they belong to."""

    index: int
    secrets: tuple[int, ...]
    election_key: ElectionKey

    def __repr__(self) -> str:
        return f"TrusteeShare(index={self.index}, secrets=<secret>)"

    def check(self) -> "TrusteeShare":
        verification = self.election_key.verification_shares.get(self.index)
        if verification is None:
            raise ElectionKeyError(f"trustee {self.index} holds no share of this election key")
        if len(self.secrets) != OPTIONS:
            raise ElectionKeyError(f"trustee {self.index}'s share file has {len(self.secrets)}")
        for i, (secret, public) in enumerate(zip(self.secrets, verification, strict=True)):
            if not 0 < secret < ORDER or mul(GENERATOR, secret) != public:
                raise ElectionKeyError(
                    f"trustee {self.index}'s share of option key {i} does not match its "
                    "verification share"
                )
        return self

    def to_json(self) -> dict[str, Any]:
        return {
            "format": SHARE_FORMAT,
            "index": self.index,
            "name": self.election_key.trustee(self.index).name,
            "secretShares": [str(s) for s in self.secrets],
            "electionKey": self.election_key.to_json(),
        }

    @classmethod
    def from_json(cls, data: Any) -> "TrusteeShare":
        if not isinstance(data, dict) or data.get("format") != SHARE_FORMAT:
            raise ElectionKeyError(f"not a {SHARE_FORMAT} share file")
        try:
            index = _index(data["index"])
            secrets = tuple(int(str(s), 10) for s in data["secretShares"])
        except (KeyError, TypeError, ValueError) as error:
            raise ElectionKeyError(f"malformed trustee share file: {error}") from None
        return cls(index, secrets, ElectionKey.from_json(data.get("electionKey"))).check()

    def save(self, path: Path) -> None:
        """Writes the share file readable by its owner only; refuses to overwrite."""
        try:
            write_secret_json(path, self.to_json())
        except DedupError as error:
            raise ElectionKeyError(str(error)) from None

    @classmethod
    def load(cls, path: Path) -> "TrusteeShare":
        return cls.from_json(read_json(path, "trustee share file"))


def _index(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"not an integer: {value!r}")
    return int(value)


def _points(values: Sequence[Any], what: str) -> tuple[Point, ...]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise ValueError(f"{what}s must be a list")
    return tuple(from_json(value, f"{what} {i}") for i, value in enumerate(values))


def read_json(path: Path, what: str) -> Any:
    """The JSON in `path`, or `ElectionKeyError` saying why not."""
    try:
        return keys.read_json(path, what)
    except KeyFileError as error:
        raise ElectionKeyError(str(error)) from None

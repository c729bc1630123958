"""Decryption of the district sums: trustees' partial decryptions with proofs, their
verification, and the combination of any `k` of them into counts.

After voting closes the recount sums each district's counted ballots (`R_d`, `C_{d,i}`) and
writes them to a sums file. Trustee `j` publishes, for every district in order and every option
`i` below the district's number of options, `D = x_{j,i}·R_d` with a Chaum-Pedersen proof that
`log_G(Y_{j,i}) = log_{R_d}(D)` (`veche.dedup.dleq`): 128 bytes `D.x | D.y | c | s`, all zero
when no ballot counted (`R_d` neutral). Anyone checks each trustee's data against its
verification shares in the election key, takes the first `k` valid trustees, interpolates at 0
(`Σ λ_j·D_j = x_i·R_d`), and solves `count·G = C_{d,i} - x_i·R_d` for a count at most the
district's counted ballots. No single ballot is ever decrypted.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veche.crypto import babyjub
from veche.crypto.babyjub import IDENTITY, Point
from veche.crypto.elgamal import (
    OPTIONS,
    Ciphertext,
    CiphertextSum,
    DiscreteLogNotFound,
    discrete_log,
    encode_point,
)
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.dedup import dleq
from veche.dedup.errors import DedupError
from veche.dedup.group import ORDER, from_json, linear_combination, mul, to_json
from veche.dedup.shamir import lagrange_coefficients
from veche.protocol.spec import MAX_MEMBERS, SPEC
from veche.trustees.errors import (
    CountNotFound,
    ElectionKeyError,
    MalformedDecryption,
    SumsFileError,
    TooFewTrustees,
    WrongDecryption,
)
from veche.trustees.key import ElectionKey, TrusteeShare, read_json

SUMS_FORMAT = "veche-district-sums/v1"
ENTRY_BYTES: int = SPEC["encryption"]["decryptionEntryBytes"]
"""`D.x | D.y | c | s`, 32-byte big-endian each."""


@dataclass(frozen=True)
class DistrictSum:
    """A district's homomorphic sum: `ballots` counted, `options` to decrypt."""

    district: int
    options: int
    ballots: int
    total: Ciphertext

    @property
    def empty(self) -> bool:
        """No ballot counted: nothing to decrypt, every count is 0."""
        return self.total.ephemeral == IDENTITY

    def check(self) -> "DistrictSum":
        """Refuses a sum no recount could produce (raises `SumsFileError`)."""
        if not 1 <= self.options <= OPTIONS or not 0 <= self.ballots <= MAX_MEMBERS:
            raise SumsFileError(
                f"district {self.district}: {self.options} options and {self.ballots} ballots "
                f"(need 1..{OPTIONS} options and at most a full register, {MAX_MEMBERS})"
            )
        if len(self.total.payloads) != OPTIONS:
            raise SumsFileError(f"district {self.district}: {OPTIONS} sums C needed")
        named = [("R", self.total.ephemeral)]
        named += [(f"C_{i}", c) for i, c in enumerate(self.total.payloads)]
        for what, point in named:
            if not babyjub.in_subgroup(point):
                raise SumsFileError(f"district {self.district}: {what} is not in the subgroup")
        if self.empty and (self.ballots or set(self.total.payloads) != {IDENTITY}):
            raise SumsFileError(f"district {self.district}: R is neutral but the sum is not")
        return self


def district_sum(district: int, options: int, accumulator: CiphertextSum) -> DistrictSum:
    """The sum a recount's accumulator holds for `district`."""
    return DistrictSum(district, options, accumulator.count, accumulator.result()).check()


def sums_to_json(key_hash: bytes, sums: Sequence[DistrictSum]) -> dict[str, Any]:
    return {
        "format": SUMS_FORMAT,
        "electionKeyHash": "0x" + key_hash.hex(),
        "districts": [
            {
                "district": s.district,
                "options": s.options,
                "ballots": s.ballots,
                "R": to_json(s.total.ephemeral),
                "C": [to_json(c) for c in s.total.payloads],
            }
            for s in sums
        ],
    }


def write_sums(path: Path, key_hash: bytes, sums: Sequence[DistrictSum]) -> None:
    """Writes the sums file (public: anyone recomputes it from the chain)."""
    path.write_text(json.dumps(sums_to_json(key_hash, sums), indent=1) + "\n")


def _point(value: object, what: str) -> Point:
    """A subgroup point from `[x, y]`, the neutral point allowed (an empty sum)."""
    if value == ["0", "1"] or value == [0, 1]:
        return IDENTITY
    return from_json(value, what)


def _district_from_json(data: Any) -> DistrictSum:
    district = int(data["district"])
    return DistrictSum(
        district,
        int(data["options"]),
        int(data["ballots"]),
        Ciphertext(
            _point(data["R"], f"district {district}'s R"),
            tuple(_point(c, f"district {district}'s C_{i}") for i, c in enumerate(data["C"])),
        ),
    )


def sums_from_json(data: Any) -> tuple[bytes, list[DistrictSum]]:
    if not isinstance(data, dict) or data.get("format") != SUMS_FORMAT:
        raise SumsFileError(f"not a {SUMS_FORMAT} file")
    try:
        key_hash = bytes.fromhex(str(data["electionKeyHash"]).removeprefix("0x"))
        sums = [_district_from_json(d) for d in data["districts"]]
    except (KeyError, TypeError, ValueError, DedupError) as error:
        raise SumsFileError(f"malformed district sums: {error}") from None
    if len(key_hash) != 32:
        raise SumsFileError("electionKeyHash must be 32 bytes")
    districts = [s.district for s in sums]
    if len(set(districts)) != len(districts):
        raise SumsFileError(f"a district appears twice in {districts}")
    return key_hash, [s.check() for s in sums]


def load_sums(path: Path) -> tuple[bytes, list[DistrictSum]]:
    """Reads and checks a sums file: `(election key hash, sums in district order)`."""
    try:
        data = read_json(path, "district sums")
    except ElectionKeyError as error:  # it says which file and why
        raise SumsFileError(str(error)) from None
    return sums_from_json(data)


def require_same_key(key: ElectionKey, key_hash: bytes) -> None:
    if key.key_hash() != key_hash:
        raise SumsFileError(
            f"the sums are for election key 0x{key_hash.hex()}, not 0x{key.key_hash().hex()}"
        )


# --- a trustee's side -----------------------------------------------------------------------


def partial_decryption(share: TrusteeShare, sums: Sequence[DistrictSum]) -> bytes:
    """Trustee `share.index`'s `publishDecryption` data for `sums` (district order)."""
    public = share.election_key.verification_shares[share.index]
    entries = []
    for s in sums:
        for i in range(s.options):
            if s.empty:
                entries.append(bytes(ENTRY_BYTES))
                continue
            d = mul(s.total.ephemeral, share.secrets[i])
            proof = dleq.prove(share.secrets[i], public[i], s.total.ephemeral, d)
            entries.append(encode_point(d) + _scalar(proof.c) + _scalar(proof.s))
    return b"".join(entries)


def _scalar(value: int) -> bytes:
    return value.to_bytes(32, "big")


def data_bytes(sums: Sequence[DistrictSum]) -> int:
    """The length of every trustee's data for these sums."""
    return ENTRY_BYTES * sum(s.options for s in sums)


# --- everyone's side ------------------------------------------------------------------------


def verify_partial(
    key: ElectionKey, sums: Sequence[DistrictSum], trustee: int, data: bytes
) -> list[list[Point]]:
    """Trustee `trustee`'s `D` by district and option, every proof checked against its
    verification shares. Raises `MalformedDecryption` or `WrongDecryption` (naming the
    district and option)."""
    public = key.verification_shares.get(trustee)
    if public is None:
        raise MalformedDecryption(trustee, "the election key gives this trustee no share")
    if len(data) != data_bytes(sums):
        raise MalformedDecryption(trustee, f"{len(data)} bytes, expected {data_bytes(sums)}")
    out, offset = [], 0
    for s in sums:
        points = []
        for i in range(s.options):
            entry = bytes(data[offset : offset + ENTRY_BYTES])
            offset += ENTRY_BYTES
            if s.empty:
                if any(entry):
                    raise MalformedDecryption(
                        trustee, f"district {s.district} has no ballot but entry {i} is not zero"
                    )
                points.append(IDENTITY)
                continue
            x, y, c, r = (int.from_bytes(entry[k : k + 32], "big") for k in range(0, 128, 32))
            d = Point(x, y)
            if x >= SNARK_SCALAR_FIELD or y >= SNARK_SCALAR_FIELD or d == IDENTITY:
                raise WrongDecryption(trustee, s.district, i)
            if not babyjub.in_subgroup(d):
                raise WrongDecryption(trustee, s.district, i)
            if not dleq.verify(dleq.DleqProof(c, r), public[i], s.total.ephemeral, d):
                raise WrongDecryption(trustee, s.district, i)
            points.append(d)
        out.append(points)
    return out


@dataclass(frozen=True)
class Tally:
    """The decrypted counts, and whose decryptions gave them or were refused (and why)."""

    counts: dict[int, list[int]]
    """By district: one count per option (the district's number of options)."""
    trustees: list[int]
    """The `k` trustees whose partial decryptions were combined."""
    refused: dict[int, str] = field(default_factory=dict)
    """Trustees with no valid published data, with the reason: to be reported."""
    ignored: list[str] = field(default_factory=list)
    """Why other publications in the name of a trustee that has a valid one failed."""


def combine(key: ElectionKey, sums: Sequence[DistrictSum], partials: Mapping[int, bytes]) -> Tally:
    """The counts from any `k` valid trustees' data (the first `k` valid ones by index).
    Refused data is named in `Tally.refused`; fewer than `k` valid raises `TooFewTrustees`;
    a count above the district's ballots raises `CountNotFound`."""
    return combine_publications(key, sums, list(partials.items()))


def combine_publications(
    key: ElectionKey, sums: Sequence[DistrictSum], publications: Sequence[tuple[int, bytes]]
) -> Tally:
    """`combine` over everything published for the trustees, in publication order: anyone may
    publish for any trustee (the proofs are the authority), so a trustee counts with its
    first publication that verifies, and later or earlier garbage sent in its name can neither
    replace it nor block the result. A trustee with no valid publication is in
    `Tally.refused` (its last reason); failed publications of a trustee that also has a valid
    one are in `Tally.ignored`."""
    candidates: dict[int, list[bytes]] = {}
    for trustee, data in publications:
        candidates.setdefault(trustee, []).append(data)
    valid: dict[int, list[list[Point]]] = {}
    refused: dict[int, str] = {}
    ignored: list[str] = []
    for trustee in sorted(candidates):
        if len(valid) == key.threshold:
            break
        reasons = []
        for data in candidates[trustee]:
            try:
                valid[trustee] = verify_partial(key, sums, trustee, data)
                break
            except (MalformedDecryption, WrongDecryption) as error:
                reasons.append(str(error))
        if trustee in valid:
            ignored.extend(reasons)
        else:
            refused[trustee] = reasons[-1]
    if len(valid) < key.threshold:
        raise TooFewTrustees(sorted(valid), key.threshold, refused)
    lagrange = lagrange_coefficients(sorted(valid))
    counts = {}
    for n, s in enumerate(sums):
        row = []
        for i in range(s.options):
            if s.empty:
                row.append(0)
                continue
            shared = linear_combination([(lagrange[j], valid[j][n][i]) for j in sorted(valid)])
            plain = babyjub.add(s.total.payloads[i], mul(shared, ORDER - 1))
            try:
                row.append(discrete_log(plain, s.ballots))
            except DiscreteLogNotFound:
                raise CountNotFound(s.district, i, s.ballots) from None
        counts[s.district] = row
    return Tally(counts, sorted(valid), refused, ignored)


def read_partial(argument: str) -> tuple[int, bytes]:
    """`TRUSTEE=FILE` (a 0x-hex file, as `veche trustee decrypt --out` writes) → (index, data)."""
    trustee, separator, name = argument.partition("=")
    if not separator or not trustee.isdigit():
        raise MalformedDecryption(0, f"give --partial as TRUSTEE=FILE, got {argument!r}")
    try:
        text = Path(name).read_text().strip()
    except OSError as error:
        raise MalformedDecryption(int(trustee), f"cannot read {name}: {error.strerror}") from None
    try:
        return int(trustee), bytes.fromhex(text.removeprefix("0x"))
    except ValueError:
        raise MalformedDecryption(int(trustee), f"{name} is not hexadecimal") from None

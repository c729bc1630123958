"""Exponential ElGamal on Baby Jubjub's prime-order subgroup: the encrypted ballot.

A ballot encrypts a one-hot vector `m` of `OPTIONS` (16) entries under 16 independent option
keys `Y_i` (one distributed key generation per option), with one randomness `r` for all:
`R = r·G`, `C_i = m_i·G + r·Y_i`. Encryptions add up entry by entry (`Σ R`, `Σ C_i`), so the
recount sums the ballots that count per district and only the sums are ever decrypted: trustee
shares `x_{j,i}` give `D_j = x_{j,i}·R_d`, and `C_{d,i} - Σ λ_j·D_j = count·G`, whose small
discrete logarithm `discrete_log` finds (`veche.trustees.decrypt`).

The sum is the hot path (17 points a ballot, a million ballots): `CiphertextSum` keeps each
total in extended coordinates and adds affine points with a mixed formula, so no addition
inverts; only `result()` converts back. The circuit proves every ballot's points are what it
computed, so a proven ballot's points need no subgroup check; `decode` checks them all
(range, curve, subgroup, `R` not neutral) for bytes that carry no proof.
"""

import secrets
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, NamedTuple

from veche.crypto import babyjub
from veche.crypto.babyjub import BASE8, IDENTITY, SUBGROUP_ORDER, Point
from veche.crypto.errors import CryptoError
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.protocol.spec import SPEC

OPTIONS: int = SPEC["encryption"]["options"]
"""`K`: option keys and ciphertext entries in every ballot, whatever the district's options."""

CIPHERTEXT_BYTES: int = SPEC["encryption"]["ciphertextBytes"]
"""`R` then `C_0 … C_15`, each as `x | y` 32-byte big-endian: `(1 + K) · 64` bytes."""

GENERATOR = BASE8
ORDER = SUBGROUP_ORDER
COORDINATE_BYTES = 32
_P = SNARK_SCALAR_FIELD

try:  # GMP's integers when gmpy2 is installed (it is pinned); Python's otherwise, same results
    from gmpy2 import mpz as _number  # type: ignore[import-not-found,unused-ignore]
except ImportError:  # pragma: no cover - only a virtualenv older than requirements.lock
    _number = int
_from_bytes = _number.from_bytes
_P_NUMBER = _number(_P)
_A = babyjub.A
_D = babyjub.D


class ElGamalError(CryptoError):
    """Root of the errors of encrypted ballots."""


class InvalidCiphertext(ElGamalError):
    """Ciphertext bytes are the wrong length, or hold a coordinate out of range, a point off the
    curve or outside the prime-order subgroup, or a neutral `R`."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"invalid encrypted ballot: {reason}")


class InvalidPlaintext(ElGamalError):
    """A choice outside the district's options, or options outside `1..K`."""


class DiscreteLogNotFound(ElGamalError):
    """No count in `[0, bound]` gives the point: the decryption shares or the sum are wrong."""

    def __init__(self, point: Point, bound: int) -> None:
        self.point = point
        self.bound = bound
        super().__init__(
            f"no count in [0, {bound}] decrypts to ({point.x}, {point.y}): the sum or the "
            "partial decryptions do not belong to this election"
        )


class Ciphertext(NamedTuple):
    """An encryption of a vector: `ephemeral` is `R = r·G`, `payloads[i]` is `C_i`."""

    ephemeral: Point
    payloads: tuple[Point, ...]


def _mul(point: Point, scalar: int) -> Point:
    return babyjub.mul(point, scalar % ORDER)


def random_randomness() -> int:
    """`r` uniform in `[1, l)`."""
    return 1 + secrets.randbelow(ORDER - 1)


def encrypt_vector(
    option_keys: Sequence[Point], messages: Sequence[int], randomness: int
) -> Ciphertext:
    """`R = r·G`, `C_i = m_i·G + r·Y_i`: any small vector (tests, sums); a ballot uses
    `encrypt_choice`."""
    if len(option_keys) != OPTIONS or len(messages) != OPTIONS:
        raise InvalidPlaintext(
            f"need {OPTIONS} option keys and {OPTIONS} messages, got "
            f"{len(option_keys)} and {len(messages)}"
        )
    if not 1 <= randomness < ORDER:
        raise InvalidPlaintext(f"the randomness must be in [1, l), got {randomness}")
    payloads = tuple(
        babyjub.add(_mul(GENERATOR, m), _mul(key, randomness))
        for m, key in zip(messages, option_keys, strict=True)
    )
    return Ciphertext(_mul(GENERATOR, randomness), payloads)


def one_hot(choice: int, options: int) -> list[int]:
    """The vector a ballot encrypts: 1 at `choice`, 0 elsewhere (all 16 entries)."""
    if not 1 <= options <= OPTIONS:
        raise InvalidPlaintext(f"a district has 1..{OPTIONS} options, got {options}")
    if not 0 <= choice < options:
        raise InvalidPlaintext(f"choice {choice} is not one of the district's {options} options")
    return [1 if i == choice else 0 for i in range(OPTIONS)]


def encrypt_choice(
    option_keys: Sequence[Point], choice: int, options: int, randomness: int | None = None
) -> tuple[Ciphertext, int]:
    """A ballot for `choice` (0-based) among `options`, and the randomness used (the prover
    needs it as a private input)."""
    r = random_randomness() if randomness is None else randomness
    return encrypt_vector(option_keys, one_hot(choice, options), r), r


def encode_point(point: Point) -> bytes:
    """64 bytes: `x | y`, 32-byte big-endian each."""
    return point.x.to_bytes(COORDINATE_BYTES, "big") + point.y.to_bytes(COORDINATE_BYTES, "big")


def encode(ciphertext: Ciphertext) -> bytes:
    """The 1088 bytes of the agreed layout: `R.x | R.y | C_0.x | C_0.y | … | C_15.y`."""
    if len(ciphertext.payloads) != OPTIONS:
        raise InvalidCiphertext(f"{len(ciphertext.payloads)} payloads, not {OPTIONS}")
    return b"".join(encode_point(point) for point in (ciphertext.ephemeral, *ciphertext.payloads))


def public_signals(ciphertext: Ciphertext) -> list[int]:
    """`R.x, R.y, C_0.x, C_0.y, …, C_15.y`: the 34 circuit outputs, in the agreed order."""
    return [c for point in (ciphertext.ephemeral, *ciphertext.payloads) for c in point]


def _coordinates(data: bytes) -> list[int]:
    if not isinstance(data, (bytes, bytearray, memoryview)) or len(data) != CIPHERTEXT_BYTES:
        size = len(data) if isinstance(data, (bytes, bytearray, memoryview)) else type(data)
        raise InvalidCiphertext(f"an encrypted ballot is {CIPHERTEXT_BYTES} bytes, got {size}")
    return [
        int.from_bytes(data[k : k + COORDINATE_BYTES], "big")
        for k in range(0, CIPHERTEXT_BYTES, COORDINATE_BYTES)
    ]


def _name(position: int) -> str:
    return "R" if position == 0 else f"C_{position - 1}"


def decode(data: bytes, *, subgroup: bool = True) -> Ciphertext:
    """The ciphertext of 1088 bytes, every point checked: coordinates below `r`, on the curve,
    in the prime-order subgroup (skip with `subgroup=False` only for points a verified proof
    binds), and `R` not neutral. Raises `InvalidCiphertext` naming the first bad point."""
    coordinates = _coordinates(data)
    points = []
    for position in range(OPTIONS + 1):
        point = Point(coordinates[2 * position], coordinates[2 * position + 1])
        name = _name(position)
        if not (point.x < _P and point.y < _P):
            raise InvalidCiphertext(f"{name} has a coordinate not below r")
        if not babyjub.is_on_curve(point):
            raise InvalidCiphertext(f"{name} ({point.x}, {point.y}) is not on Baby Jubjub")
        if subgroup and babyjub.mul(point, ORDER) != IDENTITY:
            raise InvalidCiphertext(f"{name} ({point.x}, {point.y}) is not in the subgroup")
        points.append(point)
    if points[0] == IDENTITY:
        raise InvalidCiphertext("R is the neutral point (randomness 0 hides nothing)")
    return Ciphertext(points[0], tuple(points[1:]))


class CiphertextSum:
    """The running homomorphic sum of a district's counted ballots.

    Each of the 17 totals is kept in extended coordinates `(X : Y : Z : T)` and each new point
    is added in affine form (Hisil-Wong-Carter-Dawson mixed addition, complete on Baby Jubjub):
    about ten modular multiplications and no inversion per point. Ballots are buffered and
    added column by column (`BATCH` at a time), so the inner loop keeps a total in local
    variables; with gmpy2 (pinned) the arithmetic runs on GMP's integers, about twice as fast
    as Python's at this size.
    """

    BATCH = 256
    """Ballots buffered before a column-wise pass: about 0.5 MB per district's sum."""

    def __init__(self) -> None:
        one, zero = _number(1), _number(0)
        self._totals = [(zero, one, one, zero) for _ in range(OPTIONS + 1)]
        self._pending: list[list[Any]] = []
        self.count = 0
        """Ciphertexts added so far: the bound of every entry's count."""

    def add(self, ciphertext: Ciphertext) -> None:
        self._append([_number(c) for c in public_signals(ciphertext)])

    def add_encoded(self, data: bytes) -> None:
        """Adds a ballot's 1088 bytes. Checks the length, the range and that each point is on
        the curve (cheap); not the subgroup, which the ballot's verified proof guarantees."""
        if not isinstance(data, (bytes, bytearray, memoryview)) or len(data) != CIPHERTEXT_BYTES:
            _coordinates(data)  # raises with the reason
        parse, size, p, a, d = _from_bytes, COORDINATE_BYTES, _P_NUMBER, _A, _D
        row = [parse(data[k : k + size], "big") for k in range(0, CIPHERTEXT_BYTES, size)]
        for k in range(0, 2 * (OPTIONS + 1), 2):
            x, y = row[k], row[k + 1]
            xx, yy = x * x % p, y * y % p
            if x >= p or y >= p or (a * xx + yy - 1 - d * xx * yy) % p:
                raise InvalidCiphertext(f"{_name(k // 2)} ({x}, {y}) is not on Baby Jubjub")
        self._append(row)

    def _append(self, row: list[Any]) -> None:
        self._pending.append(row)
        self.count += 1
        if len(self._pending) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        p, a, d = _P_NUMBER, _A, _D
        rows = self._pending
        for column in range(OPTIONS + 1):
            x1, y1, z1, t1 = self._totals[column]
            k = 2 * column
            for row in rows:
                x2 = row[k]
                y2 = row[k + 1]
                aa = x1 * x2 % p
                bb = y1 * y2 % p
                cc = t1 * (d * x2 * y2 % p) % p
                e = ((x1 + y1) * (x2 + y2) - aa - bb) % p
                f = z1 - cc
                g = z1 + cc
                h = bb - a * aa
                x1, y1, z1, t1 = e * f % p, g * h % p, f * g % p, e * h % p
            self._totals[column] = (x1, y1, z1, t1)
        self._pending = []

    def merge(self, other: "CiphertextSum") -> None:
        """Adds another partial sum (from another worker) into this one."""
        self._flush()
        other._flush()
        self._totals = [
            tuple(_number(v) for v in babyjub.add_extended(mine, theirs))
            for mine, theirs in zip(self._totals, other._totals, strict=True)
        ]
        self.count += other.count

    def result(self) -> Ciphertext:
        """The sum as affine points (`R = IDENTITY` for no ballot)."""
        self._flush()
        points = [_affine(total) for total in self._totals]
        return Ciphertext(points[0], tuple(points[1:]))


def _affine(total: Sequence[Any]) -> Point:
    x, y, z = (int(v) for v in total[:3])
    inverse = pow(z, -1, _P)
    return Point(x * inverse % _P, y * inverse % _P)


def add(first: Ciphertext, second: Ciphertext) -> Ciphertext:
    """The homomorphic sum of two ciphertexts."""
    return Ciphertext(
        babyjub.add(first.ephemeral, second.ephemeral),
        tuple(babyjub.add(a, b) for a, b in zip(first.payloads, second.payloads, strict=True)),
    )


def sum_ciphertexts(ciphertexts: Iterable[Ciphertext]) -> Ciphertext:
    """`Σ R`, `Σ C_i` of any number of ciphertexts (the empty sum is all neutral)."""
    total = CiphertextSum()
    for ciphertext in ciphertexts:
        total.add(ciphertext)
    return total.result()


def sum_encoded(ciphertexts: Iterable[bytes]) -> Ciphertext:
    """`sum_ciphertexts` of encoded ballots whose proofs were verified (see `add_encoded`)."""
    total = CiphertextSum()
    for data in ciphertexts:
        total.add_encoded(data)
    return total.result()


def discrete_log(point: Point, bound: int) -> int:
    """The `n` in `[0, bound]` with `n·G = point` (baby-step giant-step), or
    `DiscreteLogNotFound`. A count is at most the district's counted ballots, so `bound` is
    known and the search takes about `2·√bound` additions."""
    if bound < 0:
        raise ElGamalError(f"a discrete-log bound is non-negative, got {bound}")
    step = _table_size(bound)
    table = _baby_steps(step)
    giant = babyjub.mul(GENERATOR, ORDER - step)  # -step·G
    current = point
    for giant_index in range(bound // step + 1):
        found = table.get(current)
        if found is not None:
            value = giant_index * step + found
            if value <= bound:
                return value
            break
        current = babyjub.add(current, giant)
    raise DiscreteLogNotFound(point, bound)


def _table_size(bound: int) -> int:
    """A power of two at least `√(bound + 1)` (and at least 1024), so tables are shared."""
    size = 1024
    while size * size < bound + 1:
        size *= 2
    return size


@lru_cache(maxsize=4)
def _baby_steps(size: int) -> dict[Point, int]:
    """`{j·G: j}` for `j` in `[0, size)`, built in extended coordinates and made affine."""
    table: dict[Point, int] = {}
    current: babyjub.Extended = (0, 1, 1, 0)
    g: babyjub.Extended = (GENERATOR.x, GENERATOR.y, 1, GENERATOR.x * GENERATOR.y % _P)
    for j in range(size):
        table[_affine(current)] = j
        current = babyjub.add_extended(current, g)
    return table

"""The group of the dedup OPRF: the prime-order subgroup of Baby Jubjub (order `l`).

Baby Jubjub is already what Veche's identities use (`veche.crypto.babyjub`), so the OPRF needs
no new dependency. Its full group has cofactor 8; every value exchanged here must be in the
prime-order subgroup and not neutral, or an authority's answer to a crafted point of small
order would reveal its share modulo 8.
"""

from collections.abc import Sequence

from veche.crypto import babyjub
from veche.crypto.babyjub import BASE8, IDENTITY, SUBGROUP_ORDER, Point
from veche.dedup.errors import InvalidGroupElement

GENERATOR = BASE8
"""`G`: generator of the subgroup; an authority's public key share is `k_i · G`."""

ORDER = SUBGROUP_ORDER
"""`l`: the subgroup's prime order; keys, shares and blinding factors are scalars mod `l`."""

POINT_BYTES = 64
"""An encoded point: `x` then `y`, 32 bytes each, big-endian."""


def mul(point: Point, scalar: int) -> Point:
    """`scalar · point`, the scalar taken mod `l` (points are in the subgroup)."""
    return babyjub.mul(point, scalar % ORDER)


def add(p: Point, q: Point) -> Point:
    """The group law."""
    return babyjub.add(p, q)


def is_element(point: Point) -> bool:
    """True for a non-neutral point of the prime-order subgroup."""
    return point != IDENTITY and babyjub.in_subgroup(point)


def require_element(point: Point, what: str) -> Point:
    """Returns `point` if `is_element(point)`, else raises `InvalidGroupElement` naming it."""
    if not is_element(point):
        raise InvalidGroupElement(f"{what} ({point.x}, {point.y}) is not in Baby Jubjub's subgroup")
    return point


def encode(point: Point) -> bytes:
    """64 bytes: `x` and `y` big-endian, for hashing."""
    return point.x.to_bytes(32, "big") + point.y.to_bytes(32, "big")


def to_json(point: Point) -> list[str]:
    """`[x, y]` as decimal strings, the JSON form used on the wire and in key files."""
    return [str(point.x), str(point.y)]


def from_json(value: object, what: str) -> Point:
    """The point of `[x, y]` (decimal strings or integers), checked to be a group element."""
    if not isinstance(value, Sequence) or isinstance(value, str) or len(value) != 2:
        raise InvalidGroupElement(f"{what} must be [x, y], got {value!r}")
    try:
        x, y = (int(str(coordinate), 10) for coordinate in value)
    except ValueError:
        raise InvalidGroupElement(f"{what} must hold two decimal numbers, got {value!r}") from None
    return require_element(Point(x, y), what)


def linear_combination(terms: Sequence[tuple[int, Point]]) -> Point:
    """`Σ c_i · P_i` (Lagrange interpolation in the exponent)."""
    return babyjub.mul_sum([(point, coefficient % ORDER) for coefficient, point in terms])

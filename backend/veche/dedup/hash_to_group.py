"""`H1`: hashing a byte string onto Baby Jubjub's prime-order subgroup, by try-and-increment.

For counter = 0, 1, ...: `y = SHA-512(dst, counter, message) mod r`; if some `x` makes `(x, y)`
a curve point (`x² = (1 - y²) / (a - d·y²)` is a square), pick the root whose parity is the next
digest bit, multiply by the cofactor 8 and return it unless it is neutral. About half the
candidates succeed, so two tries are typical and 256 failures in a row never happen in practice.

Nobody knows the discrete logarithm of the result with respect to the generator, which is what
2HashDH needs. This is not constant-time (the number of tries and the square root depend on the
message): it runs only on the registrar's own machine, on the attributes the registrar has just
typed, and the authorities only ever see the blinded point.
"""

import hashlib

from veche.crypto.babyjub import IDENTITY, A, D, Point, mul
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.dedup.errors import DedupError

_P = SNARK_SCALAR_FIELD
_MAX_TRIES = 256


def hash_to_group(message: bytes, dst: bytes) -> Point:
    """The subgroup point of `message` under the domain separation tag `dst`."""
    if not 0 < len(dst) < 256:
        raise DedupError("a domain separation tag is 1 to 255 bytes")
    for counter in range(_MAX_TRIES):
        digest = hashlib.sha512(bytes([len(dst)]) + dst + bytes([counter]) + message).digest()
        y = int.from_bytes(digest, "big") % _P
        denominator = (A - D * y * y) % _P
        if denominator == 0:
            continue
        x = sqrt_mod((1 - y * y) * pow(denominator, -1, _P) % _P)
        if x is None:
            continue
        if x & 1 != digest[-1] & 1:
            x = (_P - x) % _P
        point = mul(Point(x, y), 8)
        if point != IDENTITY:
            return point
    raise DedupError("hash_to_group found no curve point in 256 tries")  # pragma: no cover


def sqrt_mod(value: int) -> int | None:
    """A square root of `value` mod `r` (Tonelli-Shanks), or None if it is not a square."""
    value %= _P
    if value == 0:
        return 0
    if pow(value, (_P - 1) // 2, _P) != 1:
        return None
    q, s = _P - 1, 0
    while q % 2 == 0:
        q //= 2
        s += 1
    z = 5  # the smallest quadratic non-residue mod r
    m, c, t, root = s, pow(z, q, _P), pow(value, q, _P), pow(value, (q + 1) // 2, _P)
    while t != 1:
        i, t2 = 0, t
        while t2 != 1:
            t2 = t2 * t2 % _P
            i += 1
        b = pow(c, 1 << (m - i - 1), _P)
        m, c = i, b * b % _P
        t, root = t * c % _P, root * b % _P
    return root

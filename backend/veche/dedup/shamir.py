"""Shamir secret sharing of the dedup key over the scalars mod `l`, and Lagrange interpolation.

Share `i` (numbered 1..n) is `f(i)` for a random polynomial `f` of degree `k - 1` with `f(0)`
the key. Any `k` shares give the key back (`f(0) = Σ λ_i · f(i)`, with Lagrange coefficients at
0); `k - 1` shares say nothing about it. The authorities never combine shares: each applies its
own share to a blinded point, and the registrar interpolates in the exponent (`oprf`).
"""

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from veche.dedup.errors import InvalidShares
from veche.dedup.group import ORDER

MAX_SHARES = 255
"""More authorities than this is never needed, and keeps indices to one byte."""


@dataclass(frozen=True)
class Share:
    """Authority `index`'s share `f(index)` of the key."""

    index: int
    value: int

    def __repr__(self) -> str:
        return f"Share(index={self.index}, value=<secret>)"


def random_scalar() -> int:
    """A uniformly random scalar in `[1, l)` from the operating system's CSPRNG."""
    return 1 + secrets.randbelow(ORDER - 1)


def require_parameters(threshold: int, shares: int) -> None:
    """Refuses a threshold and share count that make no sense (`1 <= k <= n <= 255`)."""
    if not 1 <= threshold <= shares <= MAX_SHARES:
        raise InvalidShares(
            f"need 1 <= threshold <= shares <= {MAX_SHARES}, got threshold {threshold} "
            f"and {shares} shares"
        )


def split(secret: int, threshold: int, shares: int) -> list[Share]:
    """`shares` shares of `secret` (mod `l`), any `threshold` of which recover it."""
    require_parameters(threshold, shares)
    coefficients = [secret % ORDER, *(random_scalar() for _ in range(threshold - 1))]
    return [Share(index, _evaluate(coefficients, index)) for index in range(1, shares + 1)]


def _evaluate(coefficients: Sequence[int], x: int) -> int:
    """`f(x)` by Horner's rule."""
    result = 0
    for coefficient in reversed(coefficients):
        result = (result * x + coefficient) % ORDER
    return result


def lagrange_coefficients(indices: Sequence[int], at: int = 0) -> dict[int, int]:
    """`λ_i` such that `f(at) = Σ λ_i · f(i)` for every polynomial of degree below
    `len(indices)`; indices must be distinct and in `[1, 255]`."""
    if len(set(indices)) != len(indices) or not indices:
        raise InvalidShares(f"share indices must be distinct and non-empty, got {list(indices)}")
    if any(not 1 <= i <= MAX_SHARES for i in indices):
        raise InvalidShares(f"share indices must be in [1, {MAX_SHARES}], got {list(indices)}")
    coefficients = {}
    for i in indices:
        numerator, denominator = 1, 1
        for j in indices:
            if j != i:
                numerator = numerator * (at - j) % ORDER
                denominator = denominator * (i - j) % ORDER
        coefficients[i] = numerator * pow(denominator, -1, ORDER) % ORDER
    return coefficients


def combine(shares: Mapping[int, int]) -> int:
    """`f(0)` from shares `{index: value}`: the secret if there are at least `k` of them, an
    unrelated scalar otherwise."""
    coefficients = lagrange_coefficients(list(shares))
    return sum(coefficients[i] * value for i, value in shares.items()) % ORDER

"""The threshold 2HashDH OPRF: `tag = H2(x, k · H1(x))`, with `k` shared among authorities.

Registrar                                   Authority i (share k_i, public K_i = k_i·G)
  P = H1(x); r random; B = r·P   ──B──▶       E_i = k_i·B, proof DLEQ(K_i, B, E_i)
  verify every proof             ◀──E_i, π──
  Z = Σ λ_i·E_i over k valid answers  (= k·r·P: Lagrange interpolation in the exponent)
  N = r⁻¹·Z = k·P;  tag = SHA-256(dst, election, x, N)

`B` is a uniformly random group element whatever `x` is, so an authority learns nothing about
the person; without `k` evaluations `N` cannot be computed, so nobody can compute (or test) the
tag of a person they know. The election's address is hashed into the tag so that tags of two
elections sharing a key cannot be linked.
"""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from veche.crypto.babyjub import Point
from veche.dedup.dleq import DleqProof, prove
from veche.dedup.group import GENERATOR, ORDER, encode, linear_combination, mul, require_element
from veche.dedup.hash_to_group import hash_to_group
from veche.dedup.shamir import Share, lagrange_coefficients, random_scalar

H1_DST = b"veche/dedup/h1/v1"
TAG_DST = b"veche/dedup/tag/v1"


@dataclass(frozen=True)
class Blinded:
    """The registrar's blinded input `B = r · H1(x)` and the factor `r` that only it knows."""

    point: Point
    factor: int

    def __repr__(self) -> str:
        return f"Blinded(point={self.point}, factor=<secret>)"


@dataclass(frozen=True)
class Evaluation:
    """Authority `index`'s answer: `E = k_index · B` and its DLEQ proof."""

    index: int
    point: Point
    proof: DleqProof


def blind(message: bytes) -> Blinded:
    """Hashes `message` onto the group and blinds it with a fresh random factor."""
    factor = random_scalar()
    return Blinded(mul(hash_to_group(message, H1_DST), factor), factor)


def evaluate(share: Share, blinded_point: Point, public_key: Point | None = None) -> Evaluation:
    """An authority's evaluation of a blinded point with its share, with the proof
    (`public_key`, the share's `k_i·G`, is computed if not given).

    Refuses (`InvalidGroupElement`) a point outside the prime-order subgroup or neutral."""
    require_element(blinded_point, "blinded point")
    evaluation = mul(blinded_point, share.value)
    key = mul(GENERATOR, share.value) if public_key is None else public_key
    return Evaluation(share.index, evaluation, prove(share.value, key, blinded_point, evaluation))


def combine(evaluations: Mapping[int, Point]) -> Point:
    """`Σ λ_i · E_i` over `{index: E_i}`: `k · B` if there are at least `k` valid evaluations,
    an unrelated point with fewer."""
    coefficients = lagrange_coefficients(list(evaluations))
    return linear_combination([(coefficients[i], point) for i, point in evaluations.items()])


def unblind(blinded: Blinded, combined: Point) -> Point:
    """`r⁻¹ · Z`: the OPRF output `k · H1(x)`."""
    return mul(combined, pow(blinded.factor, -1, ORDER))


def tag_of(message: bytes, output: Point, election: bytes) -> bytes:
    """`SHA-256(dst, election (20 bytes), len(x), x, N)`: the 32-byte tag put on chain."""
    if len(election) != 20:
        raise ValueError(f"an election address is 20 bytes, got {len(election)}")
    data = TAG_DST + election + len(message).to_bytes(4, "big") + message + encode(output)
    return hashlib.sha256(data).digest()


def direct_output(key: int, message: bytes) -> Point:
    """`k · H1(x)` computed with the whole key: only for tests, which hold the key; nobody
    holds it in a real election (the dealer erases it)."""
    return mul(hash_to_group(message, H1_DST), key)

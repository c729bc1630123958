"""Chaum-Pedersen proofs of discrete-log equality, made non-interactive (Fiat-Shamir).

An authority holding share `k_i` publishes `K_i = k_i · G`. For a blinded point `B` it returns
`E_i = k_i · B` and a proof that `log_G(K_i) = log_B(E_i)`: the registrar then knows the
evaluation was made with the published share, so a faulty or cheating authority is caught (and
named) instead of silently producing a wrong tag that would let a person register twice.

Prove: random `t`; `T1 = t·G`, `T2 = t·B`; `c = Hc(K, B, E, T1, T2)`; `s = t - c·k (mod l)`.
Verify: `T1 = s·G + c·K`, `T2 = s·B + c·E`, and `c` is the hash of those.
"""

import hashlib
from dataclasses import dataclass

from veche.crypto.babyjub import Point, mul_sum
from veche.dedup.group import GENERATOR, ORDER, encode, mul
from veche.dedup.shamir import random_scalar

_DST = b"veche/dedup/dleq/v1"


@dataclass(frozen=True)
class DleqProof:
    """The challenge `c` and response `s` of a Chaum-Pedersen proof."""

    c: int
    s: int


def prove(secret: int, public_key: Point, base: Point, evaluation: Point) -> DleqProof:
    """Proves `public_key = secret·G` and `evaluation = secret·base` with one secret."""
    t = random_scalar()
    c = _challenge(public_key, base, evaluation, mul(GENERATOR, t), mul(base, t))
    return DleqProof(c, (t - c * secret) % ORDER)


def verify(proof: DleqProof, public_key: Point, base: Point, evaluation: Point) -> bool:
    """True if `proof` shows `log_G(public_key) = log_base(evaluation)`; the points must already
    be checked group elements."""
    if not (0 <= proof.c < ORDER and 0 <= proof.s < ORDER):
        return False
    t1 = mul_sum([(GENERATOR, proof.s), (public_key, proof.c)])
    t2 = mul_sum([(base, proof.s), (evaluation, proof.c)])
    return proof.c == _challenge(public_key, base, evaluation, t1, t2)


def _challenge(public_key: Point, base: Point, evaluation: Point, t1: Point, t2: Point) -> int:
    """SHA-512 of every point, reduced mod `l` (512 bits: the bias is below 2^-250)."""
    data = _DST + b"".join(encode(p) for p in (GENERATOR, public_key, base, evaluation, t1, t2))
    return int.from_bytes(hashlib.sha512(data).digest(), "big") % ORDER

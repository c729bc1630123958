"""The G2 membership test by the endomorphism psi (`groth16._in_g2`) gives exactly the verdict
of the definition, [r]Q = 0, on points of the twist in and out of the subgroup: it replaced
MCL's check by the order to make parsing a proof cheaper than checking it."""

import ctypes

import pytest

from veche.crypto import groth16 as g
from veche.crypto.field import BN254_BASE_FIELD as P
from veche.crypto.field import SNARK_SCALAR_FIELD as R

XI = (9, 1)
TWIST_B = g._fp2_mul((3, 0), g._fp2_pow(XI, P * P - 2))  # b' = 3 / xi
COFACTOR = 2 * P - R  # #E'(Fp2) = r (2p - r)


def _twist_point(k: int) -> g._G2 | None:
    """The point of the twist with x = k + i, if x^3 + b' is a square."""
    x = (k, 1)
    rhs = g._fp2_mul(g._fp2_mul(x, x), x)
    rhs = ((rhs[0] + TWIST_B[0]) % P, (rhs[1] + TWIST_B[1]) % P)
    y = g._Fp2()
    if g._mcl.mclBnFp2_squareRoot(ctypes.byref(y), ctypes.byref(g._mcl_fp2(rhs))) != 0:
        return None
    point = g._G2()
    base = ctypes.addressof(point)
    assert g._set_fp(base, x[0]) and g._set_fp(base + 32, x[1])
    ctypes.memmove(base + 64, ctypes.addressof(y), 64)
    g._mcl.mclBnFp_setInt32(ctypes.c_void_p(base + 128), 1)
    g._mcl.mclBnFp_setInt32(ctypes.c_void_p(base + 160), 0)
    assert g._mcl.mclBnG2_isValid(ctypes.byref(point))  # on the twist (the order check is off)
    return point


def _times(point: g._G2, scalar: int) -> g._G2:
    """[scalar]point by double-and-add (no reduction of the scalar modulo r)."""
    result, addend = g._G2(), g._G2()
    ctypes.memmove(ctypes.addressof(addend), ctypes.addressof(point), ctypes.sizeof(g._G2))
    while scalar:
        if scalar & 1:
            g._mcl.mclBnG2_add(ctypes.byref(result), ctypes.byref(result), ctypes.byref(addend))
        g._mcl.mclBnG2_dbl(ctypes.byref(addend), ctypes.byref(addend))
        scalar >>= 1
    return result


def _in_g2_by_definition(point: g._G2) -> bool:
    return bool(g._mcl.mclBnG2_isZero(ctypes.byref(_times(point, R))))


POINTS = [p for p in map(_twist_point, range(1, 120)) if p is not None]


def test_twist_points_outside_the_subgroup_are_refused_as_the_definition_refuses_them() -> None:
    assert len(POINTS) > 40
    for point in POINTS:
        assert g._in_g2(point) is _in_g2_by_definition(point) is False


@pytest.mark.parametrize("index", range(6))
def test_points_of_the_subgroup_are_accepted(index: int) -> None:
    cleared = _times(POINTS[index], COFACTOR)
    assert _in_g2_by_definition(cleared)
    assert g._in_g2(cleared)


def test_a_subgroup_point_plus_a_point_outside_is_refused() -> None:
    inside = _times(POINTS[0], COFACTOR)
    mixed = g._G2()
    g._mcl.mclBnG2_add(ctypes.byref(mixed), ctypes.byref(inside), ctypes.byref(POINTS[1]))
    assert not _in_g2_by_definition(mixed)
    assert not g._in_g2(mixed)

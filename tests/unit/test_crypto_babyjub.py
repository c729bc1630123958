"""Baby Jubjub arithmetic obeys the group law, so public keys are those of circomlib."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veche.crypto import babyjub
from veche.crypto.babyjub import BASE8, IDENTITY, SUBGROUP_ORDER, Point
from veche.crypto.field import SNARK_SCALAR_FIELD

scalars = st.integers(min_value=0, max_value=SUBGROUP_ORDER - 1)


def test_base8_is_on_the_curve_and_generates_the_prime_subgroup() -> None:
    assert babyjub.is_on_curve(BASE8)
    assert babyjub.mul(BASE8, SUBGROUP_ORDER) == IDENTITY
    assert babyjub.in_subgroup(BASE8)


def test_subgroup_order_is_eip2494s() -> None:
    assert SUBGROUP_ORDER == (
        2736030358979909402780800718157159386076813972158567259200215660948447373041
    )


def test_point_off_the_curve_is_detected() -> None:
    assert not babyjub.is_on_curve(Point(BASE8.x, BASE8.y + 1))
    assert not babyjub.is_on_curve(Point(BASE8.x + SNARK_SCALAR_FIELD, BASE8.y))


@settings(max_examples=10, deadline=None)
@given(scalars, scalars)
def test_scalar_multiplication_distributes_over_addition(a: int, b: int) -> None:
    left = babyjub.mul(BASE8, (a + b) % SUBGROUP_ORDER)
    right = babyjub.add(babyjub.mul(BASE8, a), babyjub.mul(BASE8, b))
    assert left == right
    assert babyjub.is_on_curve(left)


def _mul_by_affine_double_and_add(point: Point, scalar: int) -> Point:
    """The textbook definition, one affine addition at a time (slow, obviously right)."""
    result, addend = IDENTITY, point
    while scalar:
        if scalar & 1:
            result = babyjub.add(result, addend)
        addend, scalar = babyjub.add(addend, addend), scalar >> 1
    return result


SMALL_ORDER = Point(0, SNARK_SCALAR_FIELD - 1)  # (0, -1): order 2


@settings(max_examples=15, deadline=None)
@given(st.integers(min_value=0, max_value=2**260), st.sampled_from([BASE8, SMALL_ORDER]))
def test_windowed_multiplication_is_repeated_addition(scalar: int, point: Point) -> None:
    assert babyjub.mul(point, scalar) == _mul_by_affine_double_and_add(point, scalar)


def test_multiplication_at_window_edges_and_without_gmp(monkeypatch: pytest.MonkeyPatch) -> None:
    scalars = [0, 1, 15, 16, 17, 255, 256, SUBGROUP_ORDER - 1, SUBGROUP_ORDER, 8 * SUBGROUP_ORDER]
    expected = [_mul_by_affine_double_and_add(BASE8, k) for k in scalars]
    assert [babyjub.mul(BASE8, k) for k in scalars] == expected
    monkeypatch.setattr(babyjub, "_number", int)
    monkeypatch.setattr(babyjub, "_PN", SNARK_SCALAR_FIELD)
    assert [babyjub.mul(BASE8, k) for k in scalars] == expected
    assert babyjub.mul(SMALL_ORDER, SUBGROUP_ORDER) == SMALL_ORDER  # l is odd


@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(scalars, st.integers(min_value=0, max_value=2**256)), max_size=3))
def test_a_sum_of_products_is_the_products_added(terms: list[tuple[int, int]]) -> None:
    points = [(babyjub.mul(BASE8, k + 1), scalar) for k, scalar in terms]
    expected = IDENTITY
    for point, scalar in points:
        expected = babyjub.add(expected, _mul_by_affine_double_and_add(point, scalar))
    assert babyjub.mul_sum(points) == expected

"""Baby Jubjub arithmetic obeys the group law, so public keys are those of circomlib."""

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

"""Shamir sharing of the dedup key: any k shares give the key, k-1 give something else."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veche.dedup.errors import InvalidShares
from veche.dedup.group import ORDER
from veche.dedup.shamir import combine, lagrange_coefficients, split

secrets_ = st.integers(min_value=1, max_value=ORDER - 1)


@st.composite
def sharings(draw: st.DrawFn) -> tuple[int, int, int]:
    shares = draw(st.integers(min_value=1, max_value=7))
    threshold = draw(st.integers(min_value=1, max_value=shares))
    return draw(secrets_), threshold, shares


@given(sharings(), st.randoms())
@settings(max_examples=60, deadline=None)
def test_any_threshold_of_shares_recovers_the_key(
    sharing: tuple[int, int, int], rng: object
) -> None:
    secret, threshold, count = sharing
    shares = {share.index: share.value for share in split(secret, threshold, count)}
    chosen = rng.sample(sorted(shares), threshold)  # type: ignore[attr-defined]
    assert combine({i: shares[i] for i in chosen}) == secret


@given(sharings())
@settings(max_examples=60, deadline=None)
def test_fewer_than_threshold_shares_give_another_value(sharing: tuple[int, int, int]) -> None:
    """With k-1 shares, Lagrange interpolation yields a value unrelated to the key (equal to it
    only with probability 1/l)."""
    secret, threshold, count = sharing
    if threshold == 1:
        return
    shares = {share.index: share.value for share in split(secret, threshold, count)}
    for subset in itertools.combinations(sorted(shares), threshold - 1):
        assert combine({i: shares[i] for i in subset}) != secret


@given(st.lists(st.integers(1, 255), min_size=1, max_size=8, unique=True), st.integers(0, 300))
@settings(max_examples=80, deadline=None)
def test_lagrange_coefficients_interpolate_any_polynomial_of_lower_degree(
    indices: list[int], at: int
) -> None:
    coefficients = [ORDER - 1 - 7 * i for i in range(len(indices))]

    def f(x: int) -> int:
        return sum(c * pow(x, power, ORDER) for power, c in enumerate(coefficients)) % ORDER

    lagrange = lagrange_coefficients(indices, at=at)
    assert sum(lagrange[i] * f(i) for i in indices) % ORDER == f(at)


@pytest.mark.parametrize(("threshold", "shares"), [(0, 3), (4, 3), (2, 256)])
def test_impossible_sharing_parameters_are_refused(threshold: int, shares: int) -> None:
    with pytest.raises(InvalidShares, match="threshold"):
        split(5, threshold, shares)


def test_repeated_share_indices_are_refused() -> None:
    with pytest.raises(InvalidShares, match="distinct"):
        lagrange_coefficients([1, 2, 2])


def test_a_share_never_shows_its_value() -> None:
    (share,) = split(123456789, 1, 1)
    assert "123456789" not in repr(share)

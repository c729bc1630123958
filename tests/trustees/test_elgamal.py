"""Exponential ElGamal of encrypted ballots (`veche.crypto.elgamal`): sums of encryptions
decrypt to the plain counts, the encoding round-trips and refuses bad points, the fast sum
agrees with the group law, and the discrete logarithm respects its bound."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veche.crypto import babyjub, elgamal
from veche.crypto.babyjub import IDENTITY, Point
from veche.crypto.elgamal import OPTIONS, Ciphertext
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.dedup.group import GENERATOR, ORDER, add, mul

SECRETS = [1000 + 7919 * i for i in range(OPTIONS)]
KEYS = [mul(GENERATOR, s) for s in SECRETS]


def decrypt_with_secrets(ciphertext: Ciphertext, bound: int) -> list[int]:
    """Decryption with the whole option keys (only a test holds them)."""
    return [
        elgamal.discrete_log(add(c, mul(ciphertext.ephemeral, ORDER - s)), bound)
        for c, s in zip(ciphertext.payloads, SECRETS, strict=True)
    ]


@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(st.integers(1, OPTIONS), st.data()), min_size=0, max_size=6))
def test_a_sum_of_encrypted_choices_decrypts_to_the_plain_counts(ballots: list) -> None:
    choices = []
    for options, data in ballots:
        choices.append((data.draw(st.integers(0, options - 1)), options))
    ciphertexts = [elgamal.encrypt_choice(KEYS, c, o)[0] for c, o in choices]
    total = elgamal.sum_encoded(elgamal.encode(c) for c in ciphertexts)
    counts = [sum(1 for c, _ in choices if c == i) for i in range(OPTIONS)]
    assert decrypt_with_secrets(total, len(choices)) == counts


def test_the_fast_sum_agrees_with_adding_points_one_by_one() -> None:
    ciphertexts = [elgamal.encrypt_choice(KEYS, i % 3, 3)[0] for i in range(5)]
    slow = ciphertexts[0]
    for ciphertext in ciphertexts[1:]:
        slow = elgamal.add(slow, ciphertext)
    assert elgamal.sum_ciphertexts(ciphertexts) == slow
    halves = elgamal.CiphertextSum(), elgamal.CiphertextSum()
    for n, ciphertext in enumerate(ciphertexts):
        halves[n % 2].add(ciphertext)
    halves[0].merge(halves[1])
    assert halves[0].result() == slow and halves[0].count == 5


def test_the_empty_sum_is_neutral_and_decrypts_to_zero() -> None:
    total = elgamal.sum_ciphertexts([])
    assert total.ephemeral == IDENTITY and set(total.payloads) == {IDENTITY}
    assert decrypt_with_secrets(total, 0) == [0] * OPTIONS


@settings(max_examples=5, deadline=None)
@given(st.integers(0, 15), st.integers(1, ORDER - 1))
def test_encoding_round_trips_in_1088_bytes(choice: int, r: int) -> None:
    ciphertext, _ = elgamal.encrypt_choice(KEYS, choice, 16, r)
    data = elgamal.encode(ciphertext)
    assert len(data) == elgamal.CIPHERTEXT_BYTES == 1088
    assert elgamal.decode(data) == ciphertext
    assert data[:64] == elgamal.encode_point(mul(GENERATOR, r))


@pytest.mark.parametrize(("choice", "options"), [(3, 3), (-1, 3), (0, 0), (0, 17)])
def test_a_choice_outside_the_districts_options_is_refused(choice: int, options: int) -> None:
    with pytest.raises(elgamal.InvalidPlaintext):
        elgamal.encrypt_choice(KEYS, choice, options)


def test_the_fast_sum_refuses_an_off_curve_point_and_names_it() -> None:
    data = bytearray(elgamal.encode(elgamal.encrypt_choice(KEYS, 0, 2)[0]))
    data[64 * 3 + 63] ^= 1  # C_2.y
    with pytest.raises(elgamal.InvalidCiphertext, match=r"C_2 .* not on Baby Jubjub"):
        elgamal.CiphertextSum().add_encoded(bytes(data))
    with pytest.raises(elgamal.InvalidCiphertext, match="1088 bytes"):
        elgamal.CiphertextSum().add_encoded(bytes(data[:100]))


def test_decode_refuses_a_point_of_small_order_in_any_position() -> None:
    small = Point(0, SNARK_SCALAR_FIELD - 1)  # (0, -1), of order 2
    assert babyjub.is_on_curve(small)
    data = elgamal.encode(elgamal.encrypt_choice(KEYS, 1, 2)[0])
    for position in (0, 5, 16):
        bad = data[: 64 * position] + elgamal.encode_point(small) + data[64 * (position + 1) :]
        with pytest.raises(elgamal.InvalidCiphertext, match="not in the subgroup"):
            elgamal.decode(bad)


@pytest.mark.parametrize("count", [0, 1, 1023, 1024, 1025, 5000])
def test_discrete_log_finds_every_count_up_to_its_bound(count: int) -> None:
    assert elgamal.discrete_log(mul(GENERATOR, count), count) == count
    assert elgamal.discrete_log(mul(GENERATOR, count), 5000) == count


@pytest.mark.parametrize(("count", "bound"), [(11, 10), (1025, 1024), (5001, 5000)])
def test_discrete_log_refuses_a_count_above_its_bound(count: int, bound: int) -> None:
    with pytest.raises(elgamal.DiscreteLogNotFound, match=f"no count in \\[0, {bound}\\]"):
        elgamal.discrete_log(mul(GENERATOR, count), bound)


def test_discrete_log_refuses_a_point_that_is_no_small_multiple() -> None:
    with pytest.raises(elgamal.DiscreteLogNotFound):
        elgamal.discrete_log(mul(GENERATOR, 10**30), 100_000)


def test_a_sum_over_several_batches_equals_the_sum_in_one(monkeypatch: pytest.MonkeyPatch) -> None:
    encoded = [elgamal.encode(elgamal.encrypt_choice(KEYS, i % 4, 4)[0]) for i in range(7)]
    whole = elgamal.sum_encoded(encoded)
    monkeypatch.setattr(elgamal.CiphertextSum, "BATCH", 3)
    batched = elgamal.CiphertextSum()
    for data in encoded:
        batched.add_encoded(data)
    assert batched._pending and batched.count == 7  # two batches added, one pending
    assert batched.result() == whole
    assert decrypt_with_secrets(whole, 7) == [2, 2, 2, 1] + [0] * 12


def test_gmp_and_python_integers_give_the_same_sum(monkeypatch: pytest.MonkeyPatch) -> None:
    encoded = [elgamal.encode(elgamal.encrypt_choice(KEYS, i % 16, 16)[0]) for i in range(5)]
    fast = elgamal.sum_encoded(encoded)
    monkeypatch.setattr(elgamal, "_number", int)
    monkeypatch.setattr(elgamal, "_from_bytes", int.from_bytes)
    monkeypatch.setattr(elgamal, "_P_NUMBER", elgamal._P)
    assert elgamal.sum_encoded(encoded) == fast

"""The threshold OPRF's mathematics, without HTTP: blinding hides the input, k evaluations give
`k·H1(x)`, k-1 give another point, and a wrong evaluation fails its proof."""

import pytest

from veche.crypto.babyjub import BASE8, IDENTITY, Point, in_subgroup
from veche.crypto.field import SNARK_SCALAR_FIELD as R
from veche.dedup import dleq, oprf
from veche.dedup.errors import InvalidGroupElement
from veche.dedup.group import GENERATOR, add, is_element, mul
from veche.dedup.hash_to_group import hash_to_group, sqrt_mod
from veche.dedup.shamir import Share, random_scalar, split

ELECTION = bytes.fromhex("5fbdb2315678afecb367f032d93f642f64180aa3")
PERSON = b"veche-person/v1\x1fivanov\x1fivan ivanovich\x1f1980-01-01\x1fmoskva"


@pytest.fixture(scope="module")
def key() -> int:
    return random_scalar()


@pytest.fixture(scope="module")
def shares(key: int) -> list[Share]:
    return split(key, 2, 3)


def evaluations(shares: list[Share], blinded: oprf.Blinded) -> dict[int, oprf.Evaluation]:
    return {share.index: oprf.evaluate(share, blinded.point) for share in shares}


def test_hash_to_group_gives_subgroup_points_that_depend_on_the_input() -> None:
    points = [hash_to_group(bytes([i]), oprf.H1_DST) for i in range(8)]
    assert all(in_subgroup(p) and p != IDENTITY for p in points)
    assert len(set(points)) == 8
    assert hash_to_group(b"a", oprf.H1_DST) == hash_to_group(b"a", oprf.H1_DST)
    assert hash_to_group(b"a", oprf.H1_DST) != hash_to_group(b"a", b"another domain")


def test_modular_square_roots_are_roots() -> None:
    for value in (0, 1, 4, 12345678901234567890, R - 1):
        root = sqrt_mod(value)
        if root is not None:
            assert root * root % R == value % R
    assert sqrt_mod(4) in (2, R - 2)
    assert sqrt_mod(5) is None, "5 is the smallest quadratic non-residue mod r"


def test_a_quorum_of_evaluations_gives_the_keyed_function_of_the_input(
    key: int, shares: list[Share]
) -> None:
    blinded = oprf.blind(PERSON)
    answers = evaluations(shares, blinded)
    expected = oprf.direct_output(key, PERSON)
    for pair in ((1, 2), (1, 3), (2, 3)):
        combined = oprf.combine({i: answers[i].point for i in pair})
        assert oprf.unblind(blinded, combined) == expected


def test_the_tag_is_the_same_for_any_blinding_and_any_quorum(shares: list[Share]) -> None:
    tags = set()
    for pair in ((1, 2), (2, 3)):
        blinded = oprf.blind(PERSON)
        answers = evaluations(shares, blinded)
        output = oprf.unblind(blinded, oprf.combine({i: answers[i].point for i in pair}))
        tags.add(oprf.tag_of(PERSON, output, ELECTION))
    assert len(tags) == 1


def test_k_minus_1_authorities_cannot_compute_the_value(key: int, shares: list[Share]) -> None:
    """Combining one evaluation (threshold 2) gives a point unrelated to `k·H1(x)`."""
    blinded = oprf.blind(PERSON)
    answers = evaluations(shares, blinded)
    expected = oprf.direct_output(key, PERSON)
    for index in (1, 2, 3):
        alone = oprf.unblind(blinded, oprf.combine({index: answers[index].point}))
        assert alone != expected


def test_blinding_hides_the_input() -> None:
    """Two blindings of one person are unrelated points: an authority cannot even tell that it
    saw the same person twice."""
    first, second = oprf.blind(PERSON), oprf.blind(PERSON)
    assert first.point != second.point
    assert is_element(first.point) and is_element(second.point)


def test_an_evaluation_proves_the_published_share_was_used(shares: list[Share]) -> None:
    blinded = oprf.blind(PERSON)
    answer = oprf.evaluate(shares[0], blinded.point)
    public_key = mul(GENERATOR, shares[0].value)
    assert dleq.verify(answer.proof, public_key, blinded.point, answer.point)


def test_a_wrong_evaluation_fails_its_proof(shares: list[Share]) -> None:
    """An authority that uses another key (a corrupted share, or cheating) cannot make a proof
    for its published key share."""
    blinded = oprf.blind(PERSON)
    published = mul(GENERATOR, shares[0].value)
    wrong = oprf.evaluate(Share(1, shares[0].value + 1), blinded.point)
    assert not dleq.verify(wrong.proof, published, blinded.point, wrong.point)
    honest = oprf.evaluate(shares[0], blinded.point)
    shifted = add(honest.point, GENERATOR)
    assert not dleq.verify(honest.proof, published, blinded.point, shifted)
    tampered = dleq.DleqProof(honest.proof.c, (honest.proof.s + 1))
    assert not dleq.verify(tampered, published, blinded.point, honest.point)


@pytest.mark.parametrize(
    "point",
    [
        pytest.param(IDENTITY, id="neutral"),
        pytest.param(
            Point(0, 21888242871839275222246405745257275088548364400416034343698204186575808495616),
            id="order-2",
        ),
        pytest.param(Point(BASE8.x, BASE8.y + 1), id="off-curve"),
    ],
)
def test_an_authority_refuses_points_outside_the_prime_order_subgroup(
    shares: list[Share], point: Point
) -> None:
    """A point of small order would reveal the share modulo its order."""
    with pytest.raises(InvalidGroupElement):
        oprf.evaluate(shares[0], point)

"""A recount verifies a million proofs in batches and still names every invalid one.

The proofs are real ballots of `tests/vectors/proofs.json` (made by snarkjs with the committed
keys); a batch of 1,000 with one bad ballot must name exactly that ballot, whatever its place.
"""

import json
from pathlib import Path
from typing import Any

import pytest

from veche.crypto.errors import ProofFormatError
from veche.crypto.groth16 import Proof, VerifyingKey, find_invalid, parse_packed, verify
from veche.recount.verify import invalid_positions

ROOT = Path(__file__).resolve().parents[2]
PROOFS: dict[str, Any] = json.loads((ROOT / "tests" / "vectors" / "proofs.json").read_text())
VK_PATH = ROOT / PROOFS["verificationKey"]
CASES = PROOFS["cases"]


def _case(name: str) -> dict[str, Any]:
    return next(case for case in CASES if case["name"] == name)


def _item(case: dict[str, Any]) -> tuple[list[int], list[int]]:
    return [int(x) for x in case["packed"]], [int(s) for s in case["publicSignals"]]


@pytest.fixture(scope="module")
def vk() -> VerifyingKey:
    return VerifyingKey.load(VK_PATH)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case["name"])
def test_fast_parser_agrees_with_the_checked_parser(vk: VerifyingKey, case: dict[str, Any]) -> None:
    packed, signals = _item(case)
    parsed = parse_packed(packed)
    try:
        reference = verify(vk, Proof.from_packed(packed), signals)
    except ProofFormatError:
        reference = False
    assert (parsed is not None and verify(vk, parsed, signals)) == reference == case["valid"]


@pytest.mark.parametrize("position", [0, 637, 999])
def test_bisection_names_the_one_invalid_proof_among_a_thousand(
    vk: VerifyingKey, position: int
) -> None:
    valid = [_item(_case("valid_member")), _item(_case("valid_revote"))]
    items: list[Any] = [(parse_packed(valid[i % 2][0]), valid[i % 2][1]) for i in range(1000)]
    bad_packed, bad_signals = _item(_case("invalid_wrong_nullifier"))
    items[position] = (parse_packed(bad_packed), bad_signals)
    assert find_invalid(vk, items) == [position]
    items[position] = (parse_packed(valid[0][0]), valid[0][1])
    assert find_invalid(vk, items) == []


def test_unparsable_and_invalid_proofs_are_all_named(vk: VerifyingKey) -> None:
    good = _item(_case("valid_member"))
    items: list[Any] = [(parse_packed(good[0]), good[1])] * 64
    off_curve = _item(_case("invalid_a_not_on_curve"))
    off_subgroup = _item(_case("invalid_b_not_in_subgroup"))
    wrong_scope = _item(_case("invalid_wrong_scope"))
    items[3] = (parse_packed(off_curve[0]), off_curve[1])
    items[40] = (parse_packed(off_subgroup[0]), off_subgroup[1])
    items[41] = (parse_packed(wrong_scope[0]), wrong_scope[1])
    assert items[3][0] is None and items[40][0] is None
    assert find_invalid(vk, items) == [3, 40, 41]


def test_parallel_verification_names_bad_proofs_across_workers() -> None:
    good = _item(_case("valid_member"))
    bad = _item(_case("invalid_wrong_message"))
    items = [good] * 2500
    items[5], items[2047] = bad, bad
    assert invalid_positions(VK_PATH, items, workers=2) == {5, 2047}

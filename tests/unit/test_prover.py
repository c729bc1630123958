"""The Python prover makes real Semaphore ballot proofs with the committed keys.

Expected values come from the shared vectors (`tests/vectors/proofs.json`, made by Semaphore's
own `generateProof`), so a passing test means the relayer's proofs are the ones a voter's app
would make and the on-chain verifier accepts.
"""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.zk_checks import snarkjs_accepts

from veche.crypto.prover import Prover
from veche.errors import ProofError
from veche.keys import verification_key_path

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "tests" / "vectors"
VERIFICATION_KEY = verification_key_path()
BABYJUB_SUBGROUP_ORDER = (
    2736030358979909402780800718157159386076813972158567259200215660948447373041
)

pytestmark = pytest.mark.slow


def _valid_cases() -> dict[str, dict[str, Any]]:
    cases = json.loads((VECTORS / "proofs.json").read_text())["cases"]
    return {case["name"]: case for case in cases if case["valid"]}


@pytest.fixture(scope="module")
def prover() -> Iterator[Prover]:
    with Prover() as started:
        yield started


@pytest.fixture
def member() -> dict[str, Any]:
    """The shared vector of a registered voter's ballot: its circuit input and signals."""
    return _valid_cases()["valid_member"]


def test_member_proof_carries_the_expected_public_signals(
    prover: Prover, member: dict[str, Any], tmp_path: Path
) -> None:
    result = prover.prove(member["context"]["circuitInput"])
    # [register root, nullifier, H(message), H(scope)], as Semaphore's generateProof made them.
    assert result["publicSignals"] == member["publicSignals"]
    assert snarkjs_accepts(VERIFICATION_KEY, result["proof"], result["publicSignals"], tmp_path)


def test_proofs_are_randomised_so_two_ballots_cannot_be_matched_by_their_proof(
    prover: Prover, member: dict[str, Any]
) -> None:
    first = prover.prove(member["context"]["circuitInput"])
    second = prover.prove(member["context"]["circuitInput"])
    assert first["publicSignals"] == second["publicSignals"]
    assert first["proof"]["pi_a"] != second["proof"]["pi_a"]


def test_integer_inputs_are_accepted_like_decimal_strings(
    prover: Prover, member: dict[str, Any]
) -> None:
    as_text = member["context"]["circuitInput"]
    as_ints = {
        key: [int(v) for v in value] if isinstance(value, list) else int(value)
        for key, value in as_text.items()
    }
    assert prover.prove(as_ints)["publicSignals"] == member["publicSignals"]


def test_a_non_member_proves_only_some_other_root(prover: Prover, member: dict[str, Any]) -> None:
    # The circuit outputs the root its path leads to; the contract's root check is what turns
    # a non-member away. A non-member's secret with a member's path never yields the register.
    outsider = dict(member["context"]["circuitInput"], secret="123456789")
    signals = prover.prove(outsider)["publicSignals"]
    assert signals[0] != member["publicSignals"][0]
    assert signals[1] != member["publicSignals"][1]


def test_secret_outside_the_baby_jubjub_subgroup_raises_proof_error(
    prover: Prover, member: dict[str, Any]
) -> None:
    bad = dict(member["context"]["circuitInput"], secret=str(BABYJUB_SUBGROUP_ORDER))
    with pytest.raises(ProofError, match="Assert Failed"):
        prover.prove(bad)


def test_path_index_beyond_the_tree_raises_proof_error(
    prover: Prover, member: dict[str, Any]
) -> None:
    bad = dict(member["context"]["circuitInput"], merkleProofIndex=str(2**20))
    with pytest.raises(ProofError, match="Assert Failed"):
        prover.prove(bad)


def test_missing_input_raises_proof_error_naming_it(prover: Prover, member: dict[str, Any]) -> None:
    incomplete = dict(member["context"]["circuitInput"])
    del incomplete["scope"]
    with pytest.raises(ProofError, match="scope"):
        prover.prove(incomplete)


def test_prover_keeps_working_after_a_refused_ballot(
    prover: Prover, member: dict[str, Any]
) -> None:
    bad = dict(member["context"]["circuitInput"], secret=str(BABYJUB_SUBGROUP_ORDER))
    with pytest.raises(ProofError):
        prover.prove(bad)
    assert (
        prover.prove(member["context"]["circuitInput"])["publicSignals"]
        == (member["publicSignals"])
    )


def test_parallel_provers_answer_in_request_order() -> None:
    cases = _valid_cases()
    inputs = [cases[name]["context"]["circuitInput"] for name in ("valid_member", "valid_revote")]
    with Prover(parallel=2) as parallel:
        results = parallel.prove_many(inputs * 2)
    expected = [cases[name]["publicSignals"] for name in ("valid_member", "valid_revote")] * 2
    assert [r["publicSignals"] for r in results] == expected


def test_prove_many_reports_the_first_refused_ballot(
    prover: Prover, member: dict[str, Any]
) -> None:
    good = member["context"]["circuitInput"]
    bad = dict(good, secret=str(BABYJUB_SUBGROUP_ORDER))
    with pytest.raises(ProofError, match="ballot 1"):
        prover.prove_many([good, bad, good])


def test_missing_proving_key_is_reported_before_starting(tmp_path: Path) -> None:
    with pytest.raises(ProofError, match="proving key not found"):
        Prover(zkey=tmp_path / "absent.zkey")

"""Hostile values that need no chain: the reference model and commands given bad input."""

import socket

import pytest

from tests.adversarial.catalogue import CLI, CONTRACT, MODEL, RELAYER, attack
from tests.adversarial.cli import one_line_error, veche
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.hashing import election_scope
from veche.keys import DEV_ZK_DIR
from veche.model import (
    Ballot,
    BallotBox,
    Calendar,
    DistrictRules,
    ElectionRules,
    Rejection,
    check_ballot,
)
from veche.model.proofs import load_check

ROOT = 12345
RULES = ElectionRules(
    Calendar(1_000, 2_000, 2_000, 3_000, 4_000),
    election_scope(31337, "0x" + "11" * 20),
    (DistrictRules(option_count=3, merkle_root=ROOT, members=5, minimum_members=3),),
)
PROOF = (1, 2, 3, 4, 5, 6, 7, 8)


@pytest.fixture(scope="module")
def box() -> BallotBox:
    return BallotBox(RULES, load_check(DEV_ZK_DIR / "verification_key.json"))


def _ballot(**changes: int) -> Ballot:
    fields = {"nullifier": 7, "district": 0, "choice": 1, "revision": 1, "cast_at": 2_500}
    fields.update(changes)
    return Ballot(merkle_root=ROOT, proof=PROOF, **fields)  # type: ignore[arg-type]


@attack(
    "proofs",
    "Field aliasing: a nullifier r (or 2^256 - 1) standing for nullifier 0 (or its residue)",
    MODEL,
    CONTRACT,
    refusal="Rejection.INVALID_PROOF (the model rejects, it does not raise); on chain InvalidProof",
)
@pytest.mark.parametrize("nullifier", [SNARK_SCALAR_FIELD, SNARK_SCALAR_FIELD + 7, 2**256 - 1])
def test_out_of_field_nullifier_is_rejected_by_the_model(box: BallotBox, nullifier: int) -> None:
    outcome = box.cast(_ballot(nullifier=nullifier))
    assert outcome.rejection == Rejection.INVALID_PROOF
    assert nullifier not in box.current


@attack(
    "ballots",
    "Revision beyond a uint32 (2^32), which no contract call can carry",
    MODEL,
    RELAYER,
    refusal="Rejection.INVALID_PROOF (after 2^32 - 1) or REVISION_GAP; 400 malformed at the "
    "relayer",
)
def test_revision_beyond_uint32_is_rejected_by_the_model(box: BallotBox) -> None:
    # Even where it would be the next revision (after 2^32 - 1), it cannot be proven or sent.
    beyond = _ballot(revision=2**32)
    assert check_ballot(RULES, beyond, 2**32 - 1, box.proof_ok) == Rejection.INVALID_PROOF
    assert box.cast(beyond).rejection == Rejection.REVISION_GAP  # and never follows a first


@attack(
    "command line",
    "`veche ballot` with a nullifier of 2^256 or more",
    CLI,
    refusal="one line: --nullifier is not below the field order",
)
@pytest.mark.parametrize("nullifier", [str(2**256), str(SNARK_SCALAR_FIELD), "12a", "-1"])
def test_ballot_command_refuses_a_huge_nullifier_in_one_line(nullifier: str) -> None:
    run = veche(
        "ballot", "--rpc", "http://127.0.0.1:9", "--election", "0x" + "11" * 20,
        "--nullifier", nullifier,
    )  # fmt: skip
    assert run.returncode == 1
    assert "--nullifier" in one_line_error(run)


@attack(
    "command line",
    "`veche recount` pointed at a verification key that is not there",
    CLI,
    refusal="one line: no verification key at PATH: give --verification-key",
)
def test_recount_without_a_verification_key_says_so(tmp_path) -> None:
    missing = tmp_path / "nowhere" / "verification_key.json"
    run = veche(
        "recount", "--rpc", "http://127.0.0.1:9", "--election", "0x" + "11" * 20,
        "--definition", "examples/demo.toml", "--verification-key", str(missing),
    )  # fmt: skip
    assert run.returncode == 1
    assert one_line_error(run).startswith(f"no verification key at {missing}")


@attack(
    "command line",
    "`veche definition canonical` told to write where nothing can be written",
    CLI,
    refusal="one line: cannot write PATH: <reason>",
)
@pytest.mark.parametrize("where", ["folder", "under-a-file"])
def test_canonical_to_an_unwritable_path_says_so(tmp_path, where: str) -> None:
    target = tmp_path if where == "folder" else tmp_path / "file.txt" / "definition.json"
    (tmp_path / "file.txt").write_text("a file, not a folder")
    run = veche("definition", "canonical", "examples/demo.toml", "--out", str(target))
    assert run.returncode == 1
    assert one_line_error(run).startswith(f"cannot write {target}")


@attack(
    "command line",
    "`veche relayer serve` on a port another process holds",
    CLI,
    refusal="one line: cannot listen on HOST:PORT: Address already in use",
)
def test_serve_on_a_busy_port_says_so(tmp_path) -> None:
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        run = veche(
            "relayer", "serve", "--port", str(port),
            env={
                "VECHE_RPC_URL": "http://127.0.0.1:9",
                "VECHE_RELAYER_KEYS": "0x" + "5a" * 32,
                "VECHE_RELAYER_DB": str(tmp_path / "relayer.sqlite3"),
                "VECHE_MODE": "dev",
            },
        )  # fmt: skip
    assert run.returncode == 1
    assert one_line_error(run) == f"cannot listen on 127.0.0.1:{port}: Address already in use"

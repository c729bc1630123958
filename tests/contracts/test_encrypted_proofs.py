"""Encrypted ballots with real proofs of the development election key's circuit, checked on
anvil by its generated verifier (39 public signals): a ballot counts only with a valid proof
over exactly the ciphertext it carries and its district's number of options, singly, in a
batch and in the recorded mode's challenges.

Every test deploys the election at the same address on a rolled-back chain, so each proof is
made once per module and reused.
"""

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3 import Web3

from tests.contracts.ballots import Voter
from tests.contracts.conftest import deploy_test_election, register_test_voters
from tests.contracts.reverts import reverts_with
from tests.definition.texts import VALID, edit
from veche.chain.anvil import mine
from veche.chain.artifacts import load_artifact
from veche.chain.deploy import (
    Libraries,
    deploy_contract,
    deploy_from_definition,
)
from veche.chain.election import Calendar, ElectionContract, EncryptedBallotInput
from veche.crypto.groth16 import Proof
from veche.crypto.hashing import message_signal, scope_signal
from veche.crypto.prover import Prover, encrypted_ballot_input, encrypted_prover
from veche.definition import parse_text
from veche.errors import VecheError
from veche.protocol import BallotMode, BallotSecrecy, EncryptedBallotRecord
from veche.protocol.records import ciphertext_bytes
from veche.registrar.recovery import current_register
from veche.trustees.development import DEVELOPMENT_KEY
from veche.trustees.key import ElectionKey

pytestmark = [pytest.mark.chain, pytest.mark.slow]

ELECTION_KEY = ElectionKey.load(DEVELOPMENT_KEY)

Make = Callable[..., EncryptedBallotInput]


@pytest.fixture(scope="module")
def prover() -> Iterator[Prover]:
    """The real snarkjs prover of the development election key's encrypted ballot circuit."""
    with encrypted_prover() as started:
        yield started


@pytest.fixture
def encrypted_libraries(libraries: Libraries, w3: Web3, accounts: list[LocalAccount]) -> Libraries:
    """The shared PoseidonT3 and the committed verifier of the encrypted circuit (deployed in
    the test's snapshot; the session's `libraries` before it, being a fixture argument)."""
    verifier = deploy_contract(w3, accounts[9], load_artifact("EncryptedBallotVerifier"))
    return Libraries(poseidon_t3=libraries.poseidon_t3, verifier=verifier)


def _deploy(
    request: pytest.FixtureRequest, libraries: Libraries, mode: BallotMode
) -> ElectionContract:
    """An encrypted election in `mode` with the fixtures' registers, during registration
    (`libraries` is a fixture argument of every caller: see `encrypted_libraries`)."""
    get = request.getfixturevalue
    election = deploy_test_election(
        get("w3"),
        libraries,
        get("deployer"),
        get("organizer"),
        get("registrar"),
        get("calendar"),
        mode,
        election_key_hash=ELECTION_KEY.key_hash(),
    )
    register_test_voters(get("w3"), election, get("registrar"), get("calendar"), get("voters"))
    return election


@pytest.fixture
def encrypted(
    request: pytest.FixtureRequest, encrypted_libraries: Libraries, w3: Web3, calendar: Calendar
) -> ElectionContract:
    """A verified-mode encrypted election (voters 0-2 in district 0 of 3 options, 3-4 in
    district 1 of 2), at the first second of voting."""
    election = _deploy(request, encrypted_libraries, BallotMode.VERIFIED)
    mine(w3, calendar.voting_start)
    return election


@pytest.fixture(scope="module")
def proofs() -> dict[tuple[object, ...], EncryptedBallotInput]:
    return {}


@pytest.fixture
def make(
    prover: Prover,
    voters: list[Voter],
    proofs: dict[tuple[object, ...], EncryptedBallotInput],
) -> Make:
    """`make(election, voter, district, choice, revision=1, options=None)`: voter's encrypted
    ballot, proven against the district's register with the district's option count (or
    `options`: a voter lying about it)."""

    def prove(
        election: ElectionContract,
        voter: int,
        district: int,
        choice: int,
        revision: int = 1,
        options: int | None = None,
    ) -> EncryptedBallotInput:
        count = election.district(district).option_count if options is None else options
        key = (election.address, voter, district, choice, revision, count)
        if key not in proofs:
            identity = voters[voter].identity
            path = current_register(election, district).proof_of(identity.commitment)
            plain = {
                "secret": identity.secret_scalar,
                "merkleProofLength": path.length,
                "merkleProofIndex": path.index,
                "merkleProofSiblings": path.padded_siblings(),
                "message": message_signal(0, revision, district),
                "scope": scope_signal(election.scope()),
            }
            result = prover.prove(encrypted_ballot_input(plain, choice=choice, options=count))
            signals = [int(signal) for signal in result["publicSignals"]]
            proofs[key] = EncryptedBallotInput(
                district=district,
                revision=revision,
                merkle_root=signals[0],
                nullifier=signals[1],
                proof=tuple(Proof.from_snarkjs(result["proof"]).packed()),
                ciphertext=ciphertext_bytes(signals[2:36]),
            )
        return proofs[key]

    return prove


def tampered(ballot: EncryptedBallotInput) -> EncryptedBallotInput:
    """The same proof with C_0 and C_1 swapped: still 16 valid points, another vote."""
    c = ballot.ciphertext
    return replace(ballot, ciphertext=c[:64] + c[128:192] + c[64:128] + c[192:])


def test_a_valid_encrypted_ballot_is_stored_as_its_hash_and_logged_with_its_ciphertext(
    encrypted: ElectionContract, relayer: LocalAccount, make: Make
) -> None:
    ballot = make(encrypted, 0, 0, 2)
    receipt = encrypted.cast_encrypted_ballot(relayer, ballot)
    stored = encrypted.ballot_of(ballot.nullifier)
    assert (stored.district, stored.choice, stored.revision) == (0, 0, 1)
    assert encrypted.ciphertext_hash_of(ballot.nullifier) == keccak(ballot.ciphertext)
    (event,) = encrypted.encrypted_ballot_events()
    assert (event.nullifier, event.district, event.revision, event.merkle_root) == (
        ballot.nullifier,
        0,
        1,
        ballot.merkle_root,
    )
    assert (event.proof, event.ciphertext) == (ballot.proof, ballot.ciphertext)
    assert event.tx_hash == receipt["transactionHash"] and encrypted.ballot_count() == 1


def test_a_ciphertext_changed_after_proving_is_refused(
    encrypted: ElectionContract, relayer: LocalAccount, make: Make
) -> None:
    ballot = make(encrypted, 0, 0, 2)
    with reverts_with("InvalidProof", nullifier=ballot.nullifier):
        encrypted.cast_encrypted_ballot(relayer, tampered(ballot))
    with reverts_with("InvalidProofInBatch", index=1, nullifier=ballot.nullifier):
        encrypted.cast_encrypted_ballots(relayer, [make(encrypted, 1, 0, 0), tampered(ballot)])
    assert encrypted.ballot_count() == 0


def test_a_proof_with_another_districts_number_of_options_is_refused(
    encrypted: ElectionContract, relayer: LocalAccount, make: Make
) -> None:
    """District 0 offers 3 options: a proof that the one 1 lies among 2 (district 1's count)
    is not a proof for district 0, whatever the ballot says."""
    lying = make(encrypted, 0, 0, 1, options=2)
    with reverts_with("InvalidProof", nullifier=lying.nullifier):
        encrypted.cast_encrypted_ballot(relayer, lying)
    with reverts_with("InvalidProofInBatch", index=0, nullifier=lying.nullifier):
        encrypted.cast_encrypted_ballots(relayer, [lying])


def test_a_batch_of_encrypted_ballots_with_a_revote_is_counted_once_per_voter(
    encrypted: ElectionContract, relayer: LocalAccount, make: Make
) -> None:
    first, second, south = (
        make(encrypted, 0, 0, 0),
        make(encrypted, 1, 0, 2),
        make(encrypted, 3, 1, 1),
    )
    encrypted.cast_encrypted_ballots(relayer, [first, second, south])
    revote = make(encrypted, 0, 0, 1, revision=2)
    encrypted.cast_encrypted_ballots(relayer, [revote, first])  # `first` is now stale: skipped
    assert encrypted.ballot_count() == 3
    assert encrypted.ballot_of(first.nullifier).revision == 2
    assert encrypted.ciphertext_hash_of(first.nullifier) == keccak(revote.ciphertext)
    events = encrypted.encrypted_ballot_events()
    assert [e.ciphertext for e in events] == [b.ciphertext for b in (first, second, south, revote)]


def record_of(ballot: EncryptedBallotInput) -> EncryptedBallotRecord:
    return EncryptedBallotRecord(
        ballot.nullifier, ballot.proof, ballot.district, ballot.revision, ballot.ciphertext
    )


def test_a_challenge_finds_a_recorded_ciphertext_that_its_proof_does_not_cover(
    request: pytest.FixtureRequest,
    encrypted_libraries: Libraries,
    w3: Web3,
    calendar: Calendar,
    organizer: LocalAccount,
    relayer: LocalAccount,
    outsider: LocalAccount,
    make: Make,
) -> None:
    election = _deploy(request, encrypted_libraries, BallotMode.RECORDED)
    election.authorize_relayer(organizer, relayer.address)
    mine(w3, calendar.voting_start)
    good, bad = make(election, 0, 0, 1), make(election, 3, 1, 0)
    election.record_ballots(relayer, [record_of(good), record_of(tampered(bad))])
    (batch,) = election.recorded_batches()
    with reverts_with("RecordedBallotValid", batch=batch.batch, index=0, nullifier=good.nullifier):
        election.challenge_ballot(outsider, batch, 0)
    election.challenge_ballot(outsider, batch, 1)
    assert election.is_record_invalid(batch.batch, 1)
    assert not election.is_record_invalid(batch.batch, 0)


def test_an_encrypted_definition_deploys_with_its_key_hash_and_its_circuits_verifier(
    w3: Web3, deployer: LocalAccount, tmp_path: Path
) -> None:
    key = tmp_path / "election-key.json"
    key.write_bytes(DEVELOPMENT_KEY.read_bytes())
    text = edit(
        VALID,
        'title = "Test election"',
        'ballot_secrecy = "encrypted"\nelection_key = "election-key.json"\ntitle = "Test election"',
    )
    definition, problems = parse_text(text, tmp_path)
    assert problems == [] and definition is not None
    election = deploy_from_definition(w3, deployer, definition)
    assert election.ballot_secrecy() is BallotSecrecy.ENCRYPTED
    assert election.election_key_hash() == ELECTION_KEY.key_hash()
    code = w3.eth.get_code(election.verifier())
    assert code.hex() == load_artifact("EncryptedBallotVerifier").deployed_bytecode.removeprefix(
        "0x"
    )
    key.write_text(key.read_text() + "\n")
    with pytest.raises(VecheError, match="refusing another key"):
        deploy_from_definition(w3, deployer, definition)

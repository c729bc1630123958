"""The recorded ballot mode (`recordBallots`, `challengeBallot`, relayer accounts), on anvil with
real proofs.

In this mode the contract checks a record's window, district and option but not its proof, and
keeps no slot per voter: every recount verifies every record. What the contract must still
guarantee: only accounts the organizer authorised post records, a suspension is final, anyone
can have one record's proof verified on chain, an invalid one gets its relayer suspended, a
valid one cannot be used to harm its relayer, and a voter can always cast a verified ballot.

Every test deploys the election at the same address on a rolled-back chain, so the proofs are
made once per module and reused.
"""

from collections.abc import Callable
from typing import Any, cast

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.types import TxParams

from tests.contracts.ballots import Ballot, Voter, make_ballot
from tests.contracts.conftest import deploy_test_election, register_test_voters
from tests.contracts.reverts import reverts_with
from tests.contracts.timing import send_at
from veche.chain.anvil import mine
from veche.chain.client import call_view, send, simulate_call
from veche.chain.deploy import Libraries
from veche.chain.election import (
    Calendar,
    ElectionContract,
    RecordedBatch,
    RelayerStatus,
    record_ballots_gas,
)
from veche.crypto.prover import Prover
from veche.errors import ContractRevert
from veche.protocol import BallotMode, BallotRecord, batch_key, decode_records, encode_records

pytestmark = [pytest.mark.chain, pytest.mark.slow]

FIELD = 21888242871839275222246405745257275088548364400416034343698204186575808495617

Prove = Callable[..., Ballot]


def record_of(ballot: Ballot) -> BallotRecord:
    return BallotRecord(
        ballot.nullifier, ballot.proof, ballot.district, ballot.choice, ballot.revision
    )


@pytest.fixture
def recorded(
    w3: Web3,
    libraries: Libraries,
    deployer: LocalAccount,
    organizer: LocalAccount,
    registrar: LocalAccount,
    relayer: LocalAccount,
    calendar: Calendar,
    voters: list[Voter],
) -> ElectionContract:
    """A recorded-mode election with the registers of `voting_election` (voters 0-2 in district
    0, 3-4 in district 1, district 2 below its minimum), `relayer` authorised, at the first
    second of voting."""
    election = deploy_test_election(
        w3, libraries, deployer, organizer, registrar, calendar, BallotMode.RECORDED
    )
    register_test_voters(w3, election, registrar, calendar, voters)
    election.authorize_relayer(organizer, relayer.address)
    mine(w3, calendar.voting_start)
    return election


@pytest.fixture(scope="module")
def proofs() -> dict[tuple[object, ...], Ballot]:
    return {}


@pytest.fixture
def prove(
    prover: Prover,
    recorded: ElectionContract,
    voters: list[Voter],
    proofs: dict[tuple[object, ...], Ballot],
) -> Prove:
    """`prove(voter_index, choice, revision)`: that voter's ballot in their own district."""

    def make(voter: int, choice: int, revision: int = 1) -> Ballot:
        district = 0 if voter < 3 else 1
        key = (recorded.address, recorded.scope(), voter, choice, revision)
        if key not in proofs:
            proofs[key] = make_ballot(prover, recorded, voters[voter], district, choice, revision)
        return proofs[key]

    return make


def forged(ballot: Ballot, other: Ballot) -> BallotRecord:
    """`ballot`'s record carrying `other`'s (real) proof: invalid for `ballot`."""
    return BallotRecord(
        ballot.nullifier, other.proof, ballot.district, ballot.choice, ballot.revision
    )


def attempt(election: ElectionContract, sender: LocalAccount, function: Any) -> None:
    """Runs `function` from `sender` with `eth_call` (raises `ContractRevert` if refused)."""
    transaction = {
        "from": sender.address,
        "to": election.address,
        "data": function._encode_transaction_data(),
        "gas": 16_000_000,
    }
    simulate_call(election.w3, cast(TxParams, transaction), election.artifact.abi)


def last_batch(election: ElectionContract) -> RecordedBatch:
    return election.recorded_batches()[-1]


def test_the_election_knows_its_mode(
    recorded: ElectionContract, election: ElectionContract
) -> None:
    assert recorded.ballot_mode() is BallotMode.RECORDED
    assert election.ballot_mode() is BallotMode.VERIFIED


def test_an_authorised_relayer_records_a_batch_that_the_logs_give_back(
    recorded: ElectionContract, relayer: LocalAccount, prove: Prove
) -> None:
    ballots = [prove(0, 1), prove(3, 0), prove(1, 2)]
    receipt = recorded.record_ballots(relayer, [record_of(b) for b in ballots])

    batch = last_batch(recorded)
    assert batch.relayer == relayer.address
    assert batch.tx_hash == receipt["transactionHash"]
    assert decode_records(batch.records) == [record_of(b) for b in ballots]
    assert batch.batch == batch_key(relayer.address, batch.records)
    assert recorded.recorded_batch_block(batch.batch) == receipt["blockNumber"]
    # No slot per voter in this mode: nothing to read back but the logs.
    assert recorded.ballot_count() == 0
    assert recorded.ballot_of(ballots[0].nullifier).revision == 0


def test_duplicate_records_are_recorded_as_they_come(
    recorded: ElectionContract, relayer: LocalAccount, prove: Prove
) -> None:
    """The contract keeps no per-voter state here, so it cannot refuse a duplicate: the recount
    counts the first and reports the others (tests/recount/test_recorded_recount.py)."""
    ballot = record_of(prove(0, 1))
    recorded.record_ballots(relayer, [ballot, ballot])
    recorded.record_ballots(relayer, [ballot, ballot])
    batches = recorded.recorded_batches()
    assert [decode_records(b.records) for b in batches] == [[ballot, ballot]] * 2
    assert batches[0].batch == batches[1].batch


def test_an_account_the_organizer_did_not_authorise_cannot_record(
    recorded: ElectionContract, outsider: LocalAccount, prove: Prove
) -> None:
    with reverts_with("NotAuthorizedRelayer", caller=outsider.address):
        recorded.record_ballots(outsider, [record_of(prove(0, 1))])
    assert recorded.relayer_status(outsider.address) is RelayerStatus.NONE


def test_a_suspended_relayer_cannot_record_and_cannot_be_reauthorised(
    recorded: ElectionContract,
    organizer: LocalAccount,
    relayer: LocalAccount,
    prove: Prove,
) -> None:
    recorded.suspend_relayer(organizer, relayer.address, "posted junk records")
    assert recorded.relayer_status(relayer.address) is RelayerStatus.SUSPENDED
    with reverts_with("SuspendedRelayer", relayer=relayer.address):
        recorded.record_ballots(relayer, [record_of(prove(0, 1))])
    with reverts_with("RelayerAlreadyKnown", relayer=relayer.address, status=2):
        recorded.authorize_relayer(organizer, relayer.address)


def test_only_the_organizer_manages_relayers_and_only_until_voting_ends(
    w3: Web3,
    recorded: ElectionContract,
    organizer: LocalAccount,
    outsider: LocalAccount,
    relayer: LocalAccount,
    calendar: Calendar,
) -> None:
    with reverts_with("NotOrganizer", caller=outsider.address):
        recorded.authorize_relayer(outsider, outsider.address)
    with reverts_with("NotOrganizer", caller=outsider.address):
        recorded.suspend_relayer(outsider, relayer.address, "no")
    with reverts_with("InvalidRelayer", relayer="0x" + "00" * 20):
        recorded.authorize_relayer(organizer, "0x" + "00" * 20)
    with reverts_with("RelayerAlreadyKnown", relayer=relayer.address, status=1):
        recorded.authorize_relayer(organizer, relayer.address)
    with reverts_with("RelayerNotAuthorized", relayer=outsider.address, status=0):
        recorded.suspend_relayer(organizer, outsider.address, "never was one")
    with reverts_with("EmptyReason"):
        recorded.suspend_relayer(organizer, relayer.address, "")
    mine(w3, calendar.voting_end)
    with pytest.raises(ContractRevert) as closed:
        recorded.authorize_relayer(organizer, outsider.address)
    assert (closed.value.name, closed.value.values["votingEnd"]) == (
        "RelayerChangesClosed",
        calendar.voting_end,
    )


def test_a_challenge_of_an_invalid_record_marks_it_and_suspends_its_relayer(
    recorded: ElectionContract,
    relayer: LocalAccount,
    outsider: LocalAccount,
    prove: Prove,
) -> None:
    good, bad = prove(0, 1), prove(3, 0)
    recorded.record_ballots(relayer, [record_of(good), forged(bad, good)])
    batch = last_batch(recorded)

    receipt = recorded.challenge_ballot(outsider, batch, 1)

    assert recorded.is_record_invalid(batch.batch, 1)
    assert not recorded.is_record_invalid(batch.batch, 0)
    assert recorded.relayer_status(relayer.address) is RelayerStatus.SUSPENDED
    [mark] = recorded.invalid_record_events()
    assert (mark.batch, mark.index, mark.nullifier, mark.relayer) == (
        batch.batch,
        1,
        bad.nullifier,
        relayer.address,
    )
    assert mark.tx_hash == receipt["transactionHash"]
    with reverts_with("SuspendedRelayer", relayer=relayer.address):
        recorded.record_ballots(relayer, [record_of(prove(1, 2))])
    with reverts_with("RecordAlreadyMarked", batch=batch.batch, index=1):
        recorded.challenge_ballot(outsider, batch, 1)


def test_a_challenge_of_a_valid_record_is_refused_and_changes_nothing(
    recorded: ElectionContract,
    relayer: LocalAccount,
    outsider: LocalAccount,
    prove: Prove,
) -> None:
    ballot = prove(4, 1)
    recorded.record_ballots(relayer, [record_of(prove(0, 1)), record_of(ballot)])
    batch = last_batch(recorded)
    with reverts_with(
        "RecordedBallotValid", batch=batch.batch, index=1, nullifier=ballot.nullifier
    ):
        recorded.challenge_ballot(outsider, batch, 1)
    assert recorded.relayer_status(relayer.address) is RelayerStatus.AUTHORIZED
    assert not recorded.is_record_invalid(batch.batch, 1)


def test_a_challenge_short_of_gas_cannot_pass_a_valid_record_off_as_invalid(
    w3: Web3,
    recorded: ElectionContract,
    relayer: LocalAccount,
    outsider: LocalAccount,
    prove: Prove,
) -> None:
    """A verifier short of gas answers "invalid": with 300,000 gas a challenge could otherwise
    get an honest relayer suspended."""
    recorded.record_ballots(relayer, [record_of(prove(0, 1))])
    batch = last_batch(recorded)
    call = recorded.contract.functions.challengeBallot(batch.relayer, batch.records, 0)
    with pytest.raises(ContractRevert) as refused:
        send(w3, outsider, call, gas=300_000, simulate=False)
    assert refused.value.name == "ChallengeGasTooLow"
    assert refused.value.values["required"] == 400_000
    assert recorded.relayer_status(relayer.address) is RelayerStatus.AUTHORIZED
    assert not recorded.is_record_invalid(batch.batch, 0)


def test_a_challenge_must_present_the_batch_exactly_as_posted(
    recorded: ElectionContract,
    relayer: LocalAccount,
    outsider: LocalAccount,
    prove: Prove,
) -> None:
    good, bad = prove(0, 1), prove(3, 0)
    recorded.record_ballots(relayer, [record_of(good), forged(bad, good)])
    batch = last_batch(recorded)
    functions = recorded.contract.functions
    altered = batch.records[:-1] + bytes([batch.records[-1] ^ 1])
    with reverts_with("UnknownRecordBatch", batch=batch_key(relayer.address, altered)):
        call_view(functions.challengeBallot(relayer.address, altered, 1))
    with reverts_with("UnknownRecordBatch", batch=batch_key(outsider.address, batch.records)):
        call_view(functions.challengeBallot(outsider.address, batch.records, 1))
    with reverts_with("RecordIndexOutOfRange", index=2, count=2):
        call_view(functions.challengeBallot(relayer.address, batch.records, 2))


def test_records_are_checked_for_district_option_nullifier_and_revision(
    recorded: ElectionContract, relayer: LocalAccount, prove: Prove
) -> None:
    ok = record_of(prove(0, 1))
    south = record_of(prove(3, 0))

    def refused(record: BallotRecord) -> None:
        recorded.record_ballots(relayer, [ok, south, record])

    with reverts_with("UnknownDistrict", district=3, districtCount=3):
        refused(BallotRecord(5, ok.proof, 3, 0, 1))
    with reverts_with("DistrictBelowMinimum", district=2, memberCount=1, minimumMembers=3):
        refused(BallotRecord(5, ok.proof, 2, 0, 1))
    # Choice 2 exists in district 0 (three options), not in district 1 (two).
    with reverts_with("UnknownChoice", district=1, choice=2, optionCount=2):
        refused(BallotRecord(5, ok.proof, 1, 2, 1))
    with reverts_with("InvalidRecord", index=2, nullifier=ok.nullifier, revision=0):
        refused(BallotRecord(ok.nullifier, ok.proof, 0, 0, 0))
    with reverts_with("InvalidRecord", index=2, nullifier=ok.nullifier + FIELD, revision=1):
        refused(BallotRecord(ok.nullifier + FIELD, ok.proof, 0, 0, 1))
    assert recorded.recorded_batches() == []


def test_malformed_empty_or_oversized_batches_are_refused(
    recorded: ElectionContract, relayer: LocalAccount, prove: Prove
) -> None:
    call = recorded.contract.functions.recordBallots
    one = encode_records([record_of(prove(0, 1))])
    size = len(one)
    with reverts_with("MalformedRecords", length=0, recordBytes=size):
        attempt(recorded, relayer, call(b""))
    with reverts_with("MalformedRecords", length=size + 1, recordBytes=size):
        attempt(recorded, relayer, call(one + b"\x00"))
    maximum = recorded.contract.functions.MAX_RECORDS_PER_BATCH().call()
    with reverts_with("TooManyRecords", count=maximum + 1, maximum=maximum):
        attempt(recorded, relayer, call(one * (maximum + 1)))


def test_records_are_taken_until_the_last_second_of_voting_only(
    w3: Web3,
    recorded: ElectionContract,
    relayer: LocalAccount,
    calendar: Calendar,
    prove: Prove,
) -> None:
    functions = recorded.contract.functions
    first = encode_records([record_of(prove(0, 1))])
    second = encode_records([record_of(prove(3, 0))])
    send_at(
        w3, relayer, functions.recordBallots(first), calendar.voting_end - 1, record_ballots_gas(1)
    )
    end = calendar.voting_end
    with reverts_with("VotingClosed", now=end, start=calendar.voting_start, end=end):
        send_at(w3, relayer, functions.recordBallots(second), end, record_ballots_gas(1))
    assert len(recorded.recorded_batches()) == 1


def test_a_voter_can_always_cast_a_verified_ballot_directly(
    recorded: ElectionContract, outsider: LocalAccount, prove: Prove
) -> None:
    """No relayer needed: the single, verified path stays open in the recorded mode. It keeps
    no per-voter slot either; its revision joins the records' one sequence, which the recount
    orders (a revision 2 is accepted on chain before any revision 1)."""
    second = prove(1, 2, revision=2)
    receipt = second.cast(recorded, outsider)
    [event] = recorded.ballot_events()
    assert (event.nullifier, event.choice, event.revision, event.tx_hash) == (
        second.nullifier,
        2,
        2,
        receipt["transactionHash"],
    )
    assert recorded.ballot_count() == 0
    forged_ballot = prove(1, 0).claiming(proof=prove(0, 1).proof)
    with reverts_with("InvalidProof", nullifier=forged_ballot.nullifier):
        forged_ballot.cast(recorded, outsider)
    zero = prove(1, 0).claiming(revision=0)
    with reverts_with("StaleRevision", nullifier=zero.nullifier, given=0, stored=0):
        zero.cast(recorded, outsider)


def test_each_mode_refuses_the_other_modes_functions(
    recorded: ElectionContract,
    election: ElectionContract,
    organizer: LocalAccount,
    relayer: LocalAccount,
    prove: Prove,
) -> None:
    record = record_of(prove(0, 1))
    with reverts_with("WrongBallotMode", mode=0):
        election.record_ballots(relayer, [record])
    with reverts_with("WrongBallotMode", mode=0):
        election.authorize_relayer(organizer, relayer.address)
    ballot = prove(0, 1)
    batch = recorded.contract.functions.castBallots(
        [
            (
                ballot.district,
                ballot.choice,
                1,
                ballot.merkle_root,
                ballot.nullifier,
                list(ballot.proof),
            )
        ]
    )
    with reverts_with("WrongBallotMode", mode=1):
        call_view(batch)


def test_the_relayers_recorded_calls_post_records_the_contract_takes(
    w3: Web3, recorded: ElectionContract, relayer: LocalAccount, prove: Prove
) -> None:
    """The relayer's own encoding (`veche.relayer.recorded`), sent as the relayer sends it."""
    from veche.relayer.recorded import RecordedBallots, recorded_calls
    from veche.relayer.store import Status, Submission

    ballots = [prove(0, 1), prove(3, 0)]
    submissions = [
        Submission(
            i, recorded.address, b.nullifier, b.district, b.choice, b.revision, b.merkle_root,
            b.proof, Status.QUEUED,
        )
        for i, b in enumerate(ballots)
    ]  # fmt: skip
    calls = recorded_calls(recorded.contract, 500)
    assert calls == RecordedBallots(256)
    tx = w3.eth.send_transaction(
        {
            "from": relayer.address,
            "to": recorded.address,
            "data": calls.calldata(submissions),
            "gas": calls.gas(len(submissions)),
        }
    )
    assert w3.eth.wait_for_transaction_receipt(tx)["status"] == 1
    assert decode_records(last_batch(recorded).records) == [record_of(b) for b in ballots]

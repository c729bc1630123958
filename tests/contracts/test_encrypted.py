"""Encrypted elections on anvil, the parts that need no proof: what the contract records at
deployment, which functions each secrecy refuses, the checks an encrypted ballot passes before
its proof, the encrypted records of the recorded mode, and the publication of the trustees'
partial decryptions (its window, its secrecy, its length).

The election key's hash is a stand-in here (the contract only stores it and names it in its
views); the proofs of encrypted ballots are tested with the encrypted circuit's verifier in
`test_encrypted_proofs.py`.
"""

import pytest
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3 import Web3

from tests.contracts.ballots import Voter
from tests.contracts.conftest import (
    DEFINITION_HASH,
    DISTRICTS,
    deploy_test_election,
    register_test_voters,
)
from tests.contracts.reverts import reverts_with
from tests.contracts.timing import send_at
from veche.chain.anvil import latest_timestamp, mine
from veche.chain.client import send
from veche.chain.deploy import Libraries, deploy_election
from veche.chain.election import (
    BallotInput,
    Calendar,
    DistrictConfig,
    ElectionContract,
    EncryptedBallotInput,
)
from veche.errors import VecheError
from veche.protocol import (
    BallotMode,
    BallotRecord,
    BallotSecrecy,
    EncryptedBallotRecord,
    decode_encrypted_records,
    encode_records,
)
from veche.protocol.records import MalformedRecords
from veche.protocol.spec import CIPHERTEXT_BYTES, ENCRYPTED_RECORD_BYTES, RECORD_BYTES

pytestmark = pytest.mark.chain

KEY_HASH = keccak(b"veche contract test election key")
"""Stands in for keccak256 of an election key's 16 option keys."""

CIPHERTEXT = bytes(range(256)) * 4 + bytes(range(64))
"""1088 bytes in the ciphertext's place (the contract checks no curve point itself: the proof
binds them, and every word must be below the scalar field for the verifier)."""

PROOF = tuple(range(1, 9))

DECRYPTION_BYTES = 128 * sum(d.option_count for d in DISTRICTS)


def deploy_encrypted(
    request: pytest.FixtureRequest, libraries: Libraries, mode: BallotMode
) -> ElectionContract:
    """The fixtures' election (`deploy_test_election`) in `mode`, with encrypted ballots.
    (`libraries` is a fixture argument of every caller, so that the session's libraries are
    deployed before the test's chain snapshot, never inside it.)"""
    settings = ("w3", "deployer", "organizer", "registrar", "calendar")
    w3, *accounts, calendar = [request.getfixturevalue(name) for name in settings]
    return deploy_test_election(
        w3, libraries, *accounts, calendar, mode, election_key_hash=KEY_HASH
    )


@pytest.fixture
def encrypted(request: pytest.FixtureRequest, libraries: Libraries) -> ElectionContract:
    """The fixtures' election with encrypted ballots, before registration opens."""
    return deploy_encrypted(request, libraries, BallotMode.VERIFIED)


@pytest.fixture
def encrypted_voting(
    w3: Web3,
    encrypted: ElectionContract,
    registrar: LocalAccount,
    calendar: Calendar,
    voters: list[Voter],
) -> ElectionContract:
    """The encrypted election with the registers of `voting_election`, at the first second of
    voting."""
    register_test_voters(w3, encrypted, registrar, calendar, voters)
    mine(w3, calendar.voting_start)
    return encrypted


def ballot(election: ElectionContract, district: int = 0, **changes: int) -> EncryptedBallotInput:
    fields = {
        "district": district,
        "revision": 1,
        "merkle_root": election.merkle_root(district),
        "nullifier": 77,
    } | changes
    return EncryptedBallotInput(proof=PROOF, ciphertext=CIPHERTEXT, **fields)


def test_an_encrypted_election_records_its_secrecy_and_key_and_a_plain_one_none(
    encrypted: ElectionContract, election: ElectionContract
) -> None:
    assert encrypted.ballot_secrecy() is BallotSecrecy.ENCRYPTED
    assert encrypted.election_key_hash() == KEY_HASH
    assert encrypted.record_bytes() == ENCRYPTED_RECORD_BYTES == 1381
    assert encrypted.decryption_bytes() == DECRYPTION_BYTES
    assert election.ballot_secrecy() is BallotSecrecy.PLAIN
    assert election.election_key_hash() is None
    assert election.record_bytes() == RECORD_BYTES == 297
    assert election.decryption_bytes() == 0


def test_the_secrecy_needs_a_key_hash_exactly_when_encrypted_and_at_most_16_options(
    w3: Web3, deployer: LocalAccount, libraries: Libraries
) -> None:
    now = latest_timestamp(w3)
    settings = {
        "calendar": Calendar(now + 100, now + 200, now + 300, now + 400, now + 500),
        "definition_hash": DEFINITION_HASH,
        "libraries": libraries,
    }
    with reverts_with("InvalidElectionKeyHash", secrecy=1, electionKeyHash=bytes(32)):
        deploy_election(
            w3,
            deployer,
            districts=DISTRICTS,
            election_key_hash=bytes(32),
            **settings,  # type: ignore[arg-type]
        )
    wide = (DistrictConfig(option_count=16, minimum_members=1),) * 2 + (
        DistrictConfig(option_count=17, minimum_members=1),
    )
    with reverts_with("TooManyEncryptedOptions", district=2, optionCount=17, maximum=16):
        deploy_election(
            w3,
            deployer,
            districts=wide,
            election_key_hash=KEY_HASH,
            **settings,  # type: ignore[arg-type]
        )
    plain = deploy_election(w3, deployer, districts=wide, **settings)  # type: ignore[arg-type]
    assert plain.ballot_secrecy() is BallotSecrecy.PLAIN


def test_an_encrypted_election_refuses_plain_ballots(
    encrypted_voting: ElectionContract, relayer: LocalAccount
) -> None:
    root = encrypted_voting.merkle_root(0)
    with reverts_with("WrongBallotSecrecy", secrecy=1):
        encrypted_voting.cast_ballot(relayer, 0, root, 77, 0, 1, PROOF)
    with reverts_with("WrongBallotSecrecy", secrecy=1):
        encrypted_voting.cast_ballots(relayer, [BallotInput(0, 0, 1, root, 77, PROOF)])


def test_a_plain_election_refuses_encrypted_ballots_and_decryptions(
    w3: Web3, voting_election: ElectionContract, relayer: LocalAccount, calendar: Calendar
) -> None:
    with reverts_with("WrongBallotSecrecy", secrecy=0):
        voting_election.cast_encrypted_ballot(relayer, ballot(voting_election))
    with reverts_with("WrongBallotSecrecy", secrecy=0):
        voting_election.cast_encrypted_ballots(relayer, [ballot(voting_election)])
    mine(w3, calendar.voting_end)
    with reverts_with("WrongBallotSecrecy", secrecy=0):
        voting_election.publish_decryption(relayer, 1, bytes(DECRYPTION_BYTES))


def test_an_encrypted_ballot_is_checked_for_window_district_root_and_revision_before_its_proof(
    w3: Web3, encrypted_voting: ElectionContract, relayer: LocalAccount, calendar: Calendar
) -> None:
    election = encrypted_voting
    root = election.merkle_root(0)
    with reverts_with("UnknownDistrict", district=3, districtCount=3):
        election.cast_encrypted_ballot(relayer, ballot(election, district=3, merkle_root=root))
    with reverts_with("DistrictBelowMinimum", district=2, memberCount=1, minimumMembers=3):
        election.cast_encrypted_ballot(relayer, ballot(election, district=2))
    with reverts_with("RootMismatch", district=0, given=root + 1, expected=root):
        election.cast_encrypted_ballot(relayer, ballot(election, merkle_root=root + 1))
    with reverts_with("StaleRevision", nullifier=77, given=0, stored=0):
        election.cast_encrypted_ballot(relayer, ballot(election, revision=0))
    with reverts_with("RevisionGap", nullifier=77, given=2, expected=1):
        election.cast_encrypted_ballot(relayer, ballot(election, revision=2))
    with reverts_with("RevisionGap", nullifier=77, given=2, expected=1):
        election.cast_encrypted_ballots(relayer, [ballot(election, revision=2)])
    # In a batch a stale ballot is skipped, as a plain one is: nothing recorded, nothing checked.
    election.cast_encrypted_ballots(relayer, [ballot(election, revision=0)])
    assert election.encrypted_ballot_events() == [] and election.ballot_count() == 0
    window = {"start": calendar.voting_start, "end": calendar.voting_end}
    cast = election.contract.functions.castEncryptedBallot(ballot(election).as_tuple())
    with reverts_with("VotingClosed", now=calendar.voting_end, **window):
        send_at(w3, relayer, cast, calendar.voting_end)


def test_the_client_sends_no_batch_of_encrypted_ballots_over_one_transactions_gas(
    encrypted_voting: ElectionContract, relayer: LocalAccount
) -> None:
    too_many = [ballot(encrypted_voting, nullifier=n) for n in range(1, 114)]
    with pytest.raises(VecheError, match="send at most 112 a batch"):
        encrypted_voting.cast_encrypted_ballots(relayer, too_many)


def test_partial_decryptions_are_published_from_voting_end_until_the_result(
    w3: Web3,
    encrypted_voting: ElectionContract,
    organizer: LocalAccount,
    outsider: LocalAccount,
    calendar: Calendar,
) -> None:
    election = encrypted_voting
    data = bytes(range(256)) * (DECRYPTION_BYTES // 256)
    publish = election.contract.functions.publishDecryption
    closed = {"votingEnd": calendar.voting_end, "resultHash": bytes(32)}
    with reverts_with("DecryptionClosed", now=calendar.voting_end - 1, **closed):
        send_at(w3, outsider, publish(1, data), calendar.voting_end - 1)
    receipt = send_at(w3, outsider, publish(2, data), calendar.voting_end)
    mine(w3, calendar.appeals_end)
    election.publish_decryption(organizer, 1, data)
    published = election.decryptions()
    assert [(d.trustee, d.sender, d.data) for d in published] == [
        (2, outsider.address, data),
        (1, organizer.address, data),
    ]
    assert published[0].block_number == receipt["blockNumber"]
    election.publish_result(organizer, keccak(b"result"))
    later = latest_timestamp(w3) + 10
    published_result = {"votingEnd": calendar.voting_end, "resultHash": keccak(b"result")}
    with reverts_with("DecryptionClosed", now=later, **published_result):
        send_at(w3, outsider, publish(3, data), later)


def test_partial_decryptions_must_name_a_trustee_and_cover_every_option(
    w3: Web3, encrypted_voting: ElectionContract, outsider: LocalAccount, calendar: Calendar
) -> None:
    mine(w3, calendar.voting_end)
    with reverts_with("InvalidTrustee", trustee=0):
        encrypted_voting.publish_decryption(outsider, 0, bytes(DECRYPTION_BYTES))
    for length in (0, DECRYPTION_BYTES - 128, DECRYPTION_BYTES - 1, DECRYPTION_BYTES + 128):
        with reverts_with("MalformedDecryption", length=length, expected=DECRYPTION_BYTES):
            encrypted_voting.publish_decryption(outsider, 1, bytes(length))
    assert encrypted_voting.decryptions() == []


@pytest.fixture
def encrypted_recorded(
    request: pytest.FixtureRequest, libraries: Libraries, relayer: LocalAccount
) -> ElectionContract:
    """A recorded-mode encrypted election with the registers of `encrypted_voting`, `relayer`
    authorised, at the first second of voting."""
    get = request.getfixturevalue
    election = deploy_encrypted(request, libraries, BallotMode.RECORDED)
    register_test_voters(get("w3"), election, get("registrar"), get("calendar"), get("voters"))
    election.authorize_relayer(get("organizer"), relayer.address)
    mine(get("w3"), get("calendar").voting_start)
    return election


def record(district: int = 0, revision: int = 1, nullifier: int = 77) -> EncryptedBallotRecord:
    return EncryptedBallotRecord(nullifier, PROOF, district, revision, CIPHERTEXT)


def test_encrypted_records_are_recorded_and_read_back_from_the_logs(
    encrypted_recorded: ElectionContract, relayer: LocalAccount
) -> None:
    records = [record(0, 1, 77), record(1, 3, 78)]
    encrypted_recorded.record_ballots(relayer, records)
    (batch,) = encrypted_recorded.recorded_batches()
    assert len(batch.records) == 2 * ENCRYPTED_RECORD_BYTES
    assert decode_encrypted_records(batch.records) == records


def test_encrypted_records_are_checked_for_length_district_nullifier_and_revision(
    encrypted_recorded: ElectionContract, relayer: LocalAccount
) -> None:
    election = encrypted_recorded
    plain = encode_records([BallotRecord(77, PROOF, 0, 0, 1)])
    call = election.contract.functions.recordBallots
    with reverts_with("MalformedRecords", length=RECORD_BYTES, recordBytes=ENCRYPTED_RECORD_BYTES):
        send(election.w3, relayer, call(plain), gas=1_000_000)
    with reverts_with(
        "MalformedRecords", length=ENCRYPTED_RECORD_BYTES - 1, recordBytes=ENCRYPTED_RECORD_BYTES
    ):
        send(election.w3, relayer, call(encode_records([record()])[:-1]), gas=1_000_000)
    with reverts_with("UnknownDistrict", district=3, districtCount=3):
        election.record_ballots(relayer, [record(district=3)])
    with reverts_with("InvalidRecord", index=1, nullifier=78, revision=0):
        election.record_ballots(relayer, [record(), record(revision=0, nullifier=78)])


def test_record_decoding_refuses_lengths_that_are_not_whole_records() -> None:
    data = encode_records([record(), record()])
    for cut in (b"", data[:-1], data + bytes(1), data[:RECORD_BYTES]):
        with pytest.raises(MalformedRecords):
            decode_encrypted_records(cut)
    with pytest.raises(MalformedRecords):
        encode_records([EncryptedBallotRecord(1, PROOF, 0, 1, CIPHERTEXT[:-1])])
    assert len(CIPHERTEXT) == CIPHERTEXT_BYTES

"""Attacks with ballots and proofs, each refused by two independent layers: the contract, and
the reference model that the relayer runs before paying and the recount runs after the fact.

Every proof is made by the real prover with the committed dev keys; the contract is the real
one on anvil with the real snarkjs verifier.
"""

import json

import pytest
from eth_account.signers.local import LocalAccount

from tests.adversarial.catalogue import CONTRACT, MODEL, attack
from tests.adversarial.chain.layers import model_verdict
from tests.contracts.ballots import Ballot, Voter, make_ballot
from tests.contracts.reverts import reverts_with
from tests.contracts.timing import send_at
from veche.chain.election import BallotInput, ElectionContract
from veche.crypto.field import BN254_BASE_FIELD, SNARK_SCALAR_FIELD
from veche.crypto.groth16 import Proof
from veche.crypto.hashing import message_signal, scope_signal
from veche.crypto.identity import Identity
from veche.crypto.imt import LeanIMT
from veche.crypto.prover import Prover
from veche.model import Rejection

from ..catalogue import REPO_ROOT

pytestmark = [pytest.mark.chain, pytest.mark.slow]

BOTH = (MODEL, CONTRACT)


@pytest.fixture
def voter(voters: list[Voter]) -> Voter:
    """A voter of district 0 (three lists)."""
    return voters[1]


@pytest.fixture
def ballot(prover: Prover, voting_election: ElectionContract, voter: Voter) -> Ballot:
    """The voter's honest first ballot: list 2, revision 1."""
    return make_ballot(prover, voting_election, voter, district=0, choice=2, revision=1)


def _prove(
    prover: Prover, register: LeanIMT, identity: Identity, scope: int, district: int = 0
) -> Ballot:
    """A ballot for list 0, revision 1, proven against any register and scope."""
    path = register.proof_of(identity.commitment)
    result = prover.prove(
        {
            "secret": identity.secret_scalar,
            "merkleProofLength": path.length,
            "merkleProofIndex": path.index,
            "merkleProofSiblings": path.padded_siblings(),
            "message": message_signal(0, 1, district),
            "scope": scope_signal(scope),
        }
    )
    root, nullifier = (int(s) for s in result["publicSignals"][:2])
    packed = tuple(Proof.from_snarkjs(result["proof"]).packed())
    return Ballot(district, root, nullifier, 0, 1, packed)


def _call(election: ElectionContract, ballot: Ballot):  # type: ignore[no-untyped-def]
    return election.contract.functions.castBallot(
        ballot.district, ballot.merkle_root, ballot.nullifier, ballot.choice, ballot.revision,
        list(ballot.proof),
    )  # fmt: skip


def _refused_everywhere(
    election: ElectionContract, sender: LocalAccount, forged: Ballot, rejection: Rejection,
    error: str, **values: object,
) -> None:  # fmt: skip
    assert model_verdict(election, forged) == rejection
    counted = election.ballot_count()
    with reverts_with(error, **values):
        forged.cast(election, sender)
    assert election.ballot_count() == counted


@attack(
    "proofs",
    "A forged proof: the honest proof's points rearranged",
    *BOTH,
    refusal="InvalidProof(nullifier); model INVALID_PROOF",
)
def test_forged_proof(voting_election, relayer, ballot) -> None:
    p = ballot.proof
    forged = ballot.claiming(proof=(*p[6:8], *p[2:6], *p[0:2]))
    _refused_everywhere(
        voting_election, relayer, forged, Rejection.INVALID_PROOF, "InvalidProof",
        nullifier=ballot.nullifier,
    )  # fmt: skip


@attack(
    "proofs",
    "A malleated proof (A and B negated: still a valid proof) sent after the honest ballot",
    *BOTH,
    refusal="StaleRevision(nullifier, 1, 1): malleability cannot add a vote or change one",
)
def test_malleated_proof(voting_election, relayer, ballot) -> None:
    a_x, a_y, bx_im, bx_re, by_im, by_re, c_x, c_y = ballot.proof
    p = BN254_BASE_FIELD
    malleated = ballot.claiming(proof=(a_x, p - a_y, bx_im, bx_re, p - by_im, p - by_re, c_x, c_y))
    assert malleated.proof != ballot.proof
    assert model_verdict(voting_election, malleated) is None  # it is a valid proof...
    ballot.cast(voting_election, relayer)
    _refused_everywhere(  # ...of the very same vote, which is already counted
        voting_election, relayer, malleated, Rejection.STALE_REVISION, "StaleRevision",
        nullifier=ballot.nullifier, given=1, stored=1,
    )  # fmt: skip


@attack(
    "proofs",
    "A non-member proves membership of a register of their own making",
    *BOTH,
    refusal="RootMismatch(district, given, expected); model ROOT_MISMATCH",
)
def test_non_member_proof(prover, voting_election, relayer, voters) -> None:
    outsider = Identity.generate()
    made_up = LeanIMT([voters[0].commitment, voters[1].commitment, outsider.commitment])
    forged = _prove(prover, made_up, outsider, voting_election.scope())
    _refused_everywhere(
        voting_election, relayer, forged, Rejection.ROOT_MISMATCH, "RootMismatch",
        district=0, given=made_up.root, expected=voting_election.merkle_root(0),
    )  # fmt: skip


@attack(
    "proofs",
    "A proof made for another scope (another election, or a copy of this one on another chain)",
    *BOTH,
    refusal="InvalidProof(nullifier): the contract supplies its own scope signal",
)
def test_wrong_scope(prover, voting_election, relayer, voters, voter) -> None:
    register = LeanIMT(e.commitment for e in voting_election.member_events(district=0))
    forged = _prove(prover, register, voter.identity, voting_election.scope() + 1)
    _refused_everywhere(
        voting_election, relayer, forged, Rejection.INVALID_PROOF, "InvalidProof",
        nullifier=forged.nullifier,
    )  # fmt: skip


@attack(
    "proofs",
    "A proof against an earlier root of the register (before its last members joined)",
    *BOTH,
    refusal="RootMismatch(district, given, expected): only the frozen root counts",
)
def test_wrong_root(prover, voting_election, relayer, voters, voter) -> None:
    earlier = LeanIMT([voters[0].commitment, voters[1].commitment])
    forged = _prove(prover, earlier, voter.identity, voting_election.scope())
    _refused_everywhere(
        voting_election, relayer, forged, Rejection.ROOT_MISMATCH, "RootMismatch",
        district=0, given=earlier.root, expected=voting_election.merkle_root(0),
    )  # fmt: skip


@attack(
    "proofs",
    "A proof whose B point is on the twist but outside the order-r subgroup",
    *BOTH,
    refusal="InvalidProof(nullifier) (the pairing precompile refuses the point); model "
    "INVALID_PROOF (MCL's subgroup check)",
)
def test_subgroup_point(voting_election, relayer, ballot) -> None:
    vectors = json.loads((REPO_ROOT / "tests" / "vectors" / "proofs.json").read_text())
    (case,) = [c for c in vectors["cases"] if c["name"] == "invalid_b_not_in_subgroup"]
    outside = [int(v) for v in case["packed"][2:6]]
    forged = ballot.claiming(proof=(*ballot.proof[:2], *outside, *ballot.proof[6:]))
    _refused_everywhere(
        voting_election, relayer, forged, Rejection.INVALID_PROOF, "InvalidProof",
        nullifier=ballot.nullifier,
    )  # fmt: skip


@attack(
    "proofs",
    "Field aliasing on chain: the counted ballot again with nullifier + r (a second vote if "
    "anything reduced it)",
    *BOTH,
    refusal="InvalidProof(nullifier + r); model INVALID_PROOF",
)
def test_aliased_nullifier(voting_election, relayer, ballot) -> None:
    ballot.cast(voting_election, relayer)
    aliased = ballot.claiming(nullifier=ballot.nullifier + SNARK_SCALAR_FIELD)
    _refused_everywhere(
        voting_election, relayer, aliased, Rejection.INVALID_PROOF, "InvalidProof",
        nullifier=aliased.nullifier,
    )  # fmt: skip


@attack(
    "ballots",
    "Replay: the counted ballot sent again, byte for byte",
    *BOTH,
    refusal="StaleRevision(nullifier, 1, 1); model STALE_REVISION",
)
def test_replay(voting_election, relayer, ballot) -> None:
    ballot.cast(voting_election, relayer)
    _refused_everywhere(
        voting_election, relayer, ballot, Rejection.STALE_REVISION, "StaleRevision",
        nullifier=ballot.nullifier, given=1, stored=1,
    )  # fmt: skip


@attack(
    "ballots",
    "Revision abuse: replaying an earlier ballot after a re-vote, to undo it",
    *BOTH,
    refusal="StaleRevision(nullifier, 1, 2); model STALE_REVISION",
)
def test_replay_of_a_superseded_ballot(prover, voting_election, relayer, voter, ballot) -> None:
    ballot.cast(voting_election, relayer)
    make_ballot(prover, voting_election, voter, 0, 0, 2).cast(voting_election, relayer)
    _refused_everywhere(
        voting_election, relayer, ballot, Rejection.STALE_REVISION, "StaleRevision",
        nullifier=ballot.nullifier, given=1, stored=2,
    )  # fmt: skip
    assert voting_election.ballot_of(ballot.nullifier).choice == 0


@attack(
    "ballots",
    "The voter's proof presented for another choice (a relayer or coercer switching the vote)",
    *BOTH,
    refusal="InvalidProof(nullifier): the choice is in the proven message",
)
def test_choice_switched(voting_election, relayer, ballot) -> None:
    _refused_everywhere(
        voting_election, relayer, ballot.claiming(choice=0), Rejection.INVALID_PROOF,
        "InvalidProof", nullifier=ballot.nullifier,
    )  # fmt: skip


@attack(
    "ballots",
    "Cross-district: a district-0 ballot counted in district 1 with district 1's root",
    *BOTH,
    refusal="InvalidProof(nullifier): the district is in the proven message and the root",
)
def test_cross_district(voting_election, relayer, ballot) -> None:
    moved = ballot.claiming(district=1, merkle_root=voting_election.merkle_root(1), choice=1)
    _refused_everywhere(
        voting_election, relayer, moved, Rejection.INVALID_PROOF, "InvalidProof",
        nullifier=ballot.nullifier,
    )  # fmt: skip


@attack(
    "ballots",
    "A ballot in a district below its minimum (its few voters would be exposed)",
    *BOTH,
    refusal="DistrictBelowMinimum(2, 1, 3); model DISTRICT_BELOW_MINIMUM",
)
def test_district_below_minimum(voting_election, relayer, ballot) -> None:
    moved = ballot.claiming(district=2, merkle_root=voting_election.merkle_root(2), choice=0)
    _refused_everywhere(
        voting_election, relayer, moved, Rejection.DISTRICT_BELOW_MINIMUM,
        "DistrictBelowMinimum", district=2, memberCount=1, minimumMembers=3,
    )  # fmt: skip


@attack(
    "ballots",
    "Window edge: a valid ballot in the very second voting closes",
    *BOTH,
    refusal="VotingClosed(now=end, start, end); model VOTING_CLOSED (windows are [start, end))",
)
def test_ballot_at_the_closing_second(w3, voting_election, relayer, calendar, ballot) -> None:
    assert model_verdict(voting_election, ballot, cast_at=calendar.voting_end - 1) is None
    assert model_verdict(voting_election, ballot, cast_at=calendar.voting_end) == (
        Rejection.VOTING_CLOSED
    )
    with reverts_with(
        "VotingClosed", now=calendar.voting_end, start=calendar.voting_start,
        end=calendar.voting_end,
    ):  # fmt: skip
        send_at(w3, relayer, _call(voting_election, ballot), calendar.voting_end)
    assert voting_election.ballot_count() == 0


@attack(
    "ballots",
    "Window edge: a ballot the second before voting opens",
    *BOTH,
    refusal="VotingClosed(now=start - 1, start, end); model VOTING_CLOSED",
)
def test_ballot_before_the_opening_second(
    w3, registered_election, relayer, calendar, voter, prover
) -> None:
    early = make_ballot(prover, registered_election, voter, district=0, choice=1, revision=1)
    before = calendar.voting_start - 1
    assert model_verdict(registered_election, early, cast_at=before) == Rejection.VOTING_CLOSED
    with reverts_with(
        "VotingClosed", now=before, start=calendar.voting_start, end=calendar.voting_end
    ):
        send_at(w3, relayer, _call(registered_election, early), before)
    assert registered_election.ballot_count() == 0


@attack(
    "ballots",
    "Revision lock: a first ballot with the highest revision (2^32 - 1), which nothing could "
    "follow, so that a coercer holding the secret takes the voter's re-vote away",
    *BOTH,
    refusal="RevisionGap(nullifier, 4294967295, 1); model REVISION_GAP",
)
def test_revision_lock(prover, voting_election, relayer, voter) -> None:
    locking = make_ballot(prover, voting_election, voter, district=0, choice=0, revision=2**32 - 1)
    _refused_everywhere(
        voting_election, relayer, locking, Rejection.REVISION_GAP, "RevisionGap",
        nullifier=locking.nullifier, given=2**32 - 1, expected=1,
    )  # fmt: skip


@attack(
    "ballots",
    "Mixed elections in one batch: a voter's ballot proven for another election (another "
    "scope) slipped between this election's ballots",
    *BOTH,
    refusal="InvalidProofInBatch(1, nullifier): the contract supplies its own scope; model "
    "INVALID_PROOF",
)
def test_ballot_of_another_election_in_a_batch(
    prover, voting_election, relayer, voters, ballot
) -> None:
    register = LeanIMT(e.commitment for e in voting_election.member_events(district=0))
    foreign = _prove(prover, register, voters[0].identity, voting_election.scope() + 1)
    assert model_verdict(voting_election, foreign) == Rejection.INVALID_PROOF
    batch = [
        BallotInput(b.district, b.choice, b.revision, b.merkle_root, b.nullifier, b.proof)
        for b in (ballot, foreign)
    ]
    with reverts_with("InvalidProofInBatch", index=1, nullifier=foreign.nullifier):
        voting_election.cast_ballots(relayer, batch)
    assert voting_election.ballot_count() == 0

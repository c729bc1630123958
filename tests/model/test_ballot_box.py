"""The reference ballot box, with real proofs: what counts, what replaces, what is refused."""

import pytest

from veche.crypto.identity import Identity
from veche.crypto.imt import LeanIMT
from veche.model import BallotBox, Rejection, Tally, next_revision, revision_rejection

from .conftest import CALENDAR, OTHER_SCOPE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ballots(tiny, prover):
    alice, bob = tiny.voters[0], tiny.voters[1]
    return {
        "alice_1": tiny.ballot(prover, alice, choice=1, revision=1),
        "alice_2": tiny.ballot(prover, alice, choice=2, revision=2),
        "bob_1": tiny.ballot(prover, bob, choice=0, revision=1),
    }


def test_valid_ballot_is_counted(tiny, proof_ok, ballots) -> None:
    box = BallotBox(tiny.rules, proof_ok)
    assert box.cast(ballots["alice_1"]).accepted
    assert box.tallies() == [Tally((0, 1, 0))]


def test_second_ballot_replaces_first(tiny, proof_ok, ballots) -> None:
    box = BallotBox(tiny.rules, proof_ok)
    box.cast(ballots["alice_1"])
    outcome = box.cast(ballots["alice_2"])
    assert outcome.accepted and outcome.replaced == ballots["alice_1"]
    assert box.tallies() == [Tally((0, 0, 1))]
    assert (len(box.current), len(box.superseded), box.seen) == (1, 1, 2)


def test_replayed_earlier_ballot_is_refused(tiny, proof_ok, ballots) -> None:
    box = BallotBox(tiny.rules, proof_ok)
    box.cast(ballots["alice_1"])
    box.cast(ballots["alice_2"])
    assert box.cast(ballots["alice_1"]).rejection == Rejection.STALE_REVISION
    assert box.tallies() == [Tally((0, 0, 1))]


def test_double_vote_at_same_revision_never_adds_a_vote(tiny, proof_ok, ballots, prover) -> None:
    box = BallotBox(tiny.rules, proof_ok)
    box.cast(ballots["alice_1"])
    again = tiny.ballot(prover, tiny.voters[0], choice=0, revision=1)
    assert box.cast(again).rejection == Rejection.STALE_REVISION
    assert box.tallies()[0].total == 1


def test_ballots_of_two_voters_both_count(tiny, proof_ok, ballots) -> None:
    box = BallotBox(tiny.rules, proof_ok)
    box.cast(ballots["alice_1"])
    box.cast(ballots["bob_1"])
    assert box.tallies() == [Tally((1, 1, 0))]


@pytest.mark.parametrize(
    ("cast_at", "counted"),
    [
        (CALENDAR.voting_start - 1, False),
        (CALENDAR.voting_start, True),
        (CALENDAR.voting_end - 1, True),
        (CALENDAR.voting_end, False),
    ],
)
def test_ballot_outside_voting_window_is_rejected(tiny, proof_ok, ballots, cast_at, counted):
    from dataclasses import replace

    box = BallotBox(tiny.rules, proof_ok)
    outcome = box.cast(replace(ballots["alice_1"], cast_at=cast_at))
    assert outcome.accepted == counted
    if not counted:
        assert outcome.rejection == Rejection.VOTING_CLOSED


def test_unknown_choice_is_rejected(tiny, proof_ok, prover) -> None:
    ballot = tiny.ballot(prover, tiny.voters[2], choice=3, revision=1)
    assert BallotBox(tiny.rules, proof_ok).cast(ballot).rejection == Rejection.UNKNOWN_CHOICE


def test_non_member_proof_is_rejected(tiny, proof_ok, prover) -> None:
    outsider = Identity.from_private_key(b"\x99" * 32)
    made_up = LeanIMT()
    made_up.insert_many([*tiny.register.leaves[:2], outsider.commitment])
    ballot = tiny.ballot(prover, outsider, choice=0, revision=1, register=made_up)
    assert BallotBox(tiny.rules, proof_ok).cast(ballot).rejection == Rejection.ROOT_MISMATCH


def test_proof_for_another_election_is_rejected(tiny, proof_ok, prover) -> None:
    ballot = tiny.ballot(prover, tiny.voters[3], choice=0, revision=1, scope=OTHER_SCOPE)
    assert BallotBox(tiny.rules, proof_ok).cast(ballot).rejection == Rejection.INVALID_PROOF


def test_choice_changed_after_proving_is_rejected(tiny, proof_ok, ballots) -> None:
    from dataclasses import replace

    forged = replace(ballots["bob_1"], choice=2)
    assert BallotBox(tiny.rules, proof_ok).cast(forged).rejection == Rejection.INVALID_PROOF


def test_forged_proof_is_rejected(tiny, proof_ok, ballots) -> None:
    from dataclasses import replace

    proof = list(ballots["bob_1"].proof)
    proof[6], proof[7] = proof[0], proof[1]
    forged = replace(ballots["bob_1"], proof=tuple(proof))
    assert BallotBox(tiny.rules, proof_ok).cast(forged).rejection == Rejection.INVALID_PROOF


def test_rejections_are_counted_by_reason(tiny, proof_ok, ballots) -> None:
    from dataclasses import replace

    box = BallotBox(tiny.rules, proof_ok)
    box.cast(replace(ballots["alice_1"], cast_at=0))
    box.cast(replace(ballots["bob_1"], choice=2))
    assert box.rejection_counts() == {"voting_closed": 1, "invalid_proof": 1}
    assert box.tallies()[0].total == 0


def test_a_ballot_that_skips_a_revision_is_refused(tiny, proof_ok, ballots, prover) -> None:
    """Issue 12 item 1: a coercer holding the voter's secret sends the highest revision; if it
    counted, nothing could ever follow it and the voter would have lost the re-vote."""
    box = BallotBox(tiny.rules, proof_ok)
    box.cast(ballots["alice_1"])
    locking = tiny.ballot(prover, tiny.voters[0], choice=0, revision=2**32 - 1)
    assert box.cast(locking).rejection == Rejection.REVISION_GAP
    assert box.cast(ballots["alice_2"]).accepted  # the voter can still follow
    assert box.tallies() == [Tally((0, 0, 1))]


def test_a_first_ballot_must_carry_revision_one(tiny, proof_ok, prover) -> None:
    box = BallotBox(tiny.rules, proof_ok)
    second = tiny.ballot(prover, tiny.voters[1], choice=0, revision=2)
    assert box.cast(second).rejection == Rejection.REVISION_GAP
    assert box.tallies()[0].total == 0


@pytest.mark.parametrize(
    ("revision", "stored", "expected"),
    [
        (1, 0, None),
        (5, 4, None),
        (0, 0, Rejection.STALE_REVISION),
        (4, 4, Rejection.STALE_REVISION),
        (3, 4, Rejection.STALE_REVISION),
        (2, 0, Rejection.REVISION_GAP),
        (2**32 - 1, 1, Rejection.REVISION_GAP),
    ],
)
def test_only_the_next_revision_can_follow(revision, stored, expected) -> None:
    assert revision_rejection(revision, stored) == expected
    assert (revision_rejection(next_revision(stored), stored) is None) is True

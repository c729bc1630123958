"""Appeals and the result: the organizer excludes or restores a district's ballots during the
appeals period, with reasons and evidence anyone can read, and publishes the result hash once.

Window boundaries are in `test_phases.py`; here every other guard, with its exact error.
"""

import pytest
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3 import Web3

from tests.contracts.reverts import reverts_with
from tests.contracts.timing import send_at
from veche.chain.anvil import mine
from veche.chain.election import Calendar, ElectionContract, ExclusionChange

pytestmark = pytest.mark.chain

EVIDENCE = keccak(b"photos of the ballot box in district 1")
RESULT = keccak(b"result record")


def test_the_organizer_excludes_and_restores_a_district_and_every_step_is_logged(
    appeals_election: ElectionContract, organizer: LocalAccount
) -> None:
    excluded = appeals_election.exclude_district(organizer, 1, "ballot stuffing", EVIDENCE)
    assert appeals_election.is_excluded(1)
    assert appeals_election.district(1).excluded
    assert not appeals_election.is_excluded(0)

    restored = appeals_election.restore_district(organizer, 1, "evidence was forged")
    assert not appeals_election.is_excluded(1)
    appeals_election.exclude_district(organizer, 1, "second look", EVIDENCE)

    changes = appeals_election.exclusion_events()
    assert [(c.district, c.excluded, c.reason, c.evidence_hash) for c in changes] == [
        (1, True, "ballot stuffing", EVIDENCE),
        (1, False, "evidence was forged", None),
        (1, True, "second look", EVIDENCE),
    ]
    assert changes[0] == ExclusionChange(
        district=1,
        excluded=True,
        reason="ballot stuffing",
        evidence_hash=EVIDENCE,
        block_number=excluded["blockNumber"],
        tx_hash=excluded["transactionHash"],
        log_index=changes[0].log_index,
    )
    assert changes[1].tx_hash == restored["transactionHash"]
    assert appeals_election.is_excluded(1)


def test_reasons_survive_any_text(
    appeals_election: ElectionContract, organizer: LocalAccount
) -> None:
    reason = "Вброс бюллетеней — участок №7, 2027-01-22 🗳 " * 10  # noqa: RUF001 (Russian on purpose)
    appeals_election.exclude_district(organizer, 0, reason, EVIDENCE)
    (change,) = appeals_election.exclusion_events()
    assert change.reason == reason


def test_only_the_organizer_may_exclude_or_restore(
    appeals_election: ElectionContract,
    organizer: LocalAccount,
    deployer: LocalAccount,
    outsider: LocalAccount,
) -> None:
    with reverts_with("NotOrganizer", caller=outsider.address):
        appeals_election.exclude_district(outsider, 1, "fraud", EVIDENCE)
    with reverts_with("NotOrganizer", caller=deployer.address):
        appeals_election.exclude_district(deployer, 1, "fraud", EVIDENCE)
    appeals_election.exclude_district(organizer, 1, "fraud", EVIDENCE)
    with reverts_with("NotOrganizer", caller=outsider.address):
        appeals_election.restore_district(outsider, 1, "no fraud")
    assert appeals_election.is_excluded(1)


def test_exclusion_mistakes_are_refused_with_their_values(
    appeals_election: ElectionContract, organizer: LocalAccount
) -> None:
    with reverts_with("UnknownDistrict", district=3, districtCount=3):
        appeals_election.exclude_district(organizer, 3, "fraud", EVIDENCE)
    with reverts_with("EmptyReason"):
        appeals_election.exclude_district(organizer, 1, "", EVIDENCE)
    with reverts_with("MissingEvidence", district=1):
        appeals_election.exclude_district(organizer, 1, "fraud", bytes(32))
    with reverts_with("DistrictNotExcluded", district=1):
        appeals_election.restore_district(organizer, 1, "never excluded")
    appeals_election.exclude_district(organizer, 1, "fraud", EVIDENCE)
    with reverts_with("DistrictAlreadyExcluded", district=1):
        appeals_election.exclude_district(organizer, 1, "fraud again", EVIDENCE)
    with reverts_with("EmptyReason"):
        appeals_election.restore_district(organizer, 1, "")
    with reverts_with("UnknownDistrict", district=7, districtCount=3):
        appeals_election.restore_district(organizer, 7, "no such district")
    assert len(appeals_election.exclusion_events()) == 1


def test_no_exclusion_before_voting_is_over(
    w3: Web3, voting_election: ElectionContract, organizer: LocalAccount, calendar: Calendar
) -> None:
    """Excluding a district while its voters still vote would tell them their vote is lost."""
    call = voting_election.contract.functions.excludeDistrict(1, "fraud", EVIDENCE)
    moment = calendar.voting_start + 10
    with reverts_with(
        "AppealsClosed", now=moment, start=calendar.voting_end, end=calendar.appeals_end
    ):
        send_at(w3, organizer, call, moment)


# --- the result -------------------------------------------------------------------------------


@pytest.fixture
def final_election(
    w3: Web3, appeals_election: ElectionContract, calendar: Calendar
) -> ElectionContract:
    """The election at the first second of the final phase."""
    mine(w3, calendar.appeals_end)
    return appeals_election


def test_the_result_hash_is_published_once_and_logged(
    final_election: ElectionContract, organizer: LocalAccount
) -> None:
    receipt = final_election.publish_result(organizer, RESULT)
    assert final_election.result_hash() == RESULT
    (event,) = final_election.result_events()
    assert (event.result_hash, event.tx_hash) == (RESULT, receipt["transactionHash"])

    with reverts_with("ResultAlreadyPublished", published=RESULT):
        final_election.publish_result(organizer, keccak(b"another result"))
    assert final_election.result_hash() == RESULT


def test_only_the_organizer_publishes_the_result(
    final_election: ElectionContract, deployer: LocalAccount, outsider: LocalAccount
) -> None:
    for caller in (outsider, deployer):
        with reverts_with("NotOrganizer", caller=caller.address):
            final_election.publish_result(caller, RESULT)
    assert final_election.result_hash() is None


def test_an_empty_result_hash_is_refused(
    final_election: ElectionContract, organizer: LocalAccount
) -> None:
    with reverts_with("MissingResultHash"):
        final_election.publish_result(organizer, bytes(32))
    assert final_election.result_events() == []


def test_the_result_cannot_be_published_during_appeals(
    w3: Web3, appeals_election: ElectionContract, organizer: LocalAccount, calendar: Calendar
) -> None:
    call = appeals_election.contract.functions.publishResult(RESULT)
    moment = calendar.voting_end + 10
    with reverts_with("ResultNotYetAllowed", now=moment, appealsEnd=calendar.appeals_end):
        send_at(w3, organizer, call, moment)


def test_exclusions_are_final_once_the_result_phase_begins(
    w3: Web3, final_election: ElectionContract, organizer: LocalAccount, calendar: Calendar
) -> None:
    call = final_election.contract.functions.excludeDistrict(0, "too late", EVIDENCE)
    moment = calendar.appeals_end + 10
    with reverts_with(
        "AppealsClosed", now=moment, start=calendar.voting_end, end=calendar.appeals_end
    ):
        send_at(w3, organizer, call, moment)

"""The relayer over real HTTP, on a real chain, with real proofs: what voters and attackers see.

Tests run in any order: what a test needs on chain comes from a module fixture (`included`: one
North voter's ballot; `revoted`: another North voter's two ballots), and the test that closes
voting rolls the chain back afterwards.
"""

from pathlib import Path

import httpx
import pytest

from veche.chain.anvil import revert_to, snapshot
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.identity import Identity
from veche.crypto.imt import LeanIMT
from veche.voter import PublicState, prepare_ballots, wait_for_inclusion

pytestmark = [pytest.mark.chain, pytest.mark.slow]


def post(relayer, body) -> httpx.Response:
    return httpx.post(f"{relayer.url}/ballots", json=body, timeout=60)


def status(relayer, world, nullifier) -> httpx.Response:
    return httpx.get(
        f"{relayer.url}/ballots/{nullifier}", params={"election": world.election.address}
    )


@pytest.fixture(scope="module")
def first(world, prover):
    """A North voter's ballot for list 1 (revision 1), not sent yet."""
    (body,) = prepare_ballots(world.election, [(world.voters["north"][0], 1)], prover)
    return body


@pytest.fixture(scope="module")
def included(relayer, first):
    """`first` sent, accepted, and included: (the relayer's answer to the POST, the receipt)."""
    response = post(relayer, first)
    assert response.status_code == 202, response.text
    with httpx.Client() as client:
        return response.json(), wait_for_inclusion(client, relayer.url, response.json())


@pytest.fixture(scope="module")
def revoted(world, relayer, prover):
    """Another North voter votes for list 0, then changes to list 2: (first body, second
    body), both included."""
    voter = world.voters["north"][1]
    bodies = []
    with httpx.Client() as client:
        for choice in (0, 2):
            (body,) = prepare_ballots(world.election, [(voter, choice)], prover)
            wait_for_inclusion(client, relayer.url, post(relayer, body).json())
            bodies.append(body)
    return bodies


def test_openapi_is_served(relayer) -> None:
    spec = httpx.get(f"{relayer.url}/openapi.json").json()
    assert "/ballots" in spec["paths"] and "/ballots/{nullifier}" in spec["paths"]


def test_valid_ballot_is_accepted_then_included_with_a_receipt(world, relayer, first, included):
    accepted, receipt = included
    assert accepted["nullifier"] == first["publicSignals"][1]
    assert (accepted["district"], accepted["choice"], accepted["revision"]) == (0, 1, 1)
    assert accepted["status"] in {"queued", "sent", "included"}
    tx = world.w3.eth.get_transaction_receipt(receipt["transactionHash"])
    assert tx["status"] == 1 and tx["blockNumber"] == receipt["blockNumber"]
    checked = status(relayer, world, accepted["nullifier"]).json()
    assert checked["counted"]["transactionHash"] == receipt["transactionHash"]
    assert (checked["counted"]["choice"], checked["counted"]["revision"]) == (1, 1)


def test_resubmitting_the_same_ballot_is_harmless(world, relayer, first, included) -> None:
    again = post(relayer, first)
    assert again.status_code == 202 and again.json()["status"] == "included"
    logs = world.election.ballot_events()
    assert sum(log.nullifier == int(first["publicSignals"][1]) for log in logs) == 1


def test_second_ballot_replaces_first(world, relayer, revoted) -> None:
    first, second = revoted
    assert (first["revision"], second["revision"]) == (1, 2)
    nullifier = first["publicSignals"][1]
    assert second["publicSignals"][1] == nullifier
    counted = status(relayer, world, nullifier).json()["counted"]
    assert (counted["choice"], counted["revision"]) == (2, 2)
    assert world.election.ballot_of(int(nullifier)).revision == 2
    assert sum(log.nullifier == int(nullifier) for log in world.election.ballot_events()) == 2


def test_replayed_first_ballot_is_refused(relayer, revoted) -> None:
    response = post(relayer, revoted[0])
    assert response.status_code == 409
    assert response.json()["error"] == "stale_revision"


def test_non_member_proof_is_refused(world, relayer, prover) -> None:
    outsider = Identity.generate()
    made_up = LeanIMT([world.voters["north"][2].commitment, outsider.commitment])
    state = PublicState({0: made_up}, world.election.scope(), {})
    (body,) = prepare_ballots(world.election, [(outsider, 0)], prover, state=state)
    response = post(relayer, body)
    assert response.status_code == 422
    assert response.json()["error"] == "root_mismatch"


def test_proof_for_another_election_is_refused(world, relayer, prover) -> None:
    (body,) = prepare_ballots(world.other, [(world.voters["north"][1], 0)], prover)
    body["election"] = world.election.address
    response = post(relayer, body)
    assert response.status_code == 422
    assert response.json()["error"] == "scope_mismatch"


def test_forged_proof_is_refused(world, relayer, prover) -> None:
    (body,) = prepare_ballots(world.election, [(world.voters["north"][2], 0)], prover)
    body["proof"] = [*body["proof"][6:8], *body["proof"][2:6], *body["proof"][0:2]]
    response = post(relayer, body)
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_proof"
    assert world.election.ballot_of(int(body["publicSignals"][1])).revision == 0


def test_choice_not_matching_the_proof_is_refused(world, relayer, prover) -> None:
    (body,) = prepare_ballots(world.election, [(world.voters["north"][3], 0)], prover)
    response = post(relayer, {**body, "choice": 1})
    assert response.status_code == 422
    assert response.json()["error"] == "message_mismatch"


def test_ballot_moved_to_another_district_is_refused(world, relayer, prover) -> None:
    (body,) = prepare_ballots(world.election, [(world.voters["south"][0], 0)], prover)
    response = post(relayer, {**body, "district": 0})
    assert response.status_code == 422
    assert response.json()["error"] == "message_mismatch"


def test_ballot_in_a_district_below_its_minimum_is_refused(world, relayer, prover) -> None:
    (body,) = prepare_ballots(world.election, [(world.voters["east"][0], 0)], prover)
    response = post(relayer, body)
    assert response.status_code == 422
    assert response.json()["error"] == "district_below_minimum"


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"choice": -1}, "choice"),
        ({"choice": "1"}, "choice"),
        ({"district": -1}, "district"),
        ({"revision": 0}, "revision"),
        ({"election": "0x1234"}, "election"),
        ({"proof": ["1"] * 7}, "proof"),
        ({"proof": ["0x10"] * 8}, "proof"),
        ({"publicSignals": ["1"] * 5}, "publicSignals"),
        ({"publicSignals": ["9" * 79] * 4}, "publicSignals"),
        ({"extra": 1}, "extra"),
    ],
)
def test_malformed_ballot_gets_a_specific_400(relayer, first, change, where) -> None:
    response = post(relayer, {**first, **change})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "malformed" and where in body["detail"]


def test_missing_field_is_named(relayer, first) -> None:
    body = {k: v for k, v in first.items() if k != "proof"}
    response = post(relayer, body)
    assert response.status_code == 400 and "proof" in response.json()["detail"]


def test_field_element_out_of_range_is_refused(relayer, first) -> None:
    signals = [str(SNARK_SCALAR_FIELD), *first["publicSignals"][1:]]
    response = post(relayer, {**first, "revision": 7, "publicSignals": signals})
    assert response.status_code == 400 and "field" in response.json()["detail"]


def test_body_that_is_not_json_is_refused(relayer) -> None:
    response = httpx.post(
        f"{relayer.url}/ballots", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400 and response.json()["error"] == "malformed"


def test_oversized_body_is_refused(relayer, first) -> None:
    response = post(relayer, {**first, "padding": "x" * 20_000})
    assert response.status_code == 413 and response.json()["error"] == "too_large"


def test_address_without_an_election_is_refused(world, relayer, first) -> None:
    response = post(relayer, {**first, "election": world.attacker.address})
    assert response.status_code == 404 and response.json()["error"] == "unknown_election"


def test_lookup_of_a_nullifier_with_no_ballot_is_404(world, relayer) -> None:
    response = status(relayer, world, 12345)
    assert response.status_code == 404 and response.json()["error"] == "no_ballot"


def test_page_on_another_origin_may_call_the_relayer(relayer) -> None:
    response = httpx.options(
        f"{relayer.url}/ballots",
        headers={"Origin": "https://vote.example", "Access-Control-Request-Method": "POST"},
    )
    assert response.headers.get("access-control-allow-origin") in {"*", "https://vote.example"}


def test_metrics_count_the_queue_and_the_ballots(relayer, included, revoted) -> None:
    """The three ballots of the fixtures; every other test's ballot is refused. How many of them
    fell in the last minute depends on how long the earlier tests took (the store's own test
    checks the window)."""
    metrics = httpx.get(f"{relayer.url}/metrics").json()
    assert metrics["byStatus"]["included"] == 3
    assert metrics["queueDepth"] == 0 and 0 <= metrics["ballotsPerMinute"] <= 3


def test_a_revision_that_skips_ahead_is_refused(world, relayer, prover, revoted) -> None:
    """Issue 12 item 1: the highest revision, which nothing could follow, never reaches the
    chain; the voter's own next ballot (revision 3) still can."""
    voter = world.voters["north"][1]
    state = PublicState.download(world.election)
    locking = PublicState(state.registers, state.scope, dict.fromkeys(state.revisions, 2**32 - 2))
    (body,) = prepare_ballots(world.election, [(voter, 0)], prover, state=locking)
    assert body["revision"] == 2**32 - 1
    response = post(relayer, body)
    assert response.status_code == 409, response.text
    assert response.json()["error"] == "revision_gap"
    assert world.election.ballot_of(int(body["publicSignals"][1])).revision == 2


def test_ballot_after_deadline_is_refused(world, relayer, prover) -> None:
    (late,) = prepare_ballots(world.election, [(world.voters["south"][1], 1)], prover)
    saved = snapshot(world.w3)
    try:
        world.travel_to(world.calendar.voting_end)
        response = post(relayer, late)
        assert response.status_code == 403 and response.json()["error"] == "voting_closed"
        assert world.election.ballot_of(int(late["publicSignals"][1])).revision == 0
    finally:
        revert_to(world.w3, saved)


def test_relayer_output_holds_no_client_address_or_ballot(relayer, first, included) -> None:
    text = relayer.log.read_text()
    assert "127.0.0.1" not in text
    assert first["publicSignals"][1] not in text
    assert "POST /ballots" not in text


def test_relayer_database_holds_no_client_address(relayer, included) -> None:
    database = Path(relayer.env["VECHE_RELAYER_DB"])
    data = b"".join(path.read_bytes() for path in database.parent.glob(database.name + "*"))
    assert b"127.0.0.1" not in data and b"python-httpx" not in data

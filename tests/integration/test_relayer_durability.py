"""A relayer killed with SIGKILL loses no accepted ballot and counts none twice."""

import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from veche.voter import prepare_ballots, send_ballot, wait_for_inclusion

from .conftest import make_relayer

pytestmark = [pytest.mark.chain, pytest.mark.slow]


def _statuses(relayer, world, accepted) -> list[str]:
    with httpx.Client() as client:
        return [
            client.get(
                f"{relayer.url}/ballots/{a['nullifier']}",
                params={"election": world.election.address},
            ).json()["submission"]["status"]
            for a in accepted
        ]


def _assert_each_ballot_on_chain_once(world, accepted) -> None:
    events = world.election.ballot_events()
    for ballot in accepted:
        matching = [
            e
            for e in events
            if e.nullifier == int(ballot["nullifier"]) and e.revision == ballot["revision"]
        ]
        assert len(matching) == 1, f"ballot {ballot['nullifier']} is on chain {len(matching)} times"
        stored = world.election.ballot_of(int(ballot["nullifier"]))
        assert (stored.choice, stored.revision) == (ballot["choice"], ballot["revision"])


def test_ballots_sent_but_not_mined_survive_a_crash_and_a_lost_mempool(
    world, prover, tmp_path
) -> None:
    votes = [(voter, 1) for voter in world.voters["north"]]
    bodies = prepare_ballots(world.election, votes, prover)
    world.w3.provider.make_request("evm_setAutomine", [False])
    relayer = make_relayer(world, tmp_path).start()
    try:
        with httpx.Client() as client:
            accepted = [send_ballot(client, relayer.url, body) for body in bodies]
        _wait_until_sent(relayer, world, accepted)
        relayer.kill()
        # The node loses its pending transactions too (as a node restart would).
        world.w3.provider.make_request("anvil_dropAllTransactions", [])
        world.w3.provider.make_request("evm_setAutomine", [True])
        relayer.start()
        with httpx.Client() as client:
            for ballot in accepted:
                wait_for_inclusion(client, relayer.url, ballot, timeout=90)
    finally:
        world.w3.provider.make_request("evm_setAutomine", [True])
        relayer.stop()
    _assert_each_ballot_on_chain_once(world, accepted)


def test_ballots_accepted_just_before_a_crash_are_sent_after_restart(
    world, prover, tmp_path
) -> None:
    votes = [(voter, 0) for voter in world.voters["south"]]
    bodies = prepare_ballots(world.election, votes, prover)
    relayer = make_relayer(world, tmp_path).start()
    try:
        with httpx.Client() as client, ThreadPoolExecutor(len(bodies)) as pool:
            accepted = list(pool.map(lambda b: send_ballot(client, relayer.url, b), bodies))
        relayer.kill()  # at once: some ballots are still queued, some sent, some mined
        relayer.start()
        with httpx.Client() as client:
            for ballot in accepted:
                wait_for_inclusion(client, relayer.url, ballot, timeout=90)
            # A voter whose answer was lost retries: still counted once.
            assert send_ballot(client, relayer.url, bodies[0])["status"] == "included"
    finally:
        relayer.stop()
    _assert_each_ballot_on_chain_once(world, accepted)


def test_batches_in_flight_survive_a_crash_with_some_mined_and_the_rest_lost(
    world, prover, tmp_path
) -> None:
    """Two paying accounts and small batches: when the relayer is killed, the first ballots are
    in a block it may not have seen, the next are in transactions the node then loses, and the
    last are still queued. After a restart every ballot is on chain exactly once."""
    voters = world.voters["north"] + world.voters["south"]
    bodies = prepare_ballots(world.election, [(voter, 0) for voter in voters], prover)
    relayer = make_relayer(world, tmp_path, VECHE_BATCH_SIZE="3")
    world.w3.provider.make_request("evm_setAutomine", [False])
    relayer.start()
    try:
        with httpx.Client() as client:
            mined_early = _send_together(client, relayer, bodies[:4])
            _wait_until_sent(relayer, world, mined_early)
            world.w3.provider.make_request("evm_mine", [])
            lost = _send_together(client, relayer, bodies[4:])
            _wait_until_sent(relayer, world, lost)
        relayer.kill()
        world.w3.provider.make_request("anvil_dropAllTransactions", [])
        world.w3.provider.make_request("evm_setAutomine", [True])
        relayer.start()
        accepted = mined_early + lost
        with httpx.Client() as client:
            for ballot in accepted:
                wait_for_inclusion(client, relayer.url, ballot, timeout=90)
    finally:
        world.w3.provider.make_request("evm_setAutomine", [True])
        relayer.stop()
    _assert_each_ballot_on_chain_once(world, accepted)
    if any(entry.get("name") == "castBallots" for entry in world.election.contract.abi):
        carriers = {e.tx_hash for e in world.election.ballot_events()[-len(bodies) :]}
        assert len(carriers) < len(bodies), "the ballots were not sent in batches"


def _send_together(client, relayer, bodies) -> list:
    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(lambda body: send_ballot(client, relayer.url, body), bodies))


def _wait_until_sent(relayer, world, accepted) -> None:
    deadline = time.monotonic() + 60
    while set(_statuses(relayer, world, accepted)) != {"sent"}:
        assert time.monotonic() < deadline, "ballots were never sent"
        time.sleep(0.1)

"""Faults: the node, the network or the disk fail under a running relayer. In every case no
ballot the relayer answered 202 for is lost, and none is counted twice; a ballot it could not
store safely gets no 202.
"""

import resource
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import httpx
import pytest

from tests.adversarial.catalogue import RELAYER, fault
from tests.adversarial.http.ballots import post
from tests.adversarial.http.proxy import SwitchableProxy
from tests.integration.conftest import make_relayer
from veche.voter import prepare_ballots, wait_for_inclusion

pytestmark = [pytest.mark.chain, pytest.mark.slow]


def _on_chain_once(world, accepted) -> None:
    events = world.election.ballot_events()
    for ballot in accepted:
        copies = [
            e
            for e in events
            if e.nullifier == int(ballot["nullifier"]) and e.revision == ballot["revision"]
        ]
        assert len(copies) == 1, f"{ballot['nullifier']} is on chain {len(copies)} times"
        stored = world.election.ballot_of(int(ballot["nullifier"]))
        assert (stored.choice, stored.revision) == (ballot["choice"], ballot["revision"])


def _included(url, accepted, timeout=90.0) -> None:
    with httpx.Client() as client:
        for ballot in accepted:
            wait_for_inclusion(client, url, ballot, timeout=timeout)


@fault(
    "chain",
    "The node loses its pending transactions while the relayer runs on (a node restart)",
    RELAYER,
    refusal="the relayer re-broadcasts the same signed bytes after 15 s: included once",
)
def test_lost_mempool_is_rebroadcast_by_a_running_relayer(world, prover, tmp_path) -> None:
    bodies = prepare_ballots(world.election, [(v, 2) for v in world.voters["north"][:2]], prover)
    relayer = make_relayer(world, tmp_path).start()
    world.w3.provider.make_request("evm_setAutomine", [False])
    try:
        accepted = [post(relayer.url, body).json() for body in bodies]
        deadline = time.monotonic() + 30
        while world.w3.provider.make_request("txpool_status", [])["result"]["pending"] in (
            0,
            "0x0",
        ):
            assert time.monotonic() < deadline, "the relayer never sent the ballots"
            time.sleep(0.1)
        time.sleep(0.5)
        world.w3.provider.make_request("anvil_dropAllTransactions", [])
        world.w3.provider.make_request("evm_setAutomine", [True])
        _included(relayer.url, accepted)
    finally:
        world.w3.provider.make_request("evm_setAutomine", [True])
        relayer.stop()
    _on_chain_once(world, accepted)


@fault(
    "chain",
    "The relayer's RPC node is unreachable, then back",
    RELAYER,
    refusal="502 chain_unavailable during the outage (no 202, nothing stored); 202 and "
    "included once after it",
)
def test_rpc_outage_gives_no_false_acceptance(world, prover, tmp_path) -> None:
    (body,) = prepare_ballots(world.election, [(world.voters["south"][0], 1)], prover)
    node = urlparse(world.rpc_url)
    proxy = SwitchableProxy((node.hostname or "127.0.0.1", int(node.port or 8545)))
    relayer = make_relayer(world, tmp_path, VECHE_RPC_URL=proxy.url).start()
    try:
        assert post(relayer.url, {**body, "choice": 0}).status_code == 422  # caches the election
        proxy.down()
        refused = post(relayer.url, body)
        assert refused.status_code == 502, refused.text
        assert refused.json()["error"] == "chain_unavailable"
        assert httpx.get(f"{relayer.url}/metrics").json()["byStatus"]["queued"] == 0
        proxy.up()
        accepted = post(relayer.url, body)
        assert accepted.status_code == 202, accepted.text
        _included(relayer.url, [accepted.json()])
    finally:
        relayer.stop()
        proxy.close()
    _on_chain_once(world, [accepted.json()])


@fault(
    "storage",
    "The relayer's disk fills up (every write past a size fails, as on a full disk)",
    RELAYER,
    refusal="a ballot that cannot be stored gets a 5xx, never a 202; after a restart with "
    "space, every 202 ballot is included once",
)
def test_full_disk_never_loses_an_accepted_ballot(world, prover, tmp_path) -> None:
    voters = [*world.voters["south"][1:], *world.voters["north"][2:]]
    bodies = prepare_ballots(world.election, [(v, 0) for v in voters], prover)
    relayer = make_relayer(world, tmp_path).start()
    assert relayer.process is not None
    # From now on no file of the relayer may grow past 64 KB: its database soon cannot.
    limit = 64 * 1024
    resource.prlimit(relayer.process.pid, resource.RLIMIT_FSIZE, (limit, limit))
    answers = []
    try:
        for body in bodies:
            answers.append(post(relayer.url, body))
            time.sleep(0.3)
    finally:
        relayer.kill()
    accepted = [a.json() for a in answers if a.status_code == 202]
    refused = [a for a in answers if a.status_code != 202]
    assert refused, "the disk never filled: raise the number of ballots or lower the limit"
    assert all(a.status_code >= 500 for a in refused), [a.text for a in refused]
    relayer.start()  # the same database, now with room
    try:
        _included(relayer.url, accepted)
    finally:
        relayer.stop()
    _on_chain_once(world, accepted)


@fault(
    "relayer",
    "Two relayers share the same paying accounts (an operator's mistake): their nonces collide",
    RELAYER,
    refusal="every ballot either answered 202 is on chain exactly once",
)
def test_two_relayers_sharing_accounts_lose_nothing(world, prover, tmp_path) -> None:
    voters = [*world.voters["north"], *world.voters["south"]]
    bodies = prepare_ballots(world.election, [(v, 1) for v in voters], prover)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = make_relayer(world, tmp_path / "a").start()
    second = make_relayer(world, tmp_path / "b").start()
    assert first.env["VECHE_RELAYER_KEYS"] == second.env["VECHE_RELAYER_KEYS"]
    relayers = [first, second]
    try:
        with ThreadPoolExecutor(len(bodies)) as pool:
            answers = list(
                pool.map(lambda i: post(relayers[i % 2].url, bodies[i]), range(len(bodies)))
            )
        assert [a.status_code for a in answers] == [202] * len(bodies)
        accepted = [a.json() for a in answers]
        for number, ballot in enumerate(accepted):
            _included(relayers[number % 2].url, [ballot])
    finally:
        first.stop()
        second.stop()
    _on_chain_once(world, accepted)


@fault(
    "chain",
    "Reorganisation of the last blocks: the blocks holding the relayer's ballots are replaced "
    "by empty ones after the relayer saw them mined",
    RELAYER,
    refusal="the relayer notices the changed blocks, puts the transactions back in flight and "
    "sends the same signed bytes again: every 202 ballot on chain once",
)
def test_ballots_reorganised_out_are_sent_again(world, prover, tmp_path) -> None:
    bodies = prepare_ballots(world.election, [(v, 0) for v in world.voters["north"][2:4]], prover)
    relayer = make_relayer(world, tmp_path).start()
    try:
        accepted = [post(relayer.url, body).json() for body in bodies]
        _included(relayer.url, accepted)
        ours = {(int(b["nullifier"]), b["revision"]) for b in accepted}
        held = [
            e.block_number
            for e in world.election.ballot_events()
            if (e.nullifier, e.revision) in ours  # not these voters' earlier ballots
        ]
        depth = world.w3.eth.block_number - min(held) + 1
        time.sleep(1.0)  # the relayer has seen the blocks it was told of
        world.w3.provider.make_request("anvil_reorg", [depth, []])
        assert not [
            e for e in world.election.ballot_events() if (e.nullifier, e.revision) in ours
        ], "the reorganisation left the ballots on chain"
        deadline = time.monotonic() + 90
        while not all(
            world.election.ballot_of(int(b["nullifier"])).revision == b["revision"]
            for b in accepted
        ):
            assert time.monotonic() < deadline, "ballots lost in the reorganisation"
            world.w3.provider.make_request("evm_mine", [])
            time.sleep(0.5)
    finally:
        relayer.stop()
    _on_chain_once(world, accepted)

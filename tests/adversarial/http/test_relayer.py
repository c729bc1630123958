"""Attacks on the relayer over real HTTP: its money, its log, its availability.

Each test says which layer refuses and asserts the exact answer. The relayer is the real
`veche relayer serve` process on a real anvil; nothing is mocked.
"""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time

import httpx
import pytest

from tests.adversarial.catalogue import CONTRACT, RELAYER, attack
from tests.adversarial.http.ballots import cast_directly, lookup, post
from tests.integration.conftest import make_relayer
from veche.chain.artifacts import load_artifact
from veche.chain.deploy import Libraries, deploy_contract, deploy_from_definition
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.relayer.store import Status, Store, Submission
from veche.voter import prepare_ballots, wait_for_inclusion

pytestmark = [pytest.mark.chain, pytest.mark.slow]


@pytest.fixture(scope="module")
def body(world, prover):
    """A valid ballot of a North voter, not sent anywhere yet."""
    (ballot,) = prepare_ballots(world.election, [(world.voters["north"][0], 1)], prover)
    return ballot


@attack(
    "relayer",
    "GET /ballots/{nullifier} with a nullifier of 2^256 or more (once a 500 and a traceback "
    "quoting the value in the log)",
    RELAYER,
    refusal="400 malformed 'nullifier: not below the field order'; nothing in the log",
)
@pytest.mark.parametrize("nullifier", [2**256, 2**300, SNARK_SCALAR_FIELD])
def test_lookup_of_a_huge_nullifier_is_a_clean_400(world, relayer, nullifier) -> None:
    before = relayer.log.read_text()
    response = lookup(relayer.url, world, nullifier)
    assert response.status_code == 400, response.text
    answer = response.json()
    assert answer["error"] == "malformed" and "nullifier" in answer["detail"]
    if len(str(nullifier)) <= 78:  # longer ones fail the schema's pattern, before any code
        assert answer["detail"] == "nullifier: not below the field order"
    written = relayer.log.read_text()[len(before) :]
    assert str(nullifier) not in written and "Traceback" not in written, written


@attack(
    "relayer",
    "A chunked request body over 8 KB (no Content-Length to refuse it by)",
    RELAYER,
    refusal="413 too_large",
)
def test_chunked_body_over_the_limit_gets_413(relayer, body) -> None:
    text = json.dumps({**body, "padding": "x" * 20_000}).encode()
    chunks = (text[i : i + 1024] for i in range(0, len(text), 1024))
    response = httpx.post(
        f"{relayer.url}/ballots",
        content=chunks,
        headers={"content-type": "application/json"},
        timeout=30,
    )
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert response.status_code == 413, response.text
    assert response.json()["error"] == "too_large"


@attack(
    "relayer",
    "A Content-Length that announces a huge body",
    RELAYER,
    refusal="413 too_large before a byte of the body is read",
)
def test_announced_huge_body_gets_413(relayer) -> None:
    with socket.create_connection(("127.0.0.1", int(relayer.url.rsplit(":", 1)[1]))) as raw:
        raw.sendall(
            b"POST /ballots HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000000000\r\n\r\n{"
        )
        answer = raw.recv(4096).decode()
    assert answer.startswith("HTTP/1.1 413"), answer


@attack(
    "relayer",
    "A deeply nested JSON body (thousands of brackets within 8 KB)",
    RELAYER,
    refusal="400 malformed, no 500",
)
def test_deeply_nested_body_is_malformed(relayer) -> None:
    nested = b"[" * 4000 + b"]" * 4000
    response = httpx.post(
        f"{relayer.url}/ballots", content=nested, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    assert response.json()["error"] == "malformed"


@attack(
    "relayer",
    "Hammering /health (once unlimited, one RPC to the node per request)",
    RELAYER,
    refusal="429 rate_limited past the budget; the chain time is read at most every 5 s",
)
def test_health_is_rate_limited_and_cached(world, tmp_path) -> None:
    limited = make_relayer(world, tmp_path, VECHE_RATE_LIMIT="4/60").start()
    try:
        first = httpx.get(f"{limited.url}/health").json()["chainTime"]
        world.travel_to(first + 3)  # the chain moves on; a fresh RPC would see it
        answers = [httpx.get(f"{limited.url}/health") for _ in range(5)]
    finally:
        limited.stop()
    # The start-up probe used one request of the budget, `first` another.
    assert [a.status_code for a in answers] == [200, 200, 429, 429, 429]
    assert answers[0].json()["chainTime"] == first  # served from the cache, not the node
    assert answers[2].json()["error"] == "rate_limited"


@attack(
    "relayer",
    "Spam: one client sends ballots as fast as it can",
    RELAYER,
    refusal="429 rate_limited with Retry-After, before any check or RPC",
)
def test_ballot_spam_is_rate_limited(world, tmp_path, body) -> None:
    limited = make_relayer(world, tmp_path, VECHE_RATE_LIMIT="3/60").start()
    try:
        junk = {**body, "choice": 99}
        answers = [post(limited.url, junk) for _ in range(6)]
    finally:
        limited.stop()
    assert [a.status_code for a in answers[3:]] == [429, 429, 429]
    assert answers[-1].headers["retry-after"] == "5"


@attack(
    "relayer",
    "Slow clients (slowloris): many connections that never finish their headers",
    RELAYER,
    refusal="the other clients are still served at once",
)
def test_slow_clients_do_not_block_others(relayer) -> None:
    port = int(relayer.url.rsplit(":", 1)[1])
    sockets = []
    try:
        for _ in range(50):
            slow = socket.create_connection(("127.0.0.1", port))
            slow.sendall(b"POST /ballots HTTP/1.1\r\nHost: x\r\n")
            sockets.append(slow)
        started = time.monotonic()
        assert httpx.get(f"{relayer.url}/metrics", timeout=5).status_code == 200
        assert time.monotonic() - started < 2
    finally:
        for slow in sockets:
            slow.close()


@attack(
    "relayer",
    "A ballot for an election this relayer was not configured to serve",
    RELAYER,
    refusal="404 unknown_election 'this relayer does not serve that election'",
)
def test_election_not_configured_is_refused(world, tmp_path, body) -> None:
    picky = make_relayer(world, tmp_path, VECHE_ELECTIONS=world.other.address).start()
    try:
        response = post(picky.url, body)
    finally:
        picky.stop()
    assert response.status_code == 404
    assert response.json() == {
        "error": "unknown_election",
        "detail": "this relayer does not serve that election",
    }


@attack(
    "relayer",
    "A relayer in production mode with no list of elections (it would pay for anyone's)",
    RELAYER,
    refusal="refuses to start: 'VECHE_ELECTIONS must name the elections served in production'",
)
def test_production_relayer_must_name_its_elections(world, tmp_path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "veche.cli.main", "relayer", "serve", "--port", "1"],
        env={
            **os.environ,
            "VECHE_RPC_URL": world.rpc_url,
            "VECHE_RELAYER_KEYS": "0x" + "5a" * 32,
            "VECHE_RELAYER_DB": str(tmp_path / "relayer.sqlite3"),
            "VECHE_MODE": "production",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.strip() == (
        "veche: error: VECHE_ELECTIONS must name the elections served in production mode "
        "(comma-separated addresses)"
    )


@attack(
    "relayer",
    "The genuine Election code deployed with the attacker's own verifier (it could burn gas, "
    "or pass in simulation and revert on chain)",
    RELAYER,
    refusal="404 unknown_election '... whose verifier ... is not the Veche Groth16 verifier'",
)
def test_election_with_a_foreign_verifier_is_not_paid_for(world, relayer, body) -> None:
    poseidon = deploy_contract(world.w3, world.attacker, load_artifact("PoseidonT3"))
    impostor = deploy_contract(world.w3, world.attacker, load_artifact("Groth16Verifier"))
    # Same code as the real verifier would pass; a contract that is not it must not.
    fake = Libraries(poseidon_t3=poseidon, verifier=poseidon)
    counterfeit = deploy_from_definition(world.w3, world.attacker, world.definition, libraries=fake)
    assert impostor  # a genuine verifier elsewhere changes nothing for the counterfeit
    nonce = world.w3.eth.get_transaction_count(world.relayer_accounts[0].address)
    response = post(relayer.url, {**body, "election": counterfeit.address})
    assert response.status_code == 404, response.text
    assert response.json()["error"] == "unknown_election"
    assert "is not the Veche Groth16 verifier" in response.json()["detail"]
    assert world.w3.eth.get_transaction_count(world.relayer_accounts[0].address) == nonce


@attack(
    "relayer",
    "The same ballot sent through another relayer first: this one answered 409 for a ballot "
    "that counts",
    RELAYER,
    refusal="none: 202 'included' with the transaction that carried the identical copy",
)
def test_identical_copy_on_chain_is_reported_counted(world, relayer, prover) -> None:
    (ballot,) = prepare_ballots(world.election, [(world.voters["north"][1], 2)], prover)
    landed = cast_directly(world, ballot)
    response = post(relayer.url, ballot)
    assert response.status_code == 202, response.text
    answer = response.json()
    assert answer["status"] == "included"
    assert answer["transactionHash"] == landed["transactionHash"].to_0x_hex()
    assert answer["blockNumber"] == landed["blockNumber"]


def _queue(database, world, ballot) -> None:
    """Puts `ballot` in a relayer's queue as if it had answered 202 just before it stopped."""
    store = Store(database)
    store.add(
        Submission(
            id=0,
            election=world.election.address,
            nullifier=int(ballot["publicSignals"][1]),
            district=ballot["district"],
            choice=ballot["choice"],
            revision=ballot["revision"],
            merkle_root=int(ballot["publicSignals"][0]),
            proof=tuple(int(p) for p in ballot["proof"]),
            status=Status.QUEUED,
        )
    )
    store.close()


def _settled(url, world, nullifier) -> dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answer = lookup(url, world, nullifier).json()
        if (answer.get("submission") or {}).get("status") in {"included", "failed"}:
            return answer
        time.sleep(0.2)
    raise AssertionError("the queued ballot never settled")


@attack(
    "relayer",
    "An identical copy lands while this relayer's ballot waits in its queue: the voter was "
    "told 'failed' for a ballot that counts",
    RELAYER,
    CONTRACT,
    refusal="the simulation refuses to spend (StaleRevision); the voter is told 'included'",
)
def test_queued_ballot_overtaken_by_its_copy_is_reported_counted(world, prover, tmp_path) -> None:
    (ballot,) = prepare_ballots(world.election, [(world.voters["north"][2], 0)], prover)
    late = make_relayer(world, tmp_path)
    _queue(late.database, world, ballot)
    landed = cast_directly(world, ballot)
    late.start()
    try:
        answer = _settled(late.url, world, ballot["publicSignals"][1])
    finally:
        late.stop()
    assert answer["submission"]["status"] == "included", answer
    assert answer["submission"]["transactionHash"] == landed["transactionHash"].to_0x_hex()
    assert answer["counted"]["transactionHash"] == landed["transactionHash"].to_0x_hex()


@attack(
    "relayer",
    "Gas griefing: a ballot that passes every off-chain check but would revert on chain (a "
    "different ballot of the same voter and revision lands first)",
    RELAYER,
    CONTRACT,
    refusal="failed 'StaleRevision(...)'; at most one reverted transaction, then every retry "
    "is simulated before signing",
)
def test_ballot_that_would_revert_costs_the_relayer_nothing(world, prover, tmp_path) -> None:
    (queued,) = prepare_ballots(world.election, [(world.voters["north"][3], 0)], prover)
    (rival,) = prepare_ballots(world.election, [(world.voters["north"][3], 1)], prover)
    assert queued["revision"] == rival["revision"]
    griefed = make_relayer(world, tmp_path)
    _queue(griefed.database, world, queued)
    cast_directly(world, rival)
    nonces = [world.w3.eth.get_transaction_count(a.address) for a in world.relayer_accounts]
    griefed.start()
    try:
        answer = _settled(griefed.url, world, queued["publicSignals"][1])
    finally:
        griefed.stop()
    assert answer["submission"]["status"] == "failed"
    assert answer["submission"]["reason"].startswith("StaleRevision(")
    assert answer["counted"]["choice"] == 1
    spent = [
        world.w3.eth.get_transaction_count(a.address) - before
        for a, before in zip(world.relayer_accounts, nonces, strict=True)
    ]
    # The batched worker sends a first attempt unsimulated (for throughput) and simulates only
    # after a revert: the griefer costs the relayer at most that one reverted transaction.
    assert sum(spent) <= 1, spent


@attack(
    "privacy",
    "Reading the relayer's log and database for voters' IP addresses and ballots",
    RELAYER,
    refusal="no client address in the log or the database; no nullifier in the log",
)
def test_relayer_keeps_no_address_and_logs_no_ballot(world, relayer, body) -> None:
    with httpx.Client() as client:
        accepted = post(relayer.url, body).json()
        wait_for_inclusion(client, relayer.url, accepted)
        lookup(relayer.url, world, accepted["nullifier"])
    log = relayer.log.read_text()
    assert "127.0.0.1" not in log and accepted["nullifier"] not in log
    stored = relayer.database.read_bytes()
    for sidecar in ("-wal", "-shm"):
        extra = relayer.database.with_name(relayer.database.name + sidecar)
        stored += extra.read_bytes() if extra.exists() else b""
    assert b"127.0.0.1" not in stored
    with sqlite3.connect(relayer.database) as db:
        columns = {
            row[1]
            for table in ("submissions",)
            for row in db.execute(f"PRAGMA table_info({table})")
        }
    assert not columns & {"ip", "client", "address", "remote", "user_agent", "origin"}

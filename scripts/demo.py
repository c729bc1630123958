"""The main job: a whole election on a local chain, on real parts, from deployment to recount.

Run by `make demo`. It starts anvil on 127.0.0.1, deploys an election, registers voters, has them
vote through a real relayer over HTTP (with re-votes), attempts frauds that must all be refused,
closes the election, recounts it from chain data alone and writes `out/demo/recount.json`.
Every proof is a real Groth16 proof made with the (development) keys in `zk/artifacts/depth20`.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from veche.chain.anvil import Anvil, latest_timestamp, time_travel
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_election
from veche.cli.main import one_line_warning
from veche.crypto.identity import Identity
from veche.crypto.imt import LeanIMT
from veche.crypto.prover import Prover
from veche.errors import ContractRevert
from veche.keys import verification_key_path
from veche.model import Calendar
from veche.recount import recount
from veche.recount.report import render
from veche.voter import PublicState, RelayerError, prepare_ballots, send_ballot

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = ["Anna Volkova", "Pavel Orlov", "Irina Sokolova"]
HOUR = 3600


def say(text: str) -> None:
    print(text, flush=True)


def start_relayer(rpc_url: str, key: str, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        VECHE_RPC_URL=rpc_url,
        VECHE_RELAYER_KEY=key,
        VECHE_MODE="dev",
        PYTHONWARNINGS="ignore::UserWarning",
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "veche.cli.main", "relayer", "serve", "--port", str(port)],
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the relayer did not start within 60 s")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def expect_refusal(what: str, call: Any, expected: str) -> str:
    """Runs `call`, which must be refused with `expected`; returns the refusal for the log."""
    try:
        call()
    except RelayerError as exc:
        got = exc.code
    except ContractRevert as exc:
        got = exc.name
    else:
        raise SystemExit(f"FRAUD ACCEPTED: {what}")
    if got != expected:
        raise SystemExit(f"{what}: refused, but with {got} instead of {expected}")
    say(f"  refused: {what:<58} -> {got}")
    return got


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--voters", type=int, default=120)
    parser.add_argument("--revotes", type=int, default=12)
    parser.add_argument("--out", default=str(ROOT / "out" / "demo"))
    parser.add_argument("--seed", type=int, default=None, help="seed for the voters' choices")
    args = parser.parse_args()
    warnings.showwarning = one_line_warning
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    metrics: dict[str, Any] = {}

    with Anvil() as anvil:
        w3 = connect(anvil.rpc_url)
        organizer, registrar, relayer_account, attacker = dev_accounts(4)
        say(f"Local chain (anvil) at {anvil.rpc_url}, chain id {w3.eth.chain_id}")

        now = latest_timestamp(w3)
        calendar = Calendar(now, now + HOUR, now + HOUR, now + 2 * HOUR)
        election = deploy_election(
            w3, organizer, options=OPTIONS, calendar=calendar, registrars=[registrar.address]
        )
        other = deploy_election(
            w3, organizer, options=OPTIONS, calendar=calendar, registrars=[registrar.address]
        )
        say(f"Election deployed at {election.address} with options {OPTIONS}")
        say(f"A second election at {other.address} (used to try a cross-election replay)")

        say(f"\nRegistration: {args.voters} voters, commitments only, in batches of 60")
        voters = [Identity.generate() for _ in range(args.voters)]
        commitments = [v.commitment for v in voters]
        gas_used = 0
        for start in range(0, len(commitments), 60):
            batch = commitments[start : start + 60]
            receipt = election.add_members(registrar, batch)
            other.add_members(registrar, batch)
            gas_used += receipt["gasUsed"]
        metrics["gasPerRegistration"] = gas_used // len(commitments)
        say(f"  register root {election.merkle_root()}, {election.member_count()} members")
        say(f"  gas per registration (batches of 60): {metrics['gasPerRegistration']}")
        expect_refusal(
            "registration by an unauthorised account",
            lambda: election.add_members(attacker, [Identity.generate().commitment]),
            "NotRegistrar",
        )

        time_travel(w3, calendar.voting_start - latest_timestamp(w3))
        say("\nVoting is open. Starting the relayer (a real HTTP server).")
        port = free_port()
        relayer_url = f"http://127.0.0.1:{port}"
        relayer = start_relayer(anvil.rpc_url, relayer_account.key.hex(), port)
        try:
            intended = {}
            with Prover(parallel=2) as prover, httpx.Client() as client:
                votes = [(v, rng.randrange(len(OPTIONS))) for v in voters]
                started = time.perf_counter()
                bodies = prepare_ballots(election, votes, prover)
                prove_seconds = time.perf_counter() - started
                metrics["proofSecondsPerBallot"] = round(prove_seconds / len(bodies), 3)
                say(
                    f"  {len(bodies)} proofs made in {prove_seconds:.1f} s "
                    f"({metrics['proofSecondsPerBallot']} s a ballot on 2 processes)"
                )
                started = time.perf_counter()
                with ThreadPoolExecutor(8) as pool:
                    receipts = list(pool.map(lambda b: send_ballot(client, relayer_url, b), bodies))
                send_seconds = time.perf_counter() - started
                metrics["relayerBallotsPerSecond"] = round(len(receipts) / send_seconds, 1)
                gas = [
                    w3.eth.get_transaction_receipt(r["transactionHash"])["gasUsed"]
                    for r in receipts
                ]
                metrics["gasPerBallot"] = sum(gas) // len(gas)
                say(
                    f"  {len(receipts)} ballots accepted by the relayer in {send_seconds:.1f} s "
                    f"({metrics['relayerBallotsPerSecond']} ballots/s), "
                    f"{metrics['gasPerBallot']} gas a ballot"
                )
                for (voter, choice), _ in zip(votes, receipts, strict=True):
                    intended[voter.commitment] = choice
                first_round = dict(zip((v.commitment for v, _ in votes), bodies, strict=True))

                say(f"\nRe-voting: {args.revotes} voters change their minds")
                revoters = rng.sample(voters, args.revotes)
                revotes = [
                    (
                        v,
                        (intended[v.commitment] + 1 + rng.randrange(len(OPTIONS) - 1))
                        % len(OPTIONS),
                    )
                    for v in revoters
                ]
                for body in prepare_ballots(election, revotes, prover):
                    receipt = send_ballot(client, relayer_url, body)
                    assert receipt["revision"] == 2
                for voter, choice in revotes:
                    intended[voter.commitment] = choice
                say(f"  {len(revotes)} re-votes accepted; each replaces the voter's first ballot")

                say("\nFrauds (each must be refused):")
                outsider = Identity.generate()
                fake = LeanIMT()
                fake.insert_many([*commitments[:5], outsider.commitment])
                fake_state = PublicState(fake, election.scope(), {})
                (forged,) = prepare_ballots(election, [(outsider, 0)], prover, state=fake_state)
                expect_refusal(
                    "non-member proof (a register the attacker made up), via relayer",
                    lambda: send_ballot(client, relayer_url, forged),
                    "root_mismatch",
                )
                expect_refusal(
                    "non-member proof, sent straight to the contract",
                    lambda: election.cast_ballot(
                        attacker,
                        int(forged["publicSignals"][0]),
                        int(forged["publicSignals"][1]),
                        0,
                        1,
                        [int(x) for x in forged["proof"]],
                    ),
                    "RootMismatch",
                )
                (elsewhere,) = prepare_ballots(other, [(voters[0], 1)], prover)
                elsewhere["election"] = election.address
                expect_refusal(
                    "a registered voter's proof made for another election",
                    lambda: send_ballot(client, relayer_url, elsewhere),
                    "scope_mismatch",
                )
                expect_refusal(
                    "the same, sent straight to the contract",
                    lambda: election.cast_ballot(
                        attacker,
                        int(elsewhere["publicSignals"][0]),
                        int(elsewhere["publicSignals"][1]),
                        1,
                        1,
                        [int(x) for x in elsewhere["proof"]],
                    ),
                    "InvalidProof",
                )
                replayed = first_round[revoters[0].commitment]
                expect_refusal(
                    "replay of a re-voter's superseded first ballot",
                    lambda: send_ballot(client, relayer_url, replayed),
                    "stale_revision",
                )
                (honest,) = prepare_ballots(election, [(voters[1], 0)], prover)
                tampered = dict(
                    honest, proof=[str(int(honest["proof"][0]) ^ 1), *honest["proof"][1:]]
                )
                expect_refusal(
                    "a ballot whose proof was altered (forged)",
                    lambda: send_ballot(client, relayer_url, tampered),
                    "invalid_proof",
                )
                late_voter = voters[2]
                (late,) = prepare_ballots(election, [(late_voter, 0)], prover)
                time_travel(w3, calendar.voting_end - latest_timestamp(w3))
                say("  (the voting period has now ended)")
                expect_refusal(
                    "a valid ballot cast after the deadline, via relayer",
                    lambda: send_ballot(client, relayer_url, late),
                    "voting_closed",
                )
                expect_refusal(
                    "the same, sent straight to the contract",
                    lambda: election.cast_ballot(
                        attacker,
                        int(late["publicSignals"][0]),
                        int(late["publicSignals"][1]),
                        late["choice"],
                        late["revision"],
                        [int(x) for x in late["proof"]],
                    ),
                    "VotingClosed",
                )
        finally:
            relayer.terminate()
            relayer.wait(10)

        say("\nRecount from public chain data alone (no relayer involved):\n")
        result = recount(w3, election.address, verification_key_path())
        say(render(result))
        record = result.record()
        (out / "recount.json").write_text(json.dumps(record, indent=2) + "\n")
        metrics["recountSeconds"] = record["seconds"]
        (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
        say(f"\nRecount record: {out / 'recount.json'}")

        expected = [0] * len(OPTIONS)
        for choice in intended.values():
            expected[choice] += 1
        counted = [row["votes"] for row in record["tally"]]
        if counted != expected:
            say(f"MISMATCH: voters intended {expected}, the recount counted {counted}")
            return 1
        say(f"The recount matches what the {len(voters)} voters intended: {counted}")
        say(f"Figures: {json.dumps(metrics)}")
    say("Chain stopped.")
    return 0 if result.verified else 1


if __name__ == "__main__":
    sys.exit(main())

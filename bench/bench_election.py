"""Benchmarks of one election on anvil: gas, proof time, relayer throughput, recount, register.

Prints the figures and writes them to `out/bench/election.json`. Figures vary by about 30% on
shared 2-core machines; compare runs on one machine only.

    .venv/bin/python bench/bench_election.py [--voters 60] [--register-size 100000]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from veche.chain.anvil import Anvil, latest_timestamp, time_travel
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_election
from veche.crypto.groth16 import Proof, VerifyingKey, verify
from veche.crypto.identity import Identity
from veche.crypto.imt import LeanIMT
from veche.crypto.prover import Prover
from veche.keys import DEV_ZK_DIR
from veche.model import Calendar
from veche.recount import recount
from veche.voter import prepare_ballots, send_ballot

ROOT = Path(__file__).resolve().parents[1]


def timed(fn: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def start_relayer(rpc_url: str, key: str) -> tuple[subprocess.Popen[bytes], str]:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, VECHE_RPC_URL=rpc_url, VECHE_RELAYER_KEY=key, VECHE_MODE="dev")
    process = subprocess.Popen(
        [sys.executable, "-m", "veche.cli.main", "relayer", "serve", "--port", str(port)],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return process, url
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("relayer did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters", type=int, default=60)
    parser.add_argument("--register-size", type=int, default=100_000)
    args = parser.parse_args()
    figures: dict[str, Any] = {"voters": args.voters}

    leaves = list(range(1, args.register_size + 1))
    _, seconds = timed(lambda: LeanIMT().insert_many(leaves))
    figures["registerRebuildSeconds"] = {str(args.register_size): round(seconds, 2)}

    with Anvil() as anvil:
        w3 = connect(anvil.rpc_url)
        organizer, registrar, relayer_account = dev_accounts(3)
        now = latest_timestamp(w3)
        calendar = Calendar(now, now + 3600, now + 3600, now + 7200)
        election = deploy_election(
            w3,
            organizer,
            options=["A", "B", "C"],
            calendar=calendar,
            registrars=[registrar.address],
        )
        voters = [Identity.generate() for _ in range(args.voters)]
        single = election.add_members(registrar, [voters[0].commitment])["gasUsed"]
        batch = election.add_members(registrar, [v.commitment for v in voters[1:]])["gasUsed"]
        figures["gasRegistrationSingle"] = single
        figures["gasPerMemberInBatch"] = {str(len(voters) - 1): batch // (len(voters) - 1)}
        time_travel(w3, calendar.voting_start - latest_timestamp(w3))

        with Prover(parallel=1) as prover:
            votes = [(v, i % 3) for i, v in enumerate(voters[:8])]
            _, seconds = timed(lambda: prepare_ballots(election, votes, prover))
            figures["proofSecondsSequential"] = round(seconds / len(votes), 3)
        with Prover(parallel=2) as prover:
            votes = [(v, i % 3) for i, v in enumerate(voters)]
            bodies, seconds = timed(lambda: prepare_ballots(election, votes, prover))
            figures["proofSecondsPerBallotTwoProcesses"] = round(seconds / len(votes), 3)

        key = VerifyingKey.load(DEV_ZK_DIR / "verification_key.json")
        samples = []
        for body in bodies[:20]:
            proof = Proof.from_packed([int(x) for x in body["proof"]])
            signals = [int(x) for x in body["publicSignals"]]
            _, seconds = timed(lambda p=proof, s=signals: verify(key, p, s))
            samples.append(seconds)
        figures["offchainVerifyMs"] = round(statistics.median(samples) * 1000, 2)

        process, url = start_relayer(anvil.rpc_url, relayer_account.key.hex())
        try:
            with httpx.Client() as client, ThreadPoolExecutor(8) as pool:
                latencies: list[float] = []

                def submit(body: dict[str, Any]) -> dict[str, Any]:
                    receipt, seconds = timed(lambda: send_ballot(client, url, body))
                    latencies.append(seconds)
                    return receipt

                receipts, seconds = timed(lambda: list(pool.map(submit, bodies)))
            figures["relayerBallotsPerSecond"] = round(len(receipts) / seconds, 1)
            latencies.sort()
            figures["relayerLatencyMs"] = {
                "p50": round(latencies[len(latencies) // 2] * 1000),
                "p95": round(latencies[int(len(latencies) * 0.95) - 1] * 1000),
            }
            gas = [
                w3.eth.get_transaction_receipt(r["transactionHash"])["gasUsed"] for r in receipts
            ]
            figures["gasPerBallot"] = {"median": int(statistics.median(gas)), "max": max(gas)}
        finally:
            process.terminate()
            process.wait(10)

        time_travel(w3, calendar.voting_end - latest_timestamp(w3))
        result, seconds = timed(
            lambda: recount(w3, election.address, DEV_ZK_DIR / "verification_key.json")
        )
        figures["recountSeconds"] = {str(args.voters): round(seconds, 2)}
        figures["recountVerified"] = result.verified

    out = ROOT / "out" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "election.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    print(f"written to {out / 'election.json'}")


if __name__ == "__main__":
    main()

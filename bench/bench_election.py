"""One election on anvil: gas per registration and ballot, proof time, off-chain verification,
register rebuild and recount time. Writes `out/bench/election.json`.

    .venv/bin/python bench/bench_election.py [--voters-per-district 40] [--register-size 100000]
"""

import argparse
import json
import shutil
import statistics
import time
from typing import Any

import httpx
from common import OUT, open_election, start_relayer

from veche.chain.anvil import Anvil, latest_timestamp, time_travel
from veche.chain.client import connect
from veche.crypto.groth16 import Proof, VerifyingKey, batch_verify, verify
from veche.crypto.imt import LeanIMT
from veche.crypto.prover import Prover
from veche.definition import load
from veche.keys import verification_key_path
from veche.recount import recount
from veche.voter import prepare_ballots, send_ballot, wait_for_inclusion


def timed(fn: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters-per-district", type=int, default=40)
    parser.add_argument("--register-size", type=int, default=100_000)
    args = parser.parse_args()
    figures: dict[str, Any] = {}
    _, seconds = timed(lambda: LeanIMT(range(1, args.register_size + 1)))
    figures["registerRebuildSeconds"] = {str(args.register_size): round(seconds, 2)}
    folder = OUT / "election-run"
    shutil.rmtree(folder, ignore_errors=True)
    key = verification_key_path()

    with Anvil() as anvil:
        w3 = connect(anvil.rpc_url)
        election = open_election(w3, args.voters_per_district, folder)
        figures["gasRegistration"] = election.registration_gas
        with Prover(parallel=1) as prover:
            sample = [(v, 0) for v in election.voters[:6]]
            _, seconds = timed(lambda: prepare_ballots(election.contract, sample, prover))
            figures["proofSecondsOneProcess"] = round(seconds / len(sample), 3)
        with Prover(parallel=2) as prover:
            votes = [(v, 0) for v in election.voters]
            bodies, seconds = timed(lambda: prepare_ballots(election.contract, votes, prover))
            figures["proofSecondsPerBallotTwoProcesses"] = round(seconds / len(votes), 3)

        vk = VerifyingKey.load(key)
        pairs = [
            (Proof.from_packed([int(x) for x in b["proof"]]), [int(x) for x in b["publicSignals"]])
            for b in bodies
        ]
        singles = [timed(lambda p=p, s=s: verify(vk, p, s))[1] for p, s in pairs[:30]]
        figures["offchainVerifyMs"] = round(statistics.median(singles) * 1000, 2)
        ok, seconds = timed(lambda: batch_verify(vk, pairs))
        assert ok
        figures["batchVerifyMsPerProof"] = round(seconds * 1000 / len(pairs), 3)

        process, url = start_relayer(anvil.rpc_url, folder / "relayer.sqlite3")
        try:
            with httpx.Client() as client:
                receipts = [
                    wait_for_inclusion(client, url, send_ballot(client, url, body))
                    for body in bodies
                ]
        finally:
            process.terminate()
            process.wait(10)
        gas = [w3.eth.get_transaction_receipt(r["transactionHash"])["gasUsed"] for r in receipts]
        figures["gasPerBallot"] = {"median": int(statistics.median(gas)), "max": max(gas)}

        time_travel(w3, election.contract.calendar().appeals_end - latest_timestamp(w3))
        definition = load(folder / "definition.toml")
        result, seconds = timed(lambda: recount(w3, election.contract.address, definition, key))
        figures["recount"] = {
            "ballots": len(bodies),
            "seconds": round(seconds, 2),
            "verified": result.verified,
        }

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "election.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()

"""Load on the relayer: many concurrent voters with pre-made proofs, on anvil.

Reports sustained ballots per second (accepted, and included on chain) and latency percentiles
(until the 202, and until the ballot is in a block), then writes `out/bench/relayer.json`.

    .venv/bin/python bench/bench_relayer.py [--voters-per-district 100] [--clients 16]
"""

import argparse
import json
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from common import OUT, open_election, percentile, start_relayer

from veche.chain.anvil import Anvil
from veche.chain.client import connect
from veche.crypto.prover import Prover
from veche.voter import prepare_ballots, send_ballot, wait_for_inclusion


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--voters-per-district", type=int, default=100)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    folder = OUT / "relayer-run"
    shutil.rmtree(folder, ignore_errors=True)
    with Anvil() as anvil:
        w3 = connect(anvil.rpc_url)
        election = open_election(w3, args.voters_per_district, folder)
        with Prover(parallel=2) as prover:
            started = time.perf_counter()
            bodies = prepare_ballots(election.contract, [(v, 0) for v in election.voters], prover)
            proving = time.perf_counter() - started
        process, url = start_relayer(anvil.rpc_url, folder / "relayer.sqlite3")
        accept_latency: list[float] = []
        include_latency: list[float] = []
        try:
            with httpx.Client(limits=httpx.Limits(max_connections=args.clients)) as client:

                def vote(body: dict[str, Any]) -> None:
                    begun = time.perf_counter()
                    accepted = send_ballot(client, url, body)
                    accept_latency.append(time.perf_counter() - begun)
                    wait_for_inclusion(client, url, accepted, timeout=300, poll=0.25)
                    include_latency.append(time.perf_counter() - begun)

                started = time.perf_counter()
                with ThreadPoolExecutor(args.clients) as pool:
                    list(pool.map(vote, bodies))
                elapsed = time.perf_counter() - started
        finally:
            process.terminate()
            process.wait(10)
    figures = {
        "ballots": len(bodies),
        "clients": args.clients,
        "proofSecondsPerBallotTwoProcesses": round(proving / len(bodies), 3),
        "ballotsPerSecondIncluded": round(len(bodies) / elapsed, 1),
        "acceptLatencyMs": {
            p: round(percentile(accept_latency, q) * 1000) for p, q in _PERCENTILES.items()
        },
        "inclusionLatencyMs": {
            p: round(percentile(include_latency, q) * 1000) for p, q in _PERCENTILES.items()
        },
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "relayer.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


_PERCENTILES = {"p50": 0.50, "p90": 0.90, "p99": 0.99}

if __name__ == "__main__":
    main()

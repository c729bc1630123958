"""Gas per ballot and per registered voter on anvil with real proofs, and what a million costs.

    python bench/gas.py                      # writes out/bench/gas.json
    python bench/gas.py --batch 64           # ballots per castBallots batch (>= 32)

Measured: `castBallot` (single, first ballot of a nullifier), `castBallots` (one batch of
`--batch` first ballots, all proofs real and distinct), and `addMembers` in batches of 100.
The cost model then prices 1,000,000 registered voters and 1,100,000 ballots (every ballot
priced as a first ballot, an upper bound: a re-vote overwrites its slot and costs about 17,000
gas less) on each chain in `CHAINS`, whose capacities and prices are published figures with
their dates, or stated assumptions where the JSON says so. Gas of the L1 data fee that rollups
add is not in the model.
"""

import argparse
import json
import shutil
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import OUT, open_election

from veche.chain.anvil import Anvil
from veche.chain.client import connect, dev_accounts
from veche.chain.election import BallotInput
from veche.crypto.prover import Prover
from veche.voter import prepare_ballots

VOTERS = 1_000_000
BALLOTS = 1_100_000
EIP_7825_CAP = 16_777_216


@dataclass(frozen=True)
class Chain:
    name: str
    gas_per_second: float
    """Sustained capacity used for "hours of the chain": the gas target, not the burst limit."""
    capacity_source: str
    gas_price_gwei: float
    price_source: str
    native_token_usd: float
    """Stated assumption, to turn the fee into dollars."""


CHAINS = (
    Chain(
        "Ethereum",
        30_000_000 / 12,
        "gas limit 60M a block since Nov 2025, target half (30M) every 12 s (EIP-1559)",
        1.0,
        "assumption: 1 gwei, a typical base fee of late 2025",
        3000.0,
    ),
    Chain(
        "Arbitrum One",
        7_000_000,
        "about 7M gas/s sustained (docs/TOOLCHAIN figures for 2025-26)",
        0.02,
        "price floor 0.02 gwei (TOOLCHAIN figures for 2025-26); L1 data fee extra",
        3000.0,
    ),
    Chain(
        "Base",
        25_000_000,
        "gas target 25 Mgas/s, limit 75 Mgas/s (elasticity 3) since 2025-06-19 (Base "
        "engineering blog; growthepie); limit to double to 150 Mgas/s in Q4 2025",
        0.01,
        "assumption: 0.01 gwei (median fees near $0.0005 reported Dec 2025); L1 data fee extra",
        3000.0,
    ),
    Chain(
        "OP Mainnet",
        2_500_000,
        "assumption: 30M gas every 2 s with OP Stack elasticity 6 (Fjord, 2024) gives a 2.5 "
        "Mgas/s target; not checked against a 2026 source",
        0.01,
        "assumption: 0.01 gwei; L1 data fee extra",
        3000.0,
    ),
    Chain(
        "Gnosis",
        30_000_000 / 5 / 2,
        "assumption: 30M gas a block every 5 s, target half (about 21 ballots/s at 284k gas, "
        "docs/TOOLCHAIN)",
        1.0,
        "assumption: 1 gwei, paid in xDAI",
        1.0,
    ),
)


def measure(batch: int) -> dict[str, Any]:
    folder = OUT / "gas-run"
    shutil.rmtree(folder, ignore_errors=True)
    with Anvil(gas_limit=60_000_000) as anvil:
        w3 = connect(anvil.rpc_url)
        started = time.perf_counter()
        election = open_election(w3, 100, folder)  # one batch of 100 per district
        contract = election.contract
        relayer = dev_accounts(4)[3]
        count = batch + 4
        voters = election.voters[:count]
        print(f"proving {count} ballots...", file=sys.stderr)
        with Prover(parallel=2) as prover:
            bodies = prepare_ballots(contract, [(v, 0) for v in voters], prover)
        print(f"proved in {time.perf_counter() - started:.0f} s", file=sys.stderr)

        singles = []
        for body in bodies[:4]:
            receipt = contract.cast_ballot(
                relayer,
                body["district"],
                int(body["publicSignals"][0]),
                int(body["publicSignals"][1]),
                body["choice"],
                body["revision"],
                [int(x) for x in body["proof"]],
            )
            singles.append(int(receipt["gasUsed"]))
        inputs = [
            BallotInput(
                district=body["district"],
                choice=body["choice"],
                revision=body["revision"],
                merkle_root=int(body["publicSignals"][0]),
                nullifier=int(body["publicSignals"][1]),
                proof=tuple(int(x) for x in body["proof"]),
            )
            for body in bodies[4:]
        ]
        batch_receipt = contract.cast_ballots(relayer, inputs)
        batch_gas = int(batch_receipt["gasUsed"])
        assert contract.ballot_count() == count
        per_member = election.registration_gas["perMemberInBatchOf100"]
    return {
        "gas_per_ballot_single": int(statistics.median(singles)),
        "gas_per_ballot_batched": round(batch_gas / batch),
        "gas_per_ballot_cheap": None,
        "gas_per_registration_batched": per_member,
        "batch": {
            "ballots": batch,
            "gasUsed": batch_gas,
            "districtsMixed": len({b.district for b in inputs}),
            "maxBallotsPerBatch": contract.max_ballots_per_batch(),
        },
        "notes": [
            "All proofs are real and distinct (one identity each), made with the committed "
            "DEV keys; every ballot is the first of its nullifier.",
            "gas_per_ballot_cheap is null: the recorded (cheap) ballot mode is not built yet.",
            "gas_per_registration_batched: addMembers with 100 members into an empty register "
            "(the demo's districts), per member: the dedup tag's record (which also locates the "
            "leaf for recovery), about one Poseidon hash, the MemberAdded log and calldata; no "
            "per-commitment record (docs/PROTOCOL.md, Registers).",
        ],
    }


def cost_model(figures: dict[str, Any]) -> dict[str, Any]:
    registration = figures["gas_per_registration_batched"] * VOTERS
    modes = {
        "single": figures["gas_per_ballot_single"],
        "batched": figures["gas_per_ballot_batched"],
    }
    table: dict[str, Any] = {}
    for mode, per_ballot in modes.items():
        ballots = per_ballot * BALLOTS
        total = registration + ballots
        table[mode] = {
            "gasBallots": ballots,
            "gasRegistration": registration,
            "gasTotal": total,
            "chains": {
                chain.name: {
                    "hoursOfCapacityBallots": round(ballots / chain.gas_per_second / 3600, 2),
                    "hoursOfCapacityTotal": round(total / chain.gas_per_second / 3600, 2),
                    "feeNativeTotal": round(total * chain.gas_price_gwei * 1e-9, 2),
                    "feeUsdTotal": round(
                        total * chain.gas_price_gwei * 1e-9 * chain.native_token_usd
                    ),
                }
                for chain in CHAINS
            },
        }
    return {
        "voters": VOTERS,
        "ballots": BALLOTS,
        "modes": table,
        "chains": [asdict(chain) for chain in CHAINS],
    }


def markdown(model: dict[str, Any]) -> str:
    lines = [
        "| chain | mode | total gas | hours of the chain's capacity (ballots / all) | fee |",
        "| --- | --- | ---: | ---: | ---: |",
    ]
    for mode, row in model["modes"].items():
        for name, cost in row["chains"].items():
            lines.append(
                f"| {name} | {mode} | {row['gasTotal'] / 1e9:,.1f} G | "
                f"{cost['hoursOfCapacityBallots']:,} / {cost['hoursOfCapacityTotal']:,} | "
                f"{cost['feeNativeTotal']:,} native (${cost['feeUsdTotal']:,}) |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch", type=int, default=64, help="ballots per batch (default 64)")
    args = parser.parse_args()
    if args.batch < 1:
        raise SystemExit("error: --batch must be at least 1")
    figures = measure(args.batch)
    figures["costModel"] = cost_model(figures)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "gas.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps({k: v for k, v in figures.items() if k != "costModel"}, indent=2))
    print(markdown(figures["costModel"]))


if __name__ == "__main__":
    main()

"""Gas per ballot in both ballot modes and per registered voter, on anvil with real proofs, and
what a million costs per chain.

    nice -n 19 .venv/bin/python bench/gas.py                 # writes out/bench/gas.json
    nice -n 19 .venv/bin/python bench/gas.py --batches 32,64,128 --records 32,64,128,256

The ballots are the cached pool of `bench/ballot_pool.py` (real, distinct proofs of registered
voters, one in each demo district in turn; made once, about 3 minutes of two cores for 256, and
resumed if interrupted), replayed on fresh anvils at the pool's election address, once per mode:

- verified: `castBallot` (single, first ballot of a nullifier) and `castBallots` in batches of
  each `--batches` size, every ballot distinct and the first of its nullifier;
- recorded: `recordBallots` in batches of each `--records` size (the same kind of ballots), and
  one `challengeBallot` of an invalid record in a batch of 32.

anvil runs its latest hardfork, so EIP-7623's calldata floor (10/40 gas per zero/non-zero byte
when a transaction is mostly data) is in the gas used; the JSON says for each recorded batch
whether the floor was what it paid. Registration: `addMembers` in batches of 100 (another
fresh anvil, `bench/common.open_election`). The cost model then prices 1,000,000 registered
voters and 1,100,000 ballots (every ballot priced as a first ballot) on each chain in `CHAINS`,
whose capacities and prices are published figures with their dates, or stated assumptions where
the JSON says so. The L1 data fee that rollups add is not in the model (it matters most for the
recorded mode, whose ballots are mostly call data).
"""

import argparse
import json
import shutil
import statistics
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ballot_pool import POOL, build, load_pool
from bench_relayer import build_election
from common import OUT, open_election
from gas_encrypted import measure_encrypted

from veche.chain.anvil import Anvil
from veche.chain.client import connect, dev_accounts
from veche.chain.election import BallotInput, ElectionContract
from veche.protocol import BallotMode, BallotRecord

VOTERS = 1_000_000
BALLOTS = 1_100_000
EIP_7825_CAP = 16_777_216
SINGLES = 4


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


def _inputs(bodies: list[dict[str, Any]]) -> list[BallotInput]:
    return [
        BallotInput(
            district=body["district"],
            choice=body["choice"],
            revision=body["revision"],
            merkle_root=int(body["publicSignals"][0]),
            nullifier=int(body["publicSignals"][1]),
            proof=tuple(int(x) for x in body["proof"]),
        )
        for body in bodies
    ]


def _record(ballot: BallotInput) -> BallotRecord:
    return BallotRecord(
        ballot.nullifier, ballot.proof, ballot.district, ballot.choice, ballot.revision
    )


def _calldata(election: ElectionContract, tx_hash: Any) -> dict[str, int]:
    """A transaction's call data: its bytes, and its gas at EIP-2028's price and EIP-7623's
    floor (both with the 21,000 base)."""
    data = bytes(election.w3.eth.get_transaction(tx_hash)["input"])
    zero = data.count(0)
    nonzero = len(data) - zero
    return {
        "bytes": len(data),
        "zeroBytes": zero,
        "standardGas": 21_000 + 4 * zero + 16 * nonzero,
        "floorGas": 21_000 + 10 * zero + 40 * nonzero,
    }


def _chain(folder: Path, mode: BallotMode, meta: dict[str, Any]) -> tuple[Anvil, ElectionContract]:
    anvil = Anvil(gas_limit=60_000_000).start()
    election = build_election(connect(anvil.rpc_url), meta, folder / mode.value, mode)
    return anvil, election


def measure_verified(
    bodies: list[dict[str, Any]], sizes: list[int], meta: dict[str, Any], folder: Path
) -> dict[str, Any]:
    ballots = _inputs(bodies)
    relayer = dev_accounts(4)[3]
    anvil, election = _chain(folder, BallotMode.VERIFIED, meta)
    try:
        singles = [
            int(
                election.cast_ballot(
                    relayer, b.district, b.merkle_root, b.nullifier, b.choice, b.revision, b.proof
                )["gasUsed"]
            )
            for b in ballots[:SINGLES]
        ]
        by_size: dict[str, Any] = {}
        at = SINGLES
        for size in sizes:
            batch = ballots[at : at + size]
            at += size
            receipt = election.cast_ballots(relayer, batch)
            by_size[str(size)] = {
                "gasUsed": int(receipt["gasUsed"]),
                "perBallot": round(int(receipt["gasUsed"]) / size),
                "districtsMixed": len({b.district for b in batch}),
                "calldata": _calldata(election, receipt["transactionHash"]),
            }
            print(f"verified: batch of {size}: {by_size[str(size)]['perBallot']:,} gas a ballot")
        assert election.ballot_count() == at
    finally:
        anvil.stop()
    return {"single": int(statistics.median(singles)), "singles": singles, "batches": by_size}


def measure_recorded(
    bodies: list[dict[str, Any]], sizes: list[int], meta: dict[str, Any], folder: Path
) -> dict[str, Any]:
    ballots = _inputs(bodies)
    organizer, relayer, challenger = dev_accounts(4)[0], dev_accounts(4)[3], dev_accounts(4)[2]
    anvil, election = _chain(folder, BallotMode.RECORDED, meta)
    try:
        election.authorize_relayer(organizer, relayer.address)
        by_size: dict[str, Any] = {}
        for size in sizes:
            # Ballots are reused across sizes: the contract keeps no per-voter state here.
            batch = [_record(b) for b in ballots[:size]]
            receipt = election.record_ballots(relayer, batch)
            used = int(receipt["gasUsed"])
            calldata = _calldata(election, receipt["transactionHash"])
            by_size[str(size)] = {
                "gasUsed": used,
                "perBallot": round(used / size),
                "calldata": calldata,
                "paidTheFloor": used == calldata["floorGas"],
            }
            print(f"recorded: batch of {size}: {by_size[str(size)]['perBallot']:,} gas a ballot")
        # One invalid record (another ballot's proof) in a batch of 32, challenged.
        batch = [_record(b) for b in ballots[:32]]
        batch[5] = replace(batch[5], proof=batch[6].proof)
        election.record_ballots(relayer, batch)
        posted = election.recorded_batches()[-1]
        challenge = election.challenge_ballot(challenger, posted, 5)
        single = ballots[0]
        direct = election.cast_ballot(
            challenger,
            single.district,
            single.merkle_root,
            single.nullifier,
            single.choice,
            single.revision,
            single.proof,
        )
    finally:
        anvil.stop()
    return {
        "batches": by_size,
        "challengeInvalidInBatchOf32": int(challenge["gasUsed"]),
        "verifiedSingleInRecordedMode": int(direct["gasUsed"]),
    }


def measure(batches: list[int], records: list[int], pool: int) -> dict[str, Any]:
    folder = OUT / "gas-run"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    meta_file = POOL / "meta.json"
    made = json.loads(meta_file.read_text())["ballots"] if meta_file.is_file() else 0
    if made < pool:
        # Makes (or resumes) a pool of `pool`; a larger pool (bench_relayer's) is used as it
        # is, its first ballots taken, never replaced.
        build(pool, 2)
    bodies = load_pool(pool)
    meta = json.loads(meta_file.read_text())
    verified = measure_verified(bodies, batches, meta, folder)
    recorded = measure_recorded(bodies, records, meta, folder)
    encrypted = encrypted_figures(batches, records)
    with Anvil(gas_limit=60_000_000) as anvil:
        election = open_election(connect(anvil.rpc_url), 100, folder / "registration")
        per_member = election.registration_gas["perMemberInBatchOf100"]
    target = "32" if "32" in verified["batches"] else str(batches[0])
    largest = str(max(records))
    return {
        "gas_per_ballot_single": verified["single"],
        "gas_per_ballot_batched": verified["batches"][target]["perBallot"],
        "gas_per_ballot_cheap": recorded["batches"][largest]["perBallot"],
        "gas_per_registration_batched": per_member,
        "batchedBallots": target,
        "cheapBallots": largest,
        "gas_per_ballot_batched_by_size": {
            size: row["perBallot"] for size, row in verified["batches"].items()
        },
        "gas_per_ballot_cheap_by_size": {
            size: row["perBallot"] for size, row in recorded["batches"].items()
        },
        "verified": verified,
        "recorded": recorded,
        **encrypted,
        "seconds": round(time.perf_counter() - started),
        "notes": [
            "All proofs are real and distinct (one registered voter each), from the cached pool "
            "of bench/ballot_pool.py made with the committed DEV keys; every verified ballot is "
            "the first of its nullifier; batches mix the demo's districts in turn.",
            "gas_per_ballot_batched is castBallots at batchedBallots ballots a batch; "
            "gas_per_ballot_cheap is recordBallots at cheapBallots records a batch (the "
            "recorded mode: no proof verified on chain, every recount verifies them).",
            "anvil runs its latest hardfork: EIP-7623's calldata floor is in gasUsed; "
            "paidTheFloor says whether a recorded batch paid the floor rather than execution.",
            "gas_per_registration_batched: addMembers with 100 members into an empty register "
            "(the demo's districts), per member: the dedup tag's record (which also locates the "
            "leaf for recovery), about one Poseidon hash, the MemberAdded log and calldata; no "
            "per-commitment record (docs/PROTOCOL.md, Registers).",
        ],
    }


def encrypted_figures(batches: list[int], records: list[int]) -> dict[str, Any]:
    """The encrypted ballot's gas beside the plain one's (`bench/gas_encrypted.py`)."""
    encrypted = measure_encrypted(batches, records)
    verified, recorded = encrypted["verified"]["batches"], encrypted["recorded"]["batches"]
    target = "32" if "32" in verified else str(batches[0])
    return {
        "gas_per_encrypted_ballot_single": encrypted["single"],
        "gas_per_encrypted_ballot_batched": verified[target]["perBallot"],
        "gas_per_encrypted_ballot_cheap": recorded[str(max(records))]["perBallot"],
        "gas_per_encrypted_ballot_batched_by_size": {
            size: row["perBallot"] for size, row in verified.items()
        },
        "gas_per_encrypted_ballot_cheap_by_size": {
            size: row["perBallot"] for size, row in recorded.items()
        },
        "encrypted": encrypted,
    }


def cost_model(figures: dict[str, Any]) -> dict[str, Any]:
    registration = figures["gas_per_registration_batched"] * VOTERS
    modes = {
        "single": figures["gas_per_ballot_single"],
        "batched": figures["gas_per_ballot_batched"],
        "recorded": figures["gas_per_ballot_cheap"],
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


def _sizes(text: str, most: int) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise SystemExit(f"error: sizes are comma-separated integers, got {text!r}") from None
    if not sizes or any(not 1 <= size <= most for size in sizes):
        raise SystemExit(f"error: every size must be from 1 to {most}, got {text!r}")
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--batches", default="32,64,128", help="castBallots sizes (default 32,64,128)"
    )
    parser.add_argument(
        "--records", default="32,64,128,256", help="recordBallots sizes (default 32,64,128,256)"
    )
    parser.add_argument(
        "--encrypted-only",
        action="store_true",
        help="measure only the encrypted ballots, added to the gas.json of an earlier run",
    )
    args = parser.parse_args()
    batches = _sizes(args.batches, 128)
    records = _sizes(args.records, 256)
    if args.encrypted_only:
        # Added to the plain figures of an earlier full run, if there is one.
        path = OUT / "gas.json"
        earlier = json.loads(path.read_text()) if path.is_file() else {}
        figures = earlier | encrypted_figures(batches, records)
        OUT.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(figures, indent=2) + "\n")
        print(json.dumps({k: v for k, v in figures.items() if "encrypted" in k}, indent=2))
        return
    pool = max(256, SINGLES + sum(batches), max(records))
    figures = measure(batches, records, pool)
    figures["costModel"] = cost_model(figures)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "gas.json").write_text(json.dumps(figures, indent=2) + "\n")
    shown = ("verified", "recorded", "costModel")
    print(json.dumps({k: v for k, v in figures.items() if k not in shown}, indent=2))
    print(markdown(figures["costModel"]))


if __name__ == "__main__":
    main()

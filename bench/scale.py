"""The scale benchmark: a real election on anvil, read back by the real `veche recount`.

    python bench/scale.py --voters 1000000 --districts 50 --pool 2000

Builds (once; the chain is saved with anvil's `--dump-state` and reloaded on the next run) an
election whose districts are skewed like a diaspora (a few very large, a long tail of small
ones), registers `--voters` commitments, makes a pool of `--pool` distinct real Groth16 ballots
of the real circuit against the real registers (cached with the chain), puts the ballots on the
chain, then measures the recount over JSON-RPC (every ballot record's proof verified, no
memoising), the register snapshots and the per-proof verification cost beside snarkjs. Writes
out/bench/scale.json and prints a table.

What the figures rest on, said in the JSON too:
- registered commitments other than the pool's voters are random field elements (a commitment
  is a Poseidon hash: nobody, the recount included, can tell them apart), so that a million
  voters do not need a million identities;
- until the contract has a cheap "recorded" ballot mode, every ballot on the chain is a
  verified `castBallot`, and a pool proof can be cast once: ballots on chain are at most the
  pool. The per-proof verification cost at a million is measured on the pool's proofs checked
  again and again (each check is a full parse and check: nothing is memoised), and the
  extrapolation is labelled as such.
"""

import argparse
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3 import Web3

from veche.chain.anvil import Anvil, latest_timestamp, time_travel
from veche.chain.client import connect, dev_accounts, wait_for_receipt
from veche.chain.deploy import deploy_from_definition
from veche.chain.election import MEMBERS_PER_BATCH, ElectionContract, RegistrarGrant
from veche.chain.paths import REPO_ROOT
from veche.chain.rpc import Rpc
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.groth16 import Proof, VerifyingKey, find_invalid, parse_packed
from veche.crypto.hashing import public_signals, semaphore_hash
from veche.crypto.identity import Identity
from veche.crypto.imt_parallel import build_registers
from veche.crypto.prover import Prover
from veche.definition import load
from veche.definition.retime import starting_at
from veche.keys import verification_key_path
from veche.recount.progress import Progress
from veche.recount.verify import invalid_positions
from veche.voter import ballot_input

OUT = REPO_ROOT / "out" / "bench"
SEED = b"veche scale bench"
DAY = 86_400
BALLOT_GAS = 600_000


def skewed_sizes(voters: int, districts: int) -> list[int]:
    """District sizes like a diaspora's: Zipf-like (a few of 100,000+ at a million, a long
    tail of small ones), each at least 20 and at most the register's 2^20."""
    weights = [1 / (rank**1.1) for rank in range(1, districts + 1)]
    total = sum(weights)
    sizes = [max(20, int(voters * w / total)) for w in weights]
    sizes[0] += voters - sum(sizes)
    if sizes[0] > 2**20:
        raise SystemExit(f"the largest district would hold {sizes[0]} voters, beyond 2^20")
    return sizes


def definition_text(districts: int) -> str:
    lines = [
        'title = "Veche scale benchmark"',
        'method = "dhondt"',
        "threshold_percent = 5",
        'tie_break = "more-votes-then-ballot-order"',
        "",
        "[calendar]",
        "registration_start = 2027-01-10T00:00:00Z",
        "registration_end   = 2027-01-20T00:00:00Z",
        "voting_start       = 2027-01-21T00:00:00Z",
        "voting_end         = 2027-01-24T00:00:00Z",
        "appeals_end        = 2027-01-31T00:00:00Z",
        "result             = 2027-02-01T12:00:00Z",
    ]
    for number in range(districts):
        lines += [
            "",
            "[[districts]]",
            f'id = "d{number:02d}"',
            f'name = "District {number}"',
            "seats = 3",
            "min_registered = 10",
        ]
        for party in ("Alpha", "Beta", "Gamma"):
            lines += [
                "",
                "  [[districts.lists]]",
                f'  name = "{party}"',
                "  candidates = ["
                + ", ".join(f'"{party} {number} {seat}"' for seat in "ABC")
                + "]",
            ]
    return "\n".join(lines) + "\n"


def _random_commitments(count: int, salt: bytes) -> list[int]:
    out = []
    counter = 0
    while len(out) < count:
        value = int.from_bytes(keccak(SEED + salt + counter.to_bytes(8, "big")), "big")
        counter += 1
        if 0 < value < SNARK_SCALAR_FIELD:
            out.append(value)
    return out


def _tags(commitments: list[int]) -> list[bytes]:
    return [bytes(keccak(b"veche scale person " + c.to_bytes(32, "big"))) for c in commitments]


def _send_all(w3: Web3, account: LocalAccount, calls: list[Any], gas: int, bar: Any) -> None:
    """Signs and sends `calls` back to back with explicit nonces (anvil mines each at once),
    then checks every receipt."""
    nonce = w3.eth.get_transaction_count(account.address, "pending")
    chain_id = w3.eth.chain_id
    fee = int(w3.eth.gas_price * 2) + 1
    hashes = []
    for offset, call in enumerate(calls):
        tx = call.build_transaction(
            {"from": account.address, "nonce": nonce + offset, "gas": gas, "chainId": chain_id,
             "maxFeePerGas": fee, "maxPriorityFeePerGas": 1}
        )  # fmt: skip
        hashes.append(w3.eth.send_raw_transaction(account.sign_transaction(tx).raw_transaction))
        bar.update(1)
    for tx_hash in hashes:
        wait_for_receipt(w3, tx_hash, call.contract_abi if calls else [])


def build(anvil: Anvil, folder: Path, args: argparse.Namespace, progress: Progress) -> dict:
    """Deploys, registers, proves the pool and casts the ballots; returns what a later run
    needs to find them again."""
    w3 = connect(anvil.rpc_url)
    organizer, registrar, sender = dev_accounts(3)
    sizes = skewed_sizes(args.voters, args.districts)
    template = definition_text(args.districts)
    definition_file = folder / "definition.toml"
    definition_file.write_text(starting_at(template, latest_timestamp(w3), hour=7 * DAY))
    definition = load(definition_file)
    grants = [RegistrarGrant(registrar.address, d, size) for d, size in enumerate(sizes)]
    election = deploy_from_definition(w3, organizer, definition, registrars=grants)

    rng = random.Random(SEED)
    pool_districts = [
        rng.choices(range(args.districts), weights=sizes)[0] for _ in range(args.pool)
    ]
    for d in range(min(args.districts, args.pool)):
        pool_districts[d] = d  # every district gets at least one real ballot
    identities = [
        Identity(keccak(SEED + b"identity" + i.to_bytes(4, "big"))) for i in range(args.pool)
    ]
    registers: list[list[int]] = []
    for d, size in enumerate(sizes):
        own = [identities[i].commitment for i in range(args.pool) if pool_districts[i] == d]
        leaves = _random_commitments(size - len(own), d.to_bytes(4, "big")) + own
        rng.shuffle(leaves)
        registers.append(leaves)
    calls = [
        election.contract.functions.addMembers(d, leaves[s : s + MEMBERS_PER_BATCH],
                                               _tags(leaves[s : s + MEMBERS_PER_BATCH]))
        for d, leaves in enumerate(registers)
        for s in range(0, len(leaves), MEMBERS_PER_BATCH)
    ]  # fmt: skip
    with progress.stage("registering", len(calls), "batches") as bar:
        _send_all(w3, registrar, calls, 15_000_000, bar)
    time_travel(w3, election.calendar().voting_start - latest_timestamp(w3))

    trees = build_registers(registers)
    scope = election.scope()
    pool = _pool(folder, election, trees, identities, pool_districts, scope, args, progress)
    count = min(args.ballots, len(pool))
    ballots = [
        election.contract.functions.castBallot(
            b["district"], b["root"], b["nullifier"], b["choice"], b["revision"], b["packed"]
        )
        for b in pool[:count]
    ]
    with progress.stage("casting ballots", len(ballots), "ballots") as bar:
        _send_all(w3, sender, ballots, BALLOT_GAS, bar)
    return {
        "election": election.address,
        "deployment_block": Rpc(anvil.rpc_url).deployment_block(
            election.address, w3.eth.block_number
        ),
        "definition": str(definition_file),
        "sizes": sizes,
        "ballots": count,
    }


def _pool(
    folder: Path,
    election: ElectionContract,
    trees: list[Any],
    identities: list[Identity],
    districts: list[int],
    scope: int,
    args: argparse.Namespace,
    progress: Progress,
) -> list[dict[str, Any]]:
    """The pool of real ballots, one per pool identity, from the cache if it was made for
    these registers and this election."""
    key = hashlib.sha256(
        json.dumps([election.address, scope, [t.root for t in trees], len(identities)]).encode()
    ).hexdigest()
    cache = folder / "pool.json"
    if cache.exists():
        cached = json.loads(cache.read_text())
        if cached.get("key") == key:
            return [_ints(b) for b in cached["ballots"]]
    rng = random.Random(SEED + b"choices")
    plans = [
        (identity, d, rng.randrange(3)) for identity, d in zip(identities, districts, strict=True)
    ]
    inputs = [
        ballot_input(trees[d], scope, identity, d, choice, 1) for identity, d, choice in plans
    ]
    proofs: list[dict[str, Any]] = []
    with (
        Prover(parallel=os.cpu_count() or 1) as prover,
        progress.stage("proving the pool", len(inputs), "proofs") as bar,
    ):
        for start in range(0, len(inputs), 16):
            proofs += prover.prove_many(inputs[start : start + 16])
            bar.update(len(inputs[start : start + 16]))
    scope_signal = semaphore_hash(scope)
    ballots = []
    for (identity, d, choice), proved in zip(plans, proofs, strict=True):
        ballots.append(
            {
                "district": d,
                "root": trees[d].root,
                "nullifier": identity.nullifier(scope_signal),
                "choice": choice,
                "revision": 1,
                "packed": Proof.from_snarkjs(proved["proof"]).packed(),
            }
        )
    cache.write_text(json.dumps({"key": key, "ballots": [_strs(b) for b in ballots]}))
    return ballots


def _strs(ballot: dict[str, Any]) -> dict[str, Any]:
    return {k: [str(x) for x in v] if isinstance(v, list) else str(v) for k, v in ballot.items()}


def _ints(ballot: dict[str, Any]) -> dict[str, Any]:
    return {k: [int(x) for x in v] if isinstance(v, list) else int(v) for k, v in ballot.items()}


def run_cli(*args: str) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """Runs `veche ...` as a user would; its wall time and peak memory (bytes)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "veche.cli.main", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return subprocess.CompletedProcess(process.args, process.returncode, out, err), seconds, peak


def verification_costs(pool: list[dict[str, Any]], scope: int, records: int) -> dict[str, float]:
    """Seconds a proof: ours (parse and batch check, one process, every record checked
    anew) and snarkjs `groth16.verify` in one node process, on the same proofs."""
    items = []
    for b in pool:
        signals = public_signals(b["root"], b["nullifier"], b["choice"], b["revision"], scope,
                                 b["district"])  # fmt: skip
        items.append((b["packed"], signals))
    stream = [items[i % len(items)] for i in range(records)]
    started = time.process_time()
    bad = invalid_positions(verification_key_path(), stream, workers=1)
    ours = (time.process_time() - started) / len(stream)
    if bad:
        raise SystemExit(f"{len(bad)} pool proofs do not verify")
    # The two halves of that cost: parsing (curve and subgroup checks) and the batched check.
    started = time.process_time()
    parsed = [(parse_packed(packed), signals) for packed, signals in stream]
    parse = (time.process_time() - started) / len(stream)
    started = time.process_time()
    find_invalid(VerifyingKey.load(verification_key_path()), parsed)
    check = (time.process_time() - started) / len(stream)
    sample = [
        {"proof": Proof.from_packed(p).to_snarkjs(), "publicSignals": [str(s) for s in sig]}
        for p, sig in items[:20]
    ]
    script = (
        "const s=require('snarkjs');const fs=require('fs');"
        "const [vk,ps]=[JSON.parse(fs.readFileSync(process.argv[1])),"
        "JSON.parse(fs.readFileSync(0))];(async()=>{let ok=0;const t=process.hrtime.bigint();"
        "for(const p of ps){if(await s.groth16.verify(vk,p.publicSignals,p.proof))ok++}"
        "const d=Number(process.hrtime.bigint()-t)/1e9;console.log(JSON.stringify({ok,d}));"
        "process.exit(0)})()"
    )
    answer = subprocess.run(
        ["node", "-e", script, str(verification_key_path())],
        input=json.dumps(sample), capture_output=True, text=True, cwd=REPO_ROOT, check=True,
    )  # fmt: skip
    measured = json.loads(answer.stdout.strip().splitlines()[-1])
    if measured["ok"] != len(sample):
        raise SystemExit("snarkjs refused pool proofs")
    snarkjs = measured["d"] / len(sample)
    return {"ours": ours, "parse": parse, "check": check, "snarkjs": snarkjs,
            "ratio": snarkjs / ours}  # fmt: skip


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--voters", type=int, default=1_000_000)
    parser.add_argument("--districts", type=int, default=50)
    parser.add_argument("--pool", type=int, default=2_000, help="distinct real proofs")
    parser.add_argument("--ballots", type=int, help="ballot records (default voters + 10%%)")
    parser.add_argument(
        "--verify-records",
        type=int,
        default=20_000,
        help="records checked for the per-proof cost (pool proofs, each anew)",
    )
    parser.add_argument("--out", default=str(OUT / "scale.json"))
    parser.add_argument("--state", help="folder of the saved chain (default under out/bench)")
    args = parser.parse_args(argv)
    args.ballots = args.ballots if args.ballots is not None else args.voters * 11 // 10
    progress = Progress()
    folder = Path(args.state or OUT / f"scale-{args.voters}-{args.districts}-{args.pool}")
    folder.mkdir(parents=True, exist_ok=True)
    state, meta_file = folder / "chain.json", folder / "meta.json"
    cached = meta_file.exists() and state.exists()
    with Anvil(gas_limit=1_000_000_000, startup_timeout=600, extra_args=[
        *(["--load-state", str(state)] if cached else []), "--dump-state", str(state),
    ]) as anvil:  # fmt: skip
        if cached:
            meta = json.loads(meta_file.read_text())
        else:
            started = time.perf_counter()
            meta = build(anvil, folder, args, progress)
            meta["build_seconds"] = time.perf_counter() - started
            meta_file.write_text(json.dumps(meta))
        election, definition = meta["election"], meta["definition"]
        common = ["--rpc", anvil.rpc_url, "--election", election]
        common += ["--from-block", str(meta["deployment_block"])]  # a saved chain keeps no history
        run, recount_seconds, peak = run_cli("recount", *common, "--definition", definition,
                                             "--json", "-")  # fmt: skip
        if run.returncode != 0:
            raise SystemExit(f"the recount failed: {run.stderr.strip()[-500:]}")
        record = json.loads(run.stdout)
        snapshots = folder / "snapshots"
        snap, snapshot_seconds, _ = run_cli("register", "snapshot", *common, "--definition",
                                            definition, "--out", str(snapshots))  # fmt: skip
        if snap.returncode != 0:
            raise SystemExit(f"the snapshot failed: {snap.stderr.strip()[-500:]}")
        w3 = connect(anvil.rpc_url)
        scope = ElectionContract(w3, election).scope()
    pool = [_ints(b) for b in json.loads((folder / "pool.json").read_text())["ballots"]]
    costs = verification_costs(pool, scope, args.verify_records)
    index = json.loads((snapshots / "index.json").read_text())
    stages = record["stageSeconds"]
    sizes = meta["sizes"]
    ballots_on_chain = record["result"]["ballots"]["seen"]
    figures: dict[str, Any] = {
        "voters": sum(sizes),
        "districts": len(sizes),
        "ballots": ballots_on_chain,
        "ballots_requested": args.ballots,
        "distinct_proofs": len(pool),
        "pool_cached": cached,
        "chain_cached": cached,
        "build_seconds": round(meta["build_seconds"], 1),
        "recount_seconds": round(recount_seconds, 2),
        "recount_peak_rss_bytes": peak,
        "recount_verified": record["verified"],
        "register_rebuild_seconds": stages["registers"],
        "verify_seconds": stages["verify"],
        "fetch_seconds": stages["fetch"],
        "replay_seconds": stages["replay"],
        "snapshot_seconds": round(snapshot_seconds, 2),
        "snapshot_bytes": sum(entry["bytes"] for entry in index["districts"]),
        "largest_district": max(sizes),
        "page_ready_seconds": None,
        "verify_cpu_seconds_per_proof": costs["ours"],
        "parse_cpu_seconds_per_proof": costs["parse"],
        "batch_check_cpu_seconds_per_proof": costs["check"],
        "snarkjs_verify_seconds_per_proof": costs["snarkjs"],
        "snarkjs_over_ours": round(costs["ratio"], 1),
        "verify_seconds_at_1_1m_records_2_cores_extrapolated": round(
            costs["ours"] * 1_100_000 / 2, 1
        ),
        "cores": os.cpu_count(),
        "load_average_1min": os.getloadavg()[0],
        "notes": [
            "registered commitments other than the pool's voters are random field elements",
            "ballots on chain are verified castBallot calls, one per pool proof, until the "
            "contract has a cheap recorded mode: 'ballots' is what the chain holds, "
            "'ballots_requested' what was asked",
            "page_ready_seconds is not measured yet (null)",
            "the per-proof cost is process CPU time over verify_records records of the pool, "
            "each parsed and checked anew; the 1.1M figure is that times 1.1M over 2 cores",
        ],
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    width = max(len(k) for k in figures if k != "notes")
    for key, value in figures.items():
        if key != "notes":
            print(f"{key.ljust(width)}  {value}")
    print(f"written to {out}")
    return figures


if __name__ == "__main__":
    main()

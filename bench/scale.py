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
- the election takes its ballots in the cheap "recorded" mode (`ballot_mode = "recorded"`):
  an authorised relayer account posts `--ballots` records (default voters + 10%) in
  `recordBallots` batches of 256, drawn from the pool again and again. The first pass is every
  pool voter's ballot then the re-votes (revision 2) of 1 in 11 of them; later passes repeat
  proofs whose revision is used, which the recount verifies anew (nothing memoised: every
  record's proof is parsed and checked) and refuses as stale. Counted ballots are at most the
  pool; records on chain are what was asked.
"""

import argparse
import fcntl
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from ballot_pool import make_prover
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from page_ready import Site
from page_ready import measure as measure_page
from web3 import Web3
from web3.utils.address import get_create_address

from veche.ceremony.pin import DEV_VERIFICATION_KEY
from veche.chain.anvil import DEV_CHAIN_ID, Anvil, latest_timestamp, time_travel
from veche.chain.client import connect, dev_accounts, wait_for_receipt
from veche.chain.deploy import deploy_from_definition, deploy_libraries
from veche.chain.election import (
    MEMBERS_PER_BATCH,
    ElectionContract,
    RegistrarGrant,
    RelayerStatus,
    record_ballots_gas,
)
from veche.chain.paths import REPO_ROOT
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.groth16 import Proof, VerifyingKey, find_invalid, parse_packed
from veche.crypto.hashing import election_scope, public_signals, semaphore_hash
from veche.crypto.identity import Identity
from veche.crypto.imt_parallel import build_registers
from veche.definition import canonical_json, load
from veche.definition.retime import starting_at
from veche.keys import verification_key_path
from veche.protocol.records import BallotRecord, batches, encode_records
from veche.protocol.spec import MAX_RECORDS_PER_BATCH
from veche.recount.progress import Progress
from veche.recount.verify import invalid_positions
from veche.voter import ballot_input

OUT = REPO_ROOT / "out" / "bench"
SEED = b"veche scale bench"
DAY = 86_400


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
        'ballot_mode = "recorded"',
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


BLOCK_GAS = 1_000_000_000
"""The bench chain's block gas limit: many transactions are mined into one block."""


def _send_all(w3: Web3, account: LocalAccount, calls: list[Any], gas: int, bar: Any) -> None:
    """Signs and sends `calls` with explicit nonces, as many as fit in a block, then mines that
    block (`evm_mine`; automine is off) and checks every receipt. A block a batch, rather than a
    block a transaction, is what lets anvil hold a million members: its cost is per block."""
    if not calls:
        return
    chain_id = w3.eth.chain_id
    fee = int(w3.eth.gas_price * 2) + 1
    per_block = max(1, BLOCK_GAS // gas - 1)
    w3.provider.make_request("evm_setAutomine", [False])  # type: ignore[arg-type]
    try:
        for first in range(0, len(calls), per_block):
            nonce = w3.eth.get_transaction_count(account.address, "pending")
            hashes = []
            for offset, call in enumerate(calls[first : first + per_block]):
                tx = call.build_transaction(
                    {"from": account.address, "nonce": nonce + offset, "gas": gas,
                     "chainId": chain_id, "maxFeePerGas": fee, "maxPriorityFeePerGas": 1}
                )  # fmt: skip
                signed = account.sign_transaction(tx).raw_transaction
                hashes.append(w3.eth.send_raw_transaction(signed))
            w3.provider.make_request("evm_mine", [])  # type: ignore[arg-type]
            for tx_hash in hashes:
                wait_for_receipt(w3, tx_hash, calls[0].contract_abi)
            bar.update(len(hashes))
    finally:
        w3.provider.make_request("evm_setAutomine", [True])  # type: ignore[arg-type]


RECORD_BATCHES_PER_BLOCK = 32
"""Record batches mined into one block (2.4 MB of records): a block is the smallest range a
reader's `eth_getLogs` can ask for, so blocks of gigabytes would make its answers as big."""

ELECTION_DEPLOYER = 3  # a development account that sends nothing but the Election, at nonce 0


def election_address() -> str:
    """Where the Election lands: the first contract its own deployer account creates, so the
    pool of proofs (bound to the election's scope) can be proved before the chain is built."""
    deployer = dev_accounts(ELECTION_DEPLOYER + 1)[ELECTION_DEPLOYER]
    return get_create_address(deployer.address, 0)


def plan(args: argparse.Namespace) -> dict[str, Any]:
    """What the chain will hold, from the seed alone: district sizes, the registers in leaf
    order and the pool's voters (identity, district, revision)."""
    sizes = skewed_sizes(args.voters, args.districts)
    rng = random.Random(SEED)
    # 1 in 11 of the pool's proofs is a re-vote (revision 2) of a voter who voted before.
    people = args.pool - args.pool // 11
    districts = [rng.choices(range(args.districts), weights=sizes)[0] for _ in range(people)]
    for d in range(min(args.districts, people)):
        districts[d] = d  # every district gets at least one real ballot
    identities = [
        Identity(keccak(SEED + b"identity" + i.to_bytes(4, "big"))) for i in range(people)
    ]
    registers: list[list[int]] = []
    for d, size in enumerate(sizes):
        own = [identities[i].commitment for i in range(people) if districts[i] == d]
        leaves = _random_commitments(size - len(own), d.to_bytes(4, "big")) + own
        rng.shuffle(leaves)
        registers.append(leaves)
    plans = [(i, districts[i], 1) for i in range(people)]
    plans += [(i, districts[i], 2) for i in range(args.pool - people)]
    return {"sizes": sizes, "registers": registers, "identities": identities, "plans": plans}


class RunningNode:
    """The bench's anvil already running (`--rpc`, e.g. the one a cut-short build left, which
    saves to the folder's chain.json itself): used as it is and left running."""

    def __init__(self, rpc_url: str) -> None:
        self.rpc_url = rpc_url

    def __enter__(self) -> "RunningNode":
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def build(
    anvil: Anvil | RunningNode, folder: Path, args: argparse.Namespace, progress: Progress
) -> dict:
    """Deploys, registers, proves the pool (unless cached) and puts its ballots on the chain;
    returns what a later run needs to find them again."""
    w3 = connect(anvil.rpc_url)
    organizer, registrar, sender = dev_accounts(3)
    deployer = dev_accounts(ELECTION_DEPLOYER + 1)[ELECTION_DEPLOYER]
    layout = plan(args)
    sizes, registers = layout["sizes"], layout["registers"]
    template = definition_text(args.districts)
    definition_file = folder / "definition.toml"
    if not definition_file.exists() or w3.eth.get_code(election_address()) == b"":
        definition_file.write_text(starting_at(template, latest_timestamp(w3), hour=7 * DAY))
    definition = load(definition_file)
    grants = [RegistrarGrant(registrar.address, d, size) for d, size in enumerate(sizes)]
    if w3.eth.get_code(election_address()) == b"":
        if w3.eth.get_transaction_count(deployer.address) != 0:
            raise SystemExit(f"the Election's deployer {deployer.address} has sent before")
        libraries = deploy_libraries(w3, organizer, DEV_VERIFICATION_KEY)
        election = deploy_from_definition(w3, deployer, definition, organizer=organizer.address,
                                          registrars=grants, libraries=libraries)  # fmt: skip
        if election.address != election_address():
            raise SystemExit(f"the Election landed at {election.address}, not {election_address()}")
        # The chain keeps no old state (--prune-history): the block is noted, not searched for.
        (folder / "deployment_block").write_text(str(w3.eth.block_number))
    election = ElectionContract(w3, election_address())
    # Resumed from a saved chain: each district's register goes on from the members it holds.
    held = [state.member_count for state in election.districts()]
    calls = [
        election.contract.functions.addMembers(d, leaves[s : s + MEMBERS_PER_BATCH],
                                               _tags(leaves[s : s + MEMBERS_PER_BATCH]))
        for d, leaves in enumerate(registers)
        for s in range(held[d], len(leaves), MEMBERS_PER_BATCH)
    ]  # fmt: skip
    with progress.stage("registering", len(calls), "batches") as bar:
        _send_all(w3, registrar, calls, 15_000_000, bar)
    if latest_timestamp(w3) < election.calendar().voting_start:
        time_travel(w3, election.calendar().voting_start - latest_timestamp(w3))
    # The pool after the registers (it is the slow part, saved proof by proof): a build cut
    # short keeps its registrations in the saved chain.
    pool = prove_pool(folder, layout, args, progress)
    if election.relayer_status(sender.address) is not RelayerStatus.AUTHORIZED:
        election.authorize_relayer(organizer, sender.address)
    count = post_records(w3, election, sender, pool, args.ballots, folder, progress)
    return {
        "election": election.address,
        "deployment_block": int((folder / "deployment_block").read_text()),
        "definition": str(definition_file),
        "sizes": sizes,
        "ballots": count,
        "distinct_proofs": len(pool),
    }


def record_stream(pool: list[dict[str, Any]], count: int) -> list[BallotRecord]:
    """`count` records drawn from the pool in its order, again and again: the first pass holds
    each voter's first ballot then the re-votes (revision 2) of 1 in 11 of them, which the
    recount counts; every later pass repeats proofs whose revision the nullifier has already
    used, which the recount verifies anew and refuses as stale (the chain records duplicates,
    the recount resolves them)."""
    records = [
        BallotRecord(nullifier=b["nullifier"], proof=tuple(b["packed"]), district=b["district"],
                     choice=b["choice"], revision=b["revision"])
        for b in pool
    ]  # fmt: skip
    return [records[k % len(records)] for k in range(count)]


def post_records(
    w3: Web3,
    election: ElectionContract,
    relayer: LocalAccount,
    pool: list[dict[str, Any]],
    count: int,
    folder: Path,
    progress: Progress,
) -> int:
    """Posts `count` records in `recordBallots` batches of the contract's maximum (256) from the
    authorised relayer account, a block of batches at a time; resumed from `folder/records`
    (the number posted, written after each mined block)."""
    done_file = folder / "records"
    done = int(done_file.read_text()) if done_file.exists() else 0
    stream = record_stream(pool, count)
    gas = record_ballots_gas(MAX_RECORDS_PER_BATCH)
    per_block = RECORD_BATCHES_PER_BLOCK * MAX_RECORDS_PER_BATCH
    with progress.stage("recording ballots", count, "records") as bar:
        bar.update(done)
        for first in range(done, count, per_block):
            chunk = stream[first : min(count, first + per_block)]
            calls = [
                election.contract.functions.recordBallots(encode_records(batch))
                for batch in batches(chunk)
            ]
            _send_all(w3, relayer, calls, gas, _Records(bar, chunk))
            done_file.write_text(str(first + len(chunk)))
    return count


class _Records:
    """Turns `_send_all`'s count of transactions into a count of records for the bar."""

    def __init__(self, bar: Any, chunk: list[BallotRecord]) -> None:
        self.bar, self.sizes = bar, [len(b) for b in batches(chunk)]

    def update(self, transactions: int) -> None:
        self.bar.update(sum(self.sizes[:transactions]))
        self.sizes = self.sizes[transactions:]


def prove_pool(
    folder: Path, layout: dict[str, Any], args: argparse.Namespace, progress: Progress
) -> list[dict[str, Any]]:
    """The pool of distinct real ballots of the planned voters against the planned registers,
    for the election's address-to-be; cached in `folder/pool.json` and resumed from it (each
    batch of proofs is saved as it is made)."""
    # One prover at a time: a build that reaches the pool while `--pool-only` proves it in
    # another process waits for it, then reads the finished cache.
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "pool.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _prove_pool(folder, layout, args, progress)


def _prove_pool(
    folder: Path, layout: dict[str, Any], args: argparse.Namespace, progress: Progress
) -> list[dict[str, Any]]:
    with progress.stage("register trees", 1, "builds") as bar:
        trees = build_registers(layout["registers"])
        bar.update(1)
    scope = election_scope(DEV_CHAIN_ID, election_address())
    key = hashlib.sha256(
        json.dumps([election_address(), scope, [t.root for t in trees], layout["plans"]]).encode()
    ).hexdigest()
    cache = folder / "pool.json"
    cached = json.loads(cache.read_text()) if cache.exists() else {}
    ballots = [_ints(b) for b in cached["ballots"]] if cached.get("key") == key else []
    rng = random.Random(SEED + b"choices")
    choices = [rng.randrange(3) for _ in layout["plans"]]
    scope_signal = semaphore_hash(scope)
    identities = layout["identities"]
    todo = list(zip(layout["plans"], choices, strict=True))[len(ballots) :]
    if not todo or (args.no_prove and ballots):
        return ballots
    if args.no_prove:
        raise SystemExit(f"--no-prove: no proofs of this configuration in {cache}")
    with (
        make_prover(args.prover, os.cpu_count() or 1) as prover,
        progress.stage("proving the pool", len(layout["plans"]), "proofs") as bar,
    ):
        bar.update(len(ballots))
        for start in range(0, len(todo), 16):
            chunk = todo[start : start + 16]
            inputs = [
                ballot_input(trees[d], scope, identities[i], d, choice, revision)
                for (i, d, revision), choice in chunk
            ]
            for ((i, d, revision), choice), proved in zip(chunk, prover.prove_many(inputs),
                                                          strict=True):  # fmt: skip
                ballots.append({
                    "district": d, "root": trees[d].root, "choice": choice, "revision": revision,
                    "nullifier": identities[i].nullifier(scope_signal),
                    "packed": Proof.from_snarkjs(proved["proof"]).packed(),
                })  # fmt: skip
            partial = cache.with_suffix(".tmp")
            partial.write_text(json.dumps({"key": key, "ballots": [_strs(b) for b in ballots]}))
            partial.replace(cache)
            bar.update(len(chunk))
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


def page_ready(
    anvil: Anvil | RunningNode,
    w3: Web3,
    meta: dict[str, Any],
    args: argparse.Namespace,
    folder: Path,
    snapshots: Path,
) -> dict[str, Any] | None:
    """The voter page's time to the ballot for a pool voter of the largest district."""
    if args.skip_page:
        return None
    layout = plan(args)
    largest = max(range(len(layout["sizes"])), key=layout["sizes"].__getitem__)
    voter = next(i for i, d, revision in layout["plans"] if d == largest and revision == 1)
    site = Site(anvil.rpc_url, w3.eth.chain_id, meta["election"],
                canonical_json(load(Path(meta["definition"]))), snapshots,
                folder / "buckets")  # fmt: skip
    return measure_page(site, folder / "page", layout["identities"][voter].export(), largest)


class LoadSampler:
    """The 1-minute load average every `period` seconds while the bench runs, on a thread: a
    shared machine's figures are read against it."""

    def __init__(self, period: float = 15.0) -> None:
        self.samples: list[float] = [os.getloadavg()[0]]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(period,), daemon=True)
        self._thread.start()

    def _run(self, period: float) -> None:
        while not self._stop.wait(period):
            self.samples.append(os.getloadavg()[0])

    def summary(self) -> dict[str, float]:
        self._stop.set()
        values = self.samples
        return {"min": min(values), "mean": round(sum(values) / len(values), 2),
                "max": max(values), "samples": len(values)}  # fmt: skip


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
    parser.add_argument(
        "--rpc",
        help="use the bench's anvil already running at this URL (one a cut-short build of the "
        "same --state left) instead of starting one from the saved chain",
    )
    parser.add_argument(
        "--prover",
        choices=("auto", "native", "snarkjs"),
        default="auto",
        help="who proves the pool: native is groth16py (GPL-3.0, bench only, never installed by "
        "make: pip install the bench-prover extra); auto uses it when installed",
    )
    parser.add_argument("--skip-page", action="store_true", help="do not measure the voter page")
    parser.add_argument(
        "--pool-only",
        action="store_true",
        help="only prove (or finish proving) the pool, without a chain; the longest step",
    )
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="build (or finish building) and save the chain, measure nothing",
    )
    parser.add_argument(
        "--no-prove",
        action="store_true",
        help="use the proofs already in the pool's cache (at least one), prove no more; "
        "distinct_proofs says how many",
    )
    args = parser.parse_args(argv)
    args.ballots = args.ballots if args.ballots is not None else args.voters * 11 // 10
    progress = Progress()
    folder = Path(args.state or OUT / f"scale-{args.voters}-{args.districts}-{args.pool}")
    folder.mkdir(parents=True, exist_ok=True)
    if args.pool_only:
        pool = prove_pool(folder, plan(args), args, progress)
        print(f"{len(pool)} proofs in {folder / 'pool.json'}")
        return {"distinct_proofs": len(pool)}
    state, meta_file = folder / "chain.json", folder / "meta.json"
    cached = meta_file.exists() and state.exists()
    # The chain is saved every few minutes while it is built (and at the end): a build cut
    # short resumes from the last save. Old states are not kept in memory (a million members'
    # history would not fit); logs are.
    node = RunningNode(args.rpc) if args.rpc else Anvil(
        gas_limit=BLOCK_GAS, startup_timeout=600, extra_args=[
            *(["--load-state", str(state)] if state.exists() else []), "--dump-state", str(state),
            "--state-interval", "300", "--prune-history",
        ],
    )  # fmt: skip
    with node as anvil:
        if cached:
            meta = json.loads(meta_file.read_text())
        else:
            started = time.perf_counter()
            meta = build(anvil, folder, args, progress)
            meta["build_seconds"] = time.perf_counter() - started
            meta_file.write_text(json.dumps(meta))
        if args.build_only:
            print(f"built in {meta['build_seconds']:.0f} s; saved in {folder}")
            return {}
        load = LoadSampler()
        election, definition = meta["election"], meta["definition"]
        common = ["--rpc", anvil.rpc_url, "--election", election]
        common += ["--from-block", str(meta["deployment_block"])]  # a saved chain keeps no history
        buckets = folder / "buckets"
        run, recount_seconds, peak = run_cli("recount", *common, "--definition", definition,
                                             "--buckets", str(buckets), "--json", "-")  # fmt: skip
        if run.returncode not in (0, 3) or not run.stdout.strip():
            raise SystemExit(f"the recount failed: {run.stderr.strip()[-500:]}")
        # Exit 3 (a discrepancy) is a finding, reported as recount_verified: false.
        record = json.loads(run.stdout)
        snapshots = folder / "snapshots"
        snap, snapshot_seconds, _ = run_cli("register", "snapshot", *common, "--definition",
                                            definition, "--out", str(snapshots))  # fmt: skip
        if snap.returncode != 0:
            raise SystemExit(f"the snapshot failed: {snap.stderr.strip()[-500:]}")
        w3 = connect(anvil.rpc_url)
        scope = ElectionContract(w3, election).scope()
        page = page_ready(anvil, w3, meta, args, folder, snapshots)
    pool = [_ints(b) for b in json.loads((folder / "pool.json").read_text())["ballots"]]
    costs = verification_costs(pool, scope, args.verify_records)
    index = json.loads((snapshots / "index.json").read_text())
    stages = record["stageSeconds"]
    sizes = meta["sizes"]
    loads = load.summary()
    # The bench's own recount keeps every core busy: more load than that is other work.
    shared = loads["mean"] > (os.cpu_count() or 1) + 1
    shared_note = (
        "measured on a machine shared with other work (see load_average_during_measurement)"
    )
    shared_note += ": wall-clock figures are pessimistic"
    ballots_on_chain = record["result"]["ballots"]["seen"]
    figures: dict[str, Any] = {
        "voters": sum(sizes),
        "districts": len(sizes),
        "ballots": ballots_on_chain,
        "ballots_requested": args.ballots,
        "ballots_counted": record["result"]["ballots"]["counted"],
        "ballots_superseded": record["result"]["ballots"]["superseded"],
        "ballots_refused": record["result"]["ballots"]["rejected"],
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
        "page_ready_seconds": page["desktop"]["seconds"] if page else None,
        "page_ready_seconds_phone": page["phone"]["seconds"] if page else None,
        "page_ready_runs": page,
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
        "load_average_during_measurement": loads,
        "machine_shared": shared,
        "notes": [
            "registered commitments other than the pool's voters are random field elements",
            "ballots are records of the recorded mode (recordBallots, batches of 256, one "
            "authorised relayer account) drawn again and again from the pool of "
            "distinct_proofs real proofs: the first pass counts (1 in 11 a re-vote), later "
            "passes are duplicates the recount verifies anew and refuses as stale; "
            "'ballots_counted' is what the result counts",
            "page_ready_seconds: median of 3 cold loads in headless Chromium, from navigation "
            "to the ballot shown, for a voter of the largest district downloading only its "
            "snapshot; the phone figure at 390x844 with the CPU slowed 4x",
            "the per-proof cost is process CPU time over verify_records records of the pool, "
            "each parsed and checked anew; the 1.1M figure is that times 1.1M over 2 cores",
            *([shared_note] if shared else []),
            "fetch_seconds is reading the logs with the proofs checked alongside; "
            "verify_seconds only the wait for the checks still running after the reading",
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

"""The relayer under load on anvil: distinct real ballots from many concurrent clients.

Rebuilds the election of the cached ballot pool (`ballot_pool.py`: real voters, really
registered, real proofs; made once because proving thousands takes most of an hour), starts a
real relayer (`veche relayer serve`, several paying accounts), and sends every ballot over HTTP
from `--clients` threads at once. It reports:

- `ballots_per_second`: ballots from the first 202 to the last inclusion in a block;
- latencies, p50 and p99, from sending a ballot to its 202 and to the block that holds it (read
  from the chain's `BallotCast` logs, not from the relayer);
- `accept_cpu_ms_per_ballot`: CPU of accepting (checks, batched proof check, durable store) in
  the relayer's own code without HTTP, measured in this process on a separate store;
- `relayer_cpu_ms_per_ballot`: CPU of the whole relayer process (HTTP, accepting, sending).

Then it checks that every ballot is on chain exactly once, and writes `out/bench/relayer.json`.

    nice -n 19 .venv/bin/python bench/ballot_pool.py --ballots 3000     # once, ~1 h of a core
    nice -n 19 .venv/bin/python bench/bench_relayer.py --ballots 3000
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import ballot_pool
import httpx
import requests
from ballot_pool import deployer, load_pool, plan
from common import OUT, percentile, start_relayer
from eth_utils import event_signature_to_log_topic
from web3 import Web3

from veche.chain.anvil import Anvil, latest_timestamp, time_travel
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_from_definition, deploy_libraries
from veche.chain.election import ElectionContract, grants_everywhere
from veche.chain.paths import REPO_ROOT
from veche.crypto.groth16 import VerifyingKey, batch_verify, parse_packed
from veche.crypto.hashing import message_signal
from veche.definition import load
from veche.definition.retime import starting_at
from veche.keys import verification_key_path
from veche.protocol import BallotMode
from veche.protocol.spec import RECORD_BYTES
from veche.relayer.elections import ElectionDirectory
from veche.relayer.reads import ChainReads
from veche.relayer.routes.ballots import parse_ballot
from veche.relayer.schemas import BallotRequest
from veche.relayer.service import BallotService
from veche.relayer.store import Status, Store, Submission
from veche.relayer.worker import Worker

TARGET = 300.0
_BALLOTS_RECORDED = (
    "0x" + event_signature_to_log_topic("BallotsRecorded(bytes32,address,bytes)").hex()
)
_BALLOT_CAST = (
    "0x"
    + event_signature_to_log_topic(
        "BallotCast(uint256,uint32,uint32,uint32,uint256,uint256[8])"
    ).hex()
)


def _progress(stage: str, done: int, total: int, started: float) -> None:
    elapsed = time.monotonic() - started
    rate = done / elapsed if elapsed > 0 else 0.0
    left = (total - done) / rate if rate > 0 else float("nan")
    print(f"{stage}: {done}/{total}, {rate:.0f}/s, {left:.0f} s left", flush=True)


def build_election(
    w3: Web3,
    meta: dict[str, Any],
    folder: Path,
    ballot_mode: BallotMode = BallotMode.VERIFIED,
    relayers: Sequence[str] = (),
) -> ElectionContract:
    """The pool's election, at the pool's address, with the pool's voters registered, taking
    ballots in `ballot_mode` (the proofs fit either: they are bound to the address only); in
    the recorded mode the accounts `relayers` are authorised to post records."""
    organizer, registrar = dev_accounts(2)
    owner = deployer()
    w3.provider.make_request("anvil_setBalance", [owner.address, hex(10**21)])  # type: ignore[arg-type]
    folder.mkdir(parents=True, exist_ok=True)
    definition_file = folder / "definition.toml"
    template = (REPO_ROOT / "examples" / "demo.toml").read_text()
    if ballot_mode is not BallotMode.VERIFIED:  # a top-level key: before the first table
        template = f'ballot_mode = "{ballot_mode}"\n' + template
    definition_file.write_text(starting_at(template, latest_timestamp(w3)))
    definition = load(definition_file)
    libraries = deploy_libraries(w3, organizer)
    election = deploy_from_definition(
        w3,
        owner,
        definition,
        organizer=organizer.address,
        registrars=grants_everywhere(registrar.address, len(definition.districts), 2**20),
        libraries=libraries,
    )
    if election.address != meta["election"]:
        raise SystemExit(f"the election is at {election.address}, the pool's at {meta['election']}")
    if ballot_mode is BallotMode.RECORDED:
        for relayer in relayers:
            election.authorize_relayer(organizer, relayer)
    commitments = _commitments(meta["ballots"])
    started = time.monotonic()
    done = 0
    for district, members in commitments.items():
        tags = [bytes(Web3.keccak(b"veche bench person " + c.to_bytes(32, "big"))) for c in members]
        election.add_members_batched(registrar, district, members, tags, batch_size=100)
        done += len(members)
        _progress("registering", done, meta["ballots"], started)
    roots = {str(n): str(d.merkle_root) for n, d in enumerate(election.districts())}
    if any(roots.get(d) != root for d, root in meta["roots"].items()):
        raise SystemExit("the registers' roots differ from the pool's: make the pool again")
    time_travel(w3, election.calendar().voting_start - latest_timestamp(w3))
    return election


def _commitments(ballots: int) -> dict[int, list[int]]:
    """The pool's voters' commitments per district, in register order (cached: deriving
    thousands of Baby Jubjub keys in Python takes a while)."""
    cache = ballot_pool.POOL / f"commitments-{ballots}.json"
    if cache.is_file():
        return {int(d): [int(c) for c in cs] for d, cs in json.loads(cache.read_text()).items()}
    members = plan(ballots).members()
    found = {d: [v.commitment for v in voters] for d, voters in members.items()}
    cache.write_text(json.dumps({d: [str(c) for c in cs] for d, cs in found.items()}))
    return found


def accept_parts(bodies: list[dict[str, Any]], folder: Path) -> dict[str, float]:
    """CPU microseconds per ballot of each step of accepting, one step at a time over the
    sample (single thread): where the accept CPU goes."""
    raw = [json.dumps(body).encode() for body in bodies]
    vk = VerifyingKey.load(verification_key_path())
    parts: dict[str, float] = {}

    def timed(name: str, step: Any) -> Any:
        started = time.process_time()
        result = step()
        parts[name] = round(1e6 * (time.process_time() - started) / len(bodies), 1)
        return result

    requests_ = timed("parse_json_and_validate", lambda: [parse_ballot(r, None) for r in raw])
    packed = timed(
        "field_elements",
        lambda: [([int(v) for v in r.proof], [int(v) for v in r.publicSignals]) for r in requests_],
    )
    timed(
        "message_hash",
        lambda: [message_signal(r.choice, r.revision, r.district) for r in requests_],
    )
    proofs = timed("proof_points_parse_and_subgroup", lambda: [parse_packed(p) for p, _ in packed])
    items = [(proof, signals) for proof, (_, signals) in zip(proofs, packed, strict=True)]
    timed(
        "batch_verify_64",
        lambda: [batch_verify(vk, items[i : i + 64]) for i in range(0, len(items), 64)],
    )
    store = Store(folder / "parts.sqlite3")
    rows = [
        Submission(
            id=0,
            election=r.election,
            nullifier=s[1],
            district=r.district,
            choice=r.choice,
            revision=r.revision,
            merkle_root=s[0],
            proof=tuple(p),
            status=Status.QUEUED,
        )
        for r, (p, s) in zip(requests_, packed, strict=True)
    ]
    timed("store_lookups", lambda: [store.find(b.election, b.nullifier, b.revision) for b in rows])
    timed(
        "store_group_commit_64",
        lambda: [store.add_many(rows[i : i + 64]) for i in range(0, len(rows), 64)],
    )
    store.close()
    return parts


def accept_cpu(rpc_url: str, bodies: list[dict[str, Any]], folder: Path) -> float:
    """CPU milliseconds per ballot of `BallotService.accept` (request checks, intake checks,
    batched proof check, durable group commit), with 16 threads, on a store of its own."""
    w3 = connect(rpc_url)
    store = Store(folder / "accept-only.sqlite3")
    directory = ElectionDirectory(w3, frozenset())
    worker = Worker(w3, store, [], lambda a: directory.contract(a).contract, 600_000)
    service = BallotService(
        w3,
        directory,
        VerifyingKey.load(verification_key_path()),
        store,
        worker,
        ChainReads(rpc_url),
    )
    service.start()
    requests_ = [BallotRequest(**body) for body in bodies]
    service.accept(requests_[0])  # loads the election
    started = time.process_time()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(service.accept, requests_[1:]))
    cpu = time.process_time() - started
    service.stop()
    store.close()
    return 1000 * cpu / (len(requests_) - 1)


def _cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by process `pid` and its live descendants (anvil from npm is a
    node launcher with the native chain as its child)."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
    family, total = {pid}, 0
    while True:
        grown = family | {p for p, (parent, _) in stats.items() if parent in family}
        if grown == family:
            break
        family = grown
    total = sum(stats[p][1] for p in family if p in stats)
    return total / os.sysconf("SC_CLK_TCK")


class InclusionWatch:
    """Notes when each nullifier's ballot first appears on chain: its `BallotCast` log
    (verified mode), or its record in a `BallotsRecorded` log (recorded mode)."""

    def __init__(self, rpc_url: str, election: str, mode: str) -> None:
        self._url, self._election = rpc_url, election
        self._topic = _BALLOTS_RECORDED if mode == "recorded" else _BALLOT_CAST
        self.seen: dict[int, float] = {}
        self.events: dict[int, int] = {}
        self._next_block = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._session = requests.Session()

    def start(self) -> "InclusionWatch":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._poll()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._poll()
            time.sleep(0.05)

    def _poll(self) -> None:
        filter_ = {
            "address": self._election,
            "topics": [self._topic],
            "fromBlock": hex(self._next_block),
            "toBlock": "latest",
        }
        answer = self._session.post(
            self._url,
            json={"jsonrpc": "2.0", "id": 1, "method": "eth_getLogs", "params": [filter_]},
            timeout=30,
        ).json()
        now = time.monotonic()
        for log in answer.get("result", []):
            for nullifier in _nullifiers(log, self._topic):
                self.events[nullifier] = self.events.get(nullifier, 0) + 1
                self.seen.setdefault(nullifier, now)
            self._next_block = max(self._next_block, int(log["blockNumber"], 16) + 1)


def _nullifiers(log: dict[str, Any], topic: str) -> list[int]:
    """The nullifiers a log carries: `BallotCast`'s indexed one, or the first 32 bytes of each
    record of `BallotsRecorded(batch, relayer, bytes records)`."""
    if topic == _BALLOT_CAST:
        return [int(log["topics"][1], 16)]
    data = bytes.fromhex(log["data"][2:])
    length = int.from_bytes(data[32:64], "big")
    records = data[64 : 64 + length]
    return [int.from_bytes(records[at : at + 32], "big") for at in range(0, length, RECORD_BYTES)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ballots", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=64, help="concurrent connections")
    parser.add_argument("--accounts", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--accept-sample", type=int, default=400)
    parser.add_argument("--json", default="relayer.json", help="file name under out/bench")
    parser.add_argument(
        "--mode",
        choices=("verified", "recorded"),
        default="verified",
        help="the election's ballot mode (recorded: recordBallots, proofs checked off chain)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="py-spy the relayer to out/bench/relayer-profile.txt"
    )
    parser.add_argument(
        "--pool", default=str(ballot_pool.POOL), help="the pool's folder (ballot_pool.py --pool)"
    )
    args = parser.parse_args()
    ballot_pool.use_pool(args.pool)
    # Stopped with a signal (SIGINT is ignored by a job started in the background): the
    # relayer, the load client, the profiler and anvil are stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    bodies = load_pool(args.ballots)
    meta = json.loads((ballot_pool.POOL / "meta.json").read_text())
    folder = OUT / "relayer-run"
    shutil.rmtree(folder, ignore_errors=True)
    load_before = os.getloadavg()
    loads: list[float] = []
    with Anvil() as anvil:
        w3 = connect(anvil.rpc_url)
        relayers = [a.address for a in dev_accounts(10)[-args.accounts :]]  # start_relayer's
        election = build_election(w3, meta, folder, BallotMode(args.mode), relayers)
        sample = bodies[: min(args.accept_sample, len(bodies))]
        accept_ms = accept_cpu(anvil.rpc_url, sample, folder)
        print(f"accepting: {accept_ms:.3f} ms of CPU a ballot (in process, no HTTP)")
        parts = accept_parts(sample, folder)
        print(f"accepting, by step (µs a ballot): {parts}")
        process, url = start_relayer(
            anvil.rpc_url,
            folder / "relayer.sqlite3",
            accounts=args.accounts,
            extra_env={"VECHE_BATCH_SIZE": str(args.batch_size)},
        )
        watch = InclusionWatch(anvil.rpc_url, election.address, args.mode).start()
        bodies_file, result_file = folder / "bodies.jsonl", folder / "client.json"
        bodies_file.write_text("".join(json.dumps(body) + "\n" for body in bodies))
        client = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).with_name("load_client.py")),
                url,
                str(bodies_file),
                str(result_file),
                "--connections",
                str(args.clients),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        profiler = None
        try:
            assert client.stdin is not None and client.stdout is not None
            if client.stdout.readline().strip() != "ready":
                raise SystemExit("the load client did not start")
            if args.profile:
                profiler = subprocess.Popen(
                    [
                        str(Path(sys.executable).with_name("py-spy")),
                        "record",
                        "--pid",
                        str(process.pid),
                        "--format",
                        "raw",
                        "--threads",
                        "--rate",
                        "100",
                        "--output",
                        str(OUT / "relayer-profile.txt"),
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
                time.sleep(2)
            relayer_cpu_before = _cpu_seconds(process.pid)
            anvil_cpu_before = _cpu_seconds(anvil._process.pid)  # type: ignore[union-attr]
            started = time.monotonic()
            client.stdin.write("go\n")
            client.stdin.flush()
            while client.poll() is None:
                time.sleep(1)
                loads.append(os.getloadavg()[0])
                _progress("included", len(watch.seen), len(bodies), started)
            if client.returncode != 0:
                raise SystemExit(f"the load client failed with exit code {client.returncode}")
            outcome = json.loads(result_file.read_text())
            if outcome["refusals"]:
                refused = [r for r in outcome["results"] if r[3] != 202]
                raise SystemExit(f"{len(refused)} ballots refused, first: {outcome['refusals'][0]}")
            deadline = time.monotonic() + 600
            while len(watch.seen) < len(bodies):
                if time.monotonic() > deadline:
                    raise SystemExit(f"only {len(watch.seen)} of {len(bodies)} ballots included")
                _progress("included", len(watch.seen), len(bodies), started)
                time.sleep(1)
                loads.append(os.getloadavg()[0])
            watch.stop()
            relayer_cpu = _cpu_seconds(process.pid) - relayer_cpu_before
            anvil_cpu = _cpu_seconds(anvil._process.pid) - anvil_cpu_before  # type: ignore[union-attr]
            client_cpu = outcome["cpu_seconds"]
            mode = httpx.get(f"{url}/metrics").json()
        finally:
            if profiler is not None:
                profiler.send_signal(signal.SIGINT)
                profiler.wait(30)
            if client.poll() is None:
                client.kill()
            process.terminate()
            process.wait(10)
        sent_at = {int(n): sent for n, sent, _, _ in outcome["results"]}
        accept_latency = [answered - sent for _, sent, answered, _ in outcome["results"]]
        accepted_at = [answered for _, _, answered, _ in outcome["results"]]
        twice = [n for n, count in watch.events.items() if count != 1]
        counted = len(watch.events) if args.mode == "recorded" else election.ballot_count()
        if twice or counted != len(bodies):
            raise SystemExit(f"{len(twice)} ballots on chain more than once")
    first_202 = min(accepted_at)
    last_inclusion = max(watch.seen.values())
    rate = len(bodies) / (last_inclusion - first_202)
    inclusion = [watch.seen[n] - sent_at[n] for n in sent_at]
    figures = {
        "ballots": len(bodies),
        "distinct_voters": len(sent_at),
        "ballots_per_second": round(rate, 1),
        "target_ballots_per_second": TARGET,
        "target_met": rate >= TARGET,
        "measured_from": "first 202 to the last ballot's BallotCast log on chain",
        "accept_latency_ms": {
            p: round(percentile(accept_latency, q) * 1000, 1) for p, q in _PERCENTILES.items()
        },
        "inclusion_latency_ms": {
            p: round(percentile(inclusion, q) * 1000, 1) for p, q in _PERCENTILES.items()
        },
        "accept_cpu_ms_per_ballot": round(accept_ms, 3),
        "accept_cpu_note": (
            "BallotService.accept in this process from 16 threads (request checks, proof "
            "points, chain state for the group, rules, batched proof check, durable group "
            "commit), without HTTP; the parts are each step alone, single thread"
        ),
        "accept_cpu_us_per_ballot_by_step": parts,
        "relayer_cpu_ms_per_ballot": round(1000 * relayer_cpu / len(bodies), 3),
        "anvil_cpu_ms_per_ballot": round(1000 * anvil_cpu / len(bodies), 3),
        "client_cpu_ms_per_ballot": round(1000 * client_cpu / len(bodies), 3),
        "cpu_bound_ballots_per_second": round(
            1000 * (os.cpu_count() or 1) / (1000 * (relayer_cpu + anvil_cpu) / len(bodies)), 1
        ),
        "cpu_bound_note": (
            "an extrapolation, not a measurement: the machine's cores divided by the CPU the "
            "relayer and anvil spent per ballot in this run, i.e. the rate if both had the "
            "cores to themselves (the clients excluded)"
        ),
        "clients": args.clients,
        "paying_accounts": args.accounts,
        "batch_size": args.batch_size,
        "ballot_mode": args.mode,
        "ballot_call": "recordBallots"
        if args.mode == "recorded"
        else "castBallots"
        if _has_batches(election)
        else "castBallot",
        "relayer_metrics": mode,
        "pool_cached": True,
        "pool_note": (
            "real voters registered on this chain and real Groth16 proofs, one per voter, made "
            "once by bench/ballot_pool.py (snarkjs or groth16py's arkworks prover, the same "
            "proving key; every proof checked before it is kept) and cached under "
            "out/bench/relayer-pool"
        ),
        "pool_size": sum(1 for line in (ballot_pool.POOL / "ballots.jsonl").open() if line.strip()),
        "load_average_during": {
            "min": round(min(loads or [0.0]), 1),
            "mean": round(sum(loads) / max(1, len(loads)), 1),
            "max": round(max(loads or [0.0]), 1),
            "note": "1-minute load average of the machine, read every second of the run",
        },
        "load_average_before": [round(x, 1) for x in load_before],
        "load_average_after": [round(x, 1) for x in os.getloadavg()],
        **(
            {"relayer_profile": _profile_summary(OUT / "relayer-profile.txt")}
            if args.profile
            else {}
        ),
        "cores": os.cpu_count(),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / args.json).write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    verdict = "met" if rate >= TARGET else "NOT met"
    print(f"target of {TARGET:.0f} ballots/s {verdict} on this machine: {rate:.1f} ballots/s")


_WAITING = ("sleep(", ".wait(", ".get()", "_lock:", "_loading:", "acquire", "readinto", "COMMIT")
"""Source text of lines where a sampled thread waits (a sleep, a lock, a queue, a socket, a
disk sync) rather than computes: py-spy counts such a thread as busy all the same."""


_WAITING_FUNCTIONS = ("wait", "sleep", "select", "poll", "readinto", "acquire", "get")


def _waiting(frame: str) -> bool:
    """Whether the leaf `frame` ("function (path:line)") is a line where its thread waits."""
    if frame.split(" (")[0].split(".")[-1].startswith(_WAITING_FUNCTIONS):
        return True
    try:
        where = frame.rsplit(" (", 1)[1].rstrip(")")
        path, line = where.rsplit(":", 1)
        candidates = [
            Path(path),
            REPO_ROOT / "backend" / path,
            *Path(sys.prefix).glob(f"lib/python*/{path}"),
        ]
        source = next(p for p in candidates if p.is_file())
        text = source.read_text().splitlines()[int(line) - 1]
    except (IndexError, ValueError, StopIteration, OSError):
        return False
    return any(marker in text for marker in _WAITING)


def _profile_summary(path: Path) -> dict[str, Any]:
    """Where the relayer's busy samples went (py-spy's raw stacks): by thread, by the function
    running (native code counts in the Python function that called it), and through each of
    Veche's own functions."""
    by_thread: dict[str, int] = {}
    leaves: dict[str, int] = {}
    through: dict[str, int] = {}
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        if len(frames) < 2 or not count.isdigit():
            continue
        if _waiting(frames[-1]):
            continue
        samples = int(count)
        total += samples
        thread = frames[0].split(": ")[-1]
        thread = "http" if thread == "MainThread" else thread.rstrip("0123456789-")
        by_thread[thread] = by_thread.get(thread, 0) + samples
        leaves[frames[-1]] = leaves.get(frames[-1], 0) + samples
        for frame in {f for f in frames[1:] if "veche/" in f}:
            name = frame.split(" (")[0]
            through[name] = through.get(name, 0) + samples

    def percent(counts: dict[str, int], top: int) -> dict[str, float]:
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])[:top]
        return {k: round(100 * v / max(1, total), 1) for k, v in ranked}

    return {
        "busy_samples": total,
        "percent_by_thread": percent(by_thread, 10),
        "percent_in_function": percent(leaves, 25),
        "percent_through_veche_function": percent(through, 25),
        "raw_stacks": str(path.relative_to(REPO_ROOT)),
    }


def _has_batches(election: ElectionContract) -> bool:
    return any(e.get("name") == "castBallots" for e in election.contract.abi)


_PERCENTILES = {"p50": 0.50, "p99": 0.99}

if __name__ == "__main__":
    main()

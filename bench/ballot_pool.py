"""A cached pool of real ballots for the relayer benchmark: proving thousands takes most of an hour.

Every ballot is a real Groth16 proof from the real circuit, by a distinct voter who is really
registered in the benchmark's election. What makes the cache possible is that everything a proof
is bound to is fixed in advance:

- the voters' keys come from a seed, so their commitments, and the registers' roots built from
  them in order, are the same on every run;
- the election is deployed on a fresh anvil (chain id 31337) by a deployer of its own at nonce 0,
  so its address, hence its scope (`keccak256(chainId, address)`), is known before it exists.

`bench_relayer.py` rebuilds that election and checks scope and roots against the pool before it
sends a single ballot; a pool made for other keys, another circuit or another register is refused,
not used. The pool is written in chunks, so an interrupted run resumes where it stopped.

Two provers make the same proofs under the same proving key (`zk/artifacts/depth20`):
- `snarkjs` (default if nothing else is installed): `veche.crypto.prover`, about 1 s of CPU a
  proof;
- `native`: the witness from the circuit's wasm by snarkjs (`bench/witness.mjs`), the proof by
  the arkworks prover of `groth16py` (about 0.35 s of CPU a proof). groth16py is licensed
  GPL-3.0: it is a benchmark-only tool, never installed by `make setup` nor imported by Veche
  itself; install it with `.venv/bin/pip install groth16py==0.2.0` (pinned in pyproject.toml's
  `bench-prover` extra).
Every proof of either prover is checked with Veche's own verifier before it enters the pool.

    nice -n 19 .venv/bin/python bench/ballot_pool.py --ballots 3000
"""

import argparse
import hashlib
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import OUT
from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak, to_checksum_address
from rlp import encode as rlp_encode

from veche.chain.anvil import DEV_CHAIN_ID
from veche.chain.paths import REPO_ROOT
from veche.crypto.groth16 import Proof, VerifyingKey, verify
from veche.crypto.hashing import election_scope, semaphore_hash
from veche.crypto.identity import Identity
from veche.crypto.imt import LeanIMT
from veche.crypto.prover import Prover, default_node
from veche.definition import load
from veche.keys import verification_key_path, wasm_path, zkey_path
from veche.voter import ballot_input, ballot_request

POOL = OUT / "relayer-pool"
"""Where the pool is kept, unless `--pool` says otherwise (`use_pool`)."""


def use_pool(folder: str | Path) -> None:
    """Keeps the pool in `folder` (e.g. one made in another checkout)."""
    global POOL
    POOL = Path(folder).resolve()


DEFINITION = REPO_ROOT / "examples" / "demo.toml"
SEED = b"veche relayer benchmark, not a real voter"
CHUNK = 40


def deployer() -> LocalAccount:
    """The account that deploys the benchmark's election, at its nonce 0 (DEV ONLY: its key is
    in this file)."""
    return Account.from_key(keccak(SEED + b" deployer"))


def election_address() -> str:
    """`CREATE` address of the deployer's first contract."""
    sender = bytes.fromhex(deployer().address[2:])
    return to_checksum_address(keccak(rlp_encode([sender, 0]))[12:])


def voter(index: int) -> Identity:
    return Identity.from_private_key(hashlib.sha256(SEED + index.to_bytes(4, "big")).digest())


@dataclass(frozen=True)
class Plan:
    """Who votes where: voter `i` is in the district `i mod n` of the open districts."""

    ballots: int
    districts: tuple[int, ...]
    option_counts: tuple[int, ...]

    def district_of(self, index: int) -> int:
        return self.districts[index % len(self.districts)]

    def choice_of(self, index: int) -> int:
        return (index // len(self.districts)) % self.option_counts[self.district_of(index)]

    def members(self) -> dict[int, list[Identity]]:
        by_district: dict[int, list[Identity]] = {d: [] for d in self.districts}
        for index in range(self.ballots):
            by_district[self.district_of(index)].append(voter(index))
        return by_district


def plan(ballots: int) -> Plan:
    definition = load(DEFINITION)
    return Plan(
        ballots,
        tuple(range(len(definition.districts))),
        tuple(len(d.lists) for d in definition.districts),
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def expected_meta(ballots: int) -> dict[str, Any]:
    """What the pool must have been made for; a pool whose `meta.json` differs is stale."""
    layout = plan(ballots)
    members = layout.members()
    return {
        "ballots": ballots,
        "chainId": DEV_CHAIN_ID,
        "election": election_address(),
        "deployer": deployer().address,
        "scope": str(election_scope(DEV_CHAIN_ID, election_address())),
        "roots": {str(d): str(LeanIMT([v.commitment for v in members[d]]).root) for d in members},
        "zkeySha256": _digest(zkey_path()),
        "wasmSha256": _digest(wasm_path()),
    }


def load_pool(ballots: int) -> list[dict[str, Any]]:
    """The pool's first `ballots` request bodies (its voters are all registered, whether
    their ballots are sent or not); exits with a one-line error if missing, short or stale."""
    meta_file, bodies_file = POOL / "meta.json", POOL / "ballots.jsonl"
    if not meta_file.is_file() or not bodies_file.is_file():
        sys.exit(f"no ballot pool in {POOL}: run bench/ballot_pool.py --ballots {ballots}")
    meta = json.loads(meta_file.read_text())
    expected = expected_meta(meta["ballots"])
    if meta != expected:
        stale = sorted(k for k in expected if meta.get(k) != expected[k])
        sys.exit(f"the pool in {POOL} was made for another {', '.join(stale)}: make it again")
    bodies = [json.loads(line) for line in bodies_file.read_text().splitlines() if line]
    if len(bodies) < ballots:
        sys.exit(f"the pool in {POOL} holds {len(bodies)} ballots so far, {ballots} wanted")
    return bodies[:ballots]


class NativeProver:
    """Witnesses by snarkjs in one node process, proofs by groth16py's arkworks prover on
    `parallel` threads (it releases Python's lock); the same interface as `Prover`."""

    def __init__(self, parallel: int) -> None:
        import groth16py  # GPL-3.0, benchmark only: see the module's docstring

        self._groth16py = groth16py
        self._key, _ = groth16py.import_zkey(str(zkey_path()))
        self._parallel = parallel
        self._folder = tempfile.TemporaryDirectory(prefix="veche-wtns-")
        self._node = subprocess.Popen(
            [default_node(), str(Path(__file__).with_name("witness.mjs")), str(wasm_path())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._node.stdout is not None
        if json.loads(self._node.stdout.readline() or "{}") != {"ready": True}:
            raise SystemExit("bench/witness.mjs did not start")

    def __enter__(self) -> "NativeProver":
        return self

    def __exit__(self, *_: object) -> None:
        assert self._node.stdin is not None
        self._node.stdin.close()
        self._node.wait(10)
        self._folder.cleanup()

    def _witness(self, number: int, inputs: Mapping[str, Any]) -> str:
        assert self._node.stdin is not None and self._node.stdout is not None
        path = f"{self._folder.name}/{number}.wtns"
        text = {
            k: [str(x) for x in v] if isinstance(v, list) else str(v) for k, v in inputs.items()
        }
        self._node.stdin.write(json.dumps({"input": text, "out": path}) + "\n")
        self._node.stdin.flush()
        answer = json.loads(self._node.stdout.readline() or "{}")
        if not answer.get("ok"):
            raise SystemExit(f"witness failed: {answer.get('error', 'no answer')}")
        return path

    def _prove(self, path: str) -> dict[str, Any]:
        blob = self._groth16py.prove_wtns(self._key, path)
        packed = [int.from_bytes(blob[32 * i : 32 * (i + 1)], "big") for i in range(8)]
        signals = _public_signals(Path(path).read_bytes(), 4)
        Path(path).unlink()
        return {"proof": Proof.from_packed(packed).to_snarkjs(), "publicSignals": signals}

    def prove_many(self, inputs: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        with ThreadPoolExecutor(self._parallel) as pool:
            futures = [pool.submit(self._prove, self._witness(n, i)) for n, i in enumerate(inputs)]
            return [f.result() for f in futures]


def _public_signals(wtns: bytes, count: int) -> list[str]:
    """Witness values 1..count of a `.wtns` file (circom's format: section 1 holds the field
    element size, section 2 the values, little-endian); the public signals come first."""
    if wtns[:4] != b"wtns":
        raise SystemExit("not a witness file")
    sections, offset, size, values = int.from_bytes(wtns[8:12], "little"), 12, 0, b""
    for _ in range(sections):
        kind = int.from_bytes(wtns[offset : offset + 4], "little")
        length = int.from_bytes(wtns[offset + 4 : offset + 12], "little")
        body = wtns[offset + 12 : offset + 12 + length]
        if kind == 1:
            size = int.from_bytes(body[:4], "little")
        elif kind == 2:
            values = body
        offset += 12 + length
    return [
        str(int.from_bytes(values[size * i : size * (i + 1)], "little"))
        for i in range(1, count + 1)
    ]


def make_prover(name: str, parallel: int) -> Any:
    """`native` (groth16py, bench only), `snarkjs`, or `auto`: native if it is installed."""
    if name == "auto":
        name = "native" if importlib.util.find_spec("groth16py") else "snarkjs"
    print(f"prover: {name}", flush=True)
    return NativeProver(parallel) if name == "native" else Prover(parallel=parallel)


def build(ballots: int, parallel: int, prover_name: str = "auto") -> None:
    POOL.mkdir(parents=True, exist_ok=True)
    meta = expected_meta(ballots)
    meta_file, bodies_file = POOL / "meta.json", POOL / "ballots.jsonl"
    if not meta_file.is_file() or json.loads(meta_file.read_text()) != meta:
        bodies_file.unlink(missing_ok=True)
        meta_file.write_text(json.dumps(meta, indent=2) + "\n")
    done = sum(1 for line in bodies_file.open() if line.strip()) if bodies_file.exists() else 0
    layout = plan(ballots)
    registers = {d: LeanIMT([v.commitment for v in vs]) for d, vs in layout.members().items()}
    scope = int(meta["scope"])
    started, first = time.monotonic(), done
    vk = VerifyingKey.load(verification_key_path())
    with make_prover(prover_name, parallel) as prover, bodies_file.open("a") as sink:
        for start in range(done, ballots, CHUNK):
            indices = range(start, min(start + CHUNK, ballots))
            inputs = [
                ballot_input(
                    registers[layout.district_of(i)],
                    scope,
                    voter(i),
                    layout.district_of(i),
                    layout.choice_of(i),
                    1,
                )
                for i in indices
            ]
            for i, proved in zip(indices, prover.prove_many(inputs), strict=True):
                assert int(proved["publicSignals"][3]) == semaphore_hash(scope)
                signals = [int(v) for v in proved["publicSignals"]]
                if not verify(vk, Proof.from_snarkjs(proved["proof"]), signals):
                    raise SystemExit(f"the proof of ballot {i} does not verify")
                body = ballot_request(
                    meta["election"], layout.district_of(i), layout.choice_of(i), 1, proved
                )
                sink.write(json.dumps(body) + "\n")
            sink.flush()
            made = indices.stop - first
            rate = made / (time.monotonic() - started)
            left = (ballots - indices.stop) / rate
            print(
                f"proving: {indices.stop}/{ballots} ballots, {rate:.2f}/s, "
                f"about {left / 60:.0f} min left",
                flush=True,
            )
    print(f"pool ready: {ballots} ballots in {bodies_file}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ballots", type=int, default=3000)
    parser.add_argument("--parallel", type=int, default=2)
    parser.add_argument("--prover", choices=("auto", "native", "snarkjs"), default="auto")
    parser.add_argument("--pool", default=str(POOL), help="the pool's folder")
    args = parser.parse_args()
    use_pool(args.pool)
    build(args.ballots, args.parallel, args.prover)


if __name__ == "__main__":
    main()

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

    nice -n 19 .venv/bin/python bench/ballot_pool.py --ballots 3000
"""

import argparse
import hashlib
import json
import sys
import time
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
from veche.crypto.hashing import election_scope, semaphore_hash
from veche.crypto.identity import Identity
from veche.crypto.imt import LeanIMT
from veche.crypto.prover import DEFAULT_WASM, DEFAULT_ZKEY, Prover
from veche.definition import load
from veche.voter import ballot_input, ballot_request

POOL = OUT / "relayer-pool"
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
        "zkeySha256": _digest(DEFAULT_ZKEY),
        "wasmSha256": _digest(DEFAULT_WASM),
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


def build(ballots: int, parallel: int) -> None:
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
    with Prover(parallel=parallel) as prover, bodies_file.open("a") as sink:
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
    args = parser.parse_args()
    build(args.ballots, args.parallel)


if __name__ == "__main__":
    main()

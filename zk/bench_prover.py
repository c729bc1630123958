"""Measure ballot proof time with the committed DEV keys.

    .venv/bin/python zk/bench_prover.py [--count 8] [--parallel 1] [--node PATH]

Proves the `valid_member` ballot of tests/vectors/proofs.json `count` times after one warm-up
proof (the first proof also builds the curve), and prints seconds per ballot.
"""

import argparse
import json
import time
from pathlib import Path

from veche.crypto.prover import Prover

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--parallel", type=int, default=1)
    parser.add_argument("--node", default=None)
    args = parser.parse_args()
    cases = json.loads((ROOT / "tests" / "vectors" / "proofs.json").read_text())["cases"]
    inputs = next(c for c in cases if c["name"] == "valid_member")["context"]["circuitInput"]

    started = time.perf_counter()
    with Prover(parallel=args.parallel, node=args.node) as prover:
        prover.prove_many([inputs] * args.parallel)
        warm = time.perf_counter()
        prover.prove_many([inputs] * args.count)
        done = time.perf_counter()
    print(
        f"parallel={args.parallel} node={args.node or 'default'}: start+warm-up "
        f"{warm - started:.2f} s, {args.count} ballots in {done - warm:.2f} s = "
        f"{(done - warm) / args.count:.2f} s/ballot"
    )


if __name__ == "__main__":
    main()

"""How long a register of 2^20 members takes to rebuild in Python, on every core.

    python bench/register_rebuild.py [--leaves 1048576]

Writes out/bench/register_rebuild.json: wall seconds, CPU seconds (this process and its
workers), Poseidon hashes a second per core, and the machine's load, since on a shared machine
the wall time says more about the neighbours than about the code.
"""

import argparse
import json
import os
import resource
import secrets
import time
from pathlib import Path

from veche.chain.paths import REPO_ROOT
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.imt import LeanIMT
from veche.crypto.imt_parallel import build_registers


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--leaves", type=int, default=2**20)
    parser.add_argument("--check", type=int, default=4096, help="leaves checked against LeanIMT")
    parser.add_argument("--out", default=str(REPO_ROOT / "out" / "bench" / "register_rebuild.json"))
    args = parser.parse_args()
    leaves = [secrets.randbelow(SNARK_SCALAR_FIELD - 1) + 1 for _ in range(args.leaves)]
    load = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), _cpu()
    (tree,) = build_registers([leaves])
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    # The parallel build must give the reference tree: its prefix roots are checked against
    # LeanIMT built the plain way on the first `--check` leaves.
    reference = LeanIMT(leaves[: args.check])
    if tree.prefix_root(args.check) != reference.root:
        raise SystemExit("the parallel build disagrees with LeanIMT")
    hashes = args.leaves - 1
    figures = {
        "leaves": args.leaves,
        "root": str(tree.root),
        "wall_seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "cores": os.cpu_count(),
        "hashes_per_cpu_second": round(hashes / cpu),
        "wall_seconds_on_idle_cores_estimate": round(cpu / (os.cpu_count() or 1), 2),
        "load_average_1min_at_start": load,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(figures, indent=2) + "\n")
    for key, value in figures.items():
        print(f"{key:<36} {value}")


if __name__ == "__main__":
    main()

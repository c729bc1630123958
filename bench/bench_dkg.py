"""Times the dedup DKG (`veche authority dkg`) among N authorities over a board folder, every
step of every authority run in turn on this machine, and writes out/bench/dkg.json.

    .venv/bin/python bench/bench_dkg.py [--authorities 5] [--threshold 3]

In an election each authority runs its steps on its own machine, in parallel: the wall-clock
time there is about this total divided by N, plus the time to pass the board around.
"""

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

from veche.chain.paths import REPO_ROOT
from veche.dedup.dkg_files import published_key_set, run_step

OUT = REPO_ROOT / "out" / "bench"
STEPS = ("deal", "check", "answer", "extract", "verify", "finish")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--authorities", type=int, default=5)
    parser.add_argument("--threshold", type=int, default=3)
    args = parser.parse_args()
    n = args.authorities
    per_step: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        board = Path(scratch) / "board"
        private = {i: Path(scratch) / f"private-{i}" for i in range(1, n + 1)}
        started, cpu_started = time.perf_counter(), time.process_time()
        for i in range(1, n + 1):
            extra = (
                {"session": "bench", "threshold": args.threshold, "authorities": n}
                if i == 1
                else {}
            )
            run_step("init", board, private[i], i, **extra)
        per_step["init"] = time.perf_counter() - started
        for step in STEPS:
            step_started = time.perf_counter()
            for i in range(1, n + 1):
                run_step(step, board, private[i], i)
            per_step[step] = time.perf_counter() - step_started
            print(f"{step}: {per_step[step]:.2f} s for {n} authorities", flush=True)
        total = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        key_set = published_key_set(board)
    record = {
        "authorities": n,
        "threshold": args.threshold,
        "qualified": len(key_set.public_keys),
        "seconds": {
            "total": round(total, 2),
            "totalCpu": round(cpu, 2),
            "perAuthority": round(total / n, 2),
            "steps": {k: round(v, 2) for k, v in per_step.items()},
        },
        "note": "all authorities run in turn in one process; no network",
        "loadAverage": round(os.getloadavg()[0], 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, shared",
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "dkg.json").write_text(json.dumps(record, indent=2) + "\n")
    print(f"total {total:.1f} s ({cpu:.1f} s CPU); wrote {OUT / 'dkg.json'}")


if __name__ == "__main__":
    main()

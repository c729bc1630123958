"""Times the ceremony's steps on the real depth-20 ballot circuit and writes
out/bench/ceremony.json.

    .venv/bin/python bench/bench_ceremony.py [--contributors N]

Phase 1 is the repository's development powers of tau (2^13 points, the size of the published
powersOfTau28_hez_final_13.ptau); phase 2 is run as `veche ceremony` runs it. The transcript
verification re-derives the initial key from r1cs and ptau and checks every contribution, so its
time grows little with the number of contributors.
"""

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from pathlib import Path

from veche.ceremony import steps
from veche.ceremony.ptau import blake2b_file
from veche.chain.paths import REPO_ROOT
from veche.keys import DEV_ZK_DIR

DEV = DEV_ZK_DIR
OUT = REPO_ROOT / "out" / "bench"


CPU: dict[str, float] = {}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(label: str, action):  # type: ignore[no-untyped-def]
    """Runs `action`; returns its value and wall-clock seconds, and keeps the CPU seconds its
    node process used in CPU[label] (on a shared machine the CPU time is the steadier figure)."""
    started, cpu = time.perf_counter(), _children_cpu()
    value = action()
    seconds = time.perf_counter() - started
    CPU[label] = _children_cpu() - cpu
    print(f"{label}: {seconds:.1f} s wall, {CPU[label]:.1f} s CPU", flush=True)
    return value, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contributors", type=int, default=3)
    args = parser.parse_args()
    ptau, r1cs = DEV / "pot_final.ptau", DEV / "semaphore.r1cs"
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        _, hash_seconds = timed("ptau hash check", lambda: blake2b_file(ptau))
        _, start_seconds = timed("start", lambda: steps.start(r1cs, ptau, folder / "0.zkey"))
        contribution_seconds = []
        for n in range(1, args.contributors + 1):
            _, seconds = timed(
                f"contribution {n}",
                lambda n=n: steps.contribute(
                    folder / f"{n - 1}.zkey", folder / f"{n}.zkey", f"c{n}"
                ),
            )
            contribution_seconds.append(seconds)
        last = folder / f"{args.contributors}.zkey"
        _, beacon_seconds = timed(
            "beacon (2^10)", lambda: steps.beacon(last, folder / "final.zkey", "ab" * 32, 10, "b")
        )
        transcript, verify_seconds = timed(
            "transcript verification", lambda: steps.verify(r1cs, ptau, folder / "final.zkey")
        )
    record = {
        "circuit": "semaphore v4, depth 20 (6,431 constraints)",
        "ptauPower": 13,
        "contributors": args.contributors,
        "contributionsInTranscript": len(transcript.contributions),
        "seconds": {
            "ptauHashCheck": round(hash_seconds, 2),
            "start": round(start_seconds, 2),
            "contributionMedian": round(
                sorted(contribution_seconds)[len(contribution_seconds) // 2], 2
            ),
            "contributions": [round(s, 2) for s in contribution_seconds],
            "beacon": round(beacon_seconds, 2),
            "transcriptVerification": round(verify_seconds, 2),
        },
        "cpuSeconds": {label: round(seconds, 2) for label, seconds in CPU.items()},
        "loadAverage": round(os.getloadavg()[0], 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, shared",
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "ceremony.json").write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {OUT / 'ceremony.json'}")


if __name__ == "__main__":
    main()

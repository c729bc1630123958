"""Encrypted tallies: how fast the recount sums encrypted ballots, and how long the trustees'
decryption of a whole election takes. Writes out/bench/elgamal.json.

    nice .venv/bin/python bench/elgamal.py [--ballots 20000] [--districts 50] [--largest 1000000]

1. Sum: `--ballots` real encrypted ballots (1088 bytes each, from a pool of 64 distinct
   encryptions under the development key) added with `CiphertextSum.add_encoded`, as the
   recount does (decoding, range and curve checks included), on one core. The time for a
   million ballots (17 million points) is EXTRAPOLATED from that rate, for one core and for
   two workers whose sums are merged.
2. Key generation: the trustees' dealer-free election key (`veche trustee dkg`: 16 DKG runs),
   `--trustees` with `--threshold`, every step of every trustee in turn.
3. Decryption: `--districts` districts of 16 options, the largest with `--largest` counted
   ballots (one option holds 94% of them, so the discrete-log search runs close to its bound),
   the others 20,000 each. Each district's sum is made directly as an encryption of its counts
   (`C_i = n_i·G + s·Y_i`, `R = s·G` for a random `s`), which is what a homomorphic sum of
   ballots is; summing a million real ballots per district is part 1's figure. Then the 3
   development trustees each compute their partial decryptions with proofs, everyone verifies
   all three, and 2 are combined (Lagrange, baby-step giant-step); the counts are checked
   against the plain ones.
"""

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from tqdm import tqdm

from veche.chain.paths import REPO_ROOT
from veche.crypto import elgamal
from veche.crypto.elgamal import OPTIONS, Ciphertext, CiphertextSum
from veche.dedup.group import GENERATOR, ORDER, add, mul
from veche.trustees.decrypt import DistrictSum, combine, partial_decryption, verify_partial
from veche.trustees.development import development_election_key, development_trustee_shares
from veche.trustees.dkg import STEPS, run_trustee_step
from veche.trustees.key import ElectionKey

OUT = REPO_ROOT / "out" / "bench"
MILLION = 1_000_000
T = TypeVar("T")
POINTS_PER_BALLOT = OPTIONS + 1


def bench_sum(key: ElectionKey, ballots: int) -> dict[str, float]:
    pool = [
        elgamal.encode(elgamal.encrypt_choice(key.option_keys, n % OPTIONS, OPTIONS)[0])
        for n in range(64)
    ]
    total = CiphertextSum()
    started, cpu_started = time.perf_counter(), time.process_time()
    for n in tqdm(range(ballots), desc="summing ballots", unit="ballot", mininterval=2):
        total.add_encoded(pool[n % len(pool)])
    total.result()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    check = CiphertextSum()
    for n in range(len(pool) * 2):
        check.add(elgamal.decode(pool[n % len(pool)]))
    assert check.result() == elgamal.sum_encoded(pool[n % len(pool)] for n in range(128))
    points_per_second = ballots * POINTS_PER_BALLOT / cpu
    return {
        "ballotsSummed": ballots,
        "wallSeconds": round(seconds, 2),
        "cpuSeconds": round(cpu, 2),
        "pointsPerSecondOneCore": round(points_per_second),
        "pointsPerSecondWall": round(ballots * POINTS_PER_BALLOT / seconds),
        "ballotsPerSecondOneCore": round(ballots / cpu),
        "millionBallotsSecondsOneCoreExtrapolated": round(
            MILLION * POINTS_PER_BALLOT / points_per_second, 1
        ),
        "millionBallotsSecondsTwoWorkersExtrapolated": round(
            MILLION * POINTS_PER_BALLOT / points_per_second / 2, 1
        ),
        "rateIs": "points over the process's CPU time (the machine is shared: wall time "
        "includes waiting for a core)",
    }


def synthetic_sums(
    key: ElectionKey, districts: int, largest: int, rng: random.Random
) -> tuple[list[DistrictSum], dict[int, list[int]]]:
    sums, plain = [], {}
    for district in range(districts):
        ballots = largest if district == 0 else 20_000
        counts = [0] * OPTIONS
        counts[0] = ballots * 94 // 100 if district == 0 else rng.randrange(ballots // 2)
        rest = ballots - counts[0]
        cuts = sorted(rng.randrange(rest + 1) for _ in range(OPTIONS - 2))
        counts[1:] = [b - a for a, b in zip([0, *cuts], [*cuts, rest], strict=True)]
        blinding = 1 + rng.randrange(ORDER - 1)
        total = Ciphertext(
            mul(GENERATOR, blinding),
            tuple(
                add(mul(GENERATOR, n), mul(y, blinding))
                for n, y in zip(counts, key.option_keys, strict=True)
            ),
        )
        sums.append(DistrictSum(district, OPTIONS, ballots, total))
        plain[district] = counts
    return sums, plain


def bench_decryption(key: ElectionKey, districts: int, largest: int) -> dict[str, object]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        shares = development_trustee_shares()
    sums, plain = synthetic_sums(key, districts, largest, random.Random(15))
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def timed(stage: str, work: Callable[[], T]) -> T:
        started, cpu_started = time.perf_counter(), time.process_time()
        result = work()
        wall[stage] = round(time.perf_counter() - started, 2)
        cpu[stage] = round(time.process_time() - cpu_started, 2)
        print(f"{stage}: {cpu[stage]:.1f} s CPU ({wall[stage]:.1f} s wall)", flush=True)
        return result

    partials = {
        share.index: timed(f"partialTrustee{share.index}", partial(partial_decryption, share, sums))
        for share in shares
    }
    timed("verifyAllThree", lambda: [verify_partial(key, sums, j, d) for j, d in partials.items()])
    tally = timed(
        "combineTwoWithBsgs", lambda: combine(key, sums, {1: partials[1], 2: partials[2]})
    )
    assert tally.counts == plain, "decrypted counts differ from the plain counts"
    return {
        "districts": districts,
        "options": OPTIONS,
        "trustees": 3,
        "threshold": 2,
        "largestDistrictBallots": largest,
        "largestCount": plain[0][0],
        "otherDistrictsBallots": 20_000,
        "dataBytesPerTrustee": len(partials[1]),
        "countsMatchPlain": True,
        "cpuSeconds": cpu,
        "wallSeconds": wall,
        "totalCpuSeconds": round(sum(cpu.values()), 2),
        "recountCpuSeconds": cpu["combineTwoWithBsgs"],
        "note": "each trustee computes its partials on its own machine (in parallel in an "
        "election); the recount's step is combine (it verifies the k trustees it uses, then "
        "interpolates and solves each count): recountCpuSeconds. verifyAllThree is what an "
        "observer checking every trustee spends. District sums made directly as encryptions of "
        "the counts.",
    }


def bench_key_generation(trustees: int, threshold: int) -> dict[str, object]:
    """The election key with no dealer: every step of every trustee (16 DKG runs each), in turn
    on this machine."""
    cpu: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        board = Path(scratch) / "board"
        for step in STEPS:
            started = time.process_time()
            for j in range(1, trustees + 1):
                first = (step, j) == ("init", 1)
                run_trustee_step(
                    step,
                    board,
                    Path(scratch) / f"private-{j}",
                    j,
                    name=f"trustee {j}",
                    session="bench" if first else None,
                    threshold=threshold if first else None,
                    trustees=trustees if first else None,
                )
            cpu[step] = round(time.process_time() - started, 2)
            print(f"key generation, {step}: {cpu[step]:.1f} s CPU", flush=True)
        holders = len(ElectionKey.load(board / "election-key.json").verification_shares)
    return {
        "trustees": trustees,
        "threshold": threshold,
        "holders": holders,
        "cpuSeconds": cpu,
        "totalCpuSeconds": round(sum(cpu.values()), 2),
        "perTrusteeCpuSeconds": round(sum(cpu.values()) / trustees, 2),
        "note": "all trustees in turn in one process, no network; in an election each runs its "
        "steps on its own machine",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ballots", type=int, default=20_000)
    parser.add_argument("--districts", type=int, default=50)
    parser.add_argument("--largest", type=int, default=MILLION)
    parser.add_argument("--trustees", type=int, default=3, help="for the key generation")
    parser.add_argument("--threshold", type=int, default=2, help="for the key generation")
    args = parser.parse_args()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        key = development_election_key()
    record = {
        "sum": bench_sum(key, args.ballots),
        "keyGeneration": bench_key_generation(args.trustees, args.threshold),
        "decryption": bench_decryption(key, args.districts, args.largest),
        "shortcuts": [
            "the million-ballot sum time is extrapolated from the measured points per second",
            "the two-worker figure assumes the two halves sum independently and are merged "
            "(CiphertextSum.merge), which is not measured here",
            "decryption's district sums are made as encryptions of chosen counts, not by "
            "summing a million ballots",
        ],
        "python": sys.version.split()[0],
        "loadAverage": round(os.getloadavg()[0], 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, shared",
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "elgamal.json").write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record, indent=2))
    print(f"wrote {OUT / 'elgamal.json'}")


if __name__ == "__main__":
    main()

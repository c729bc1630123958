"""The recount's homomorphic sums of an encrypted election: `veche.recount.encrypted.district_sums`
over the ciphertexts of the ballots that count, as `veche recount` calls it (every core), and the
memory the recount holds for the ciphertexts. Writes out/bench/encrypted_recount.json.

    nice .venv/bin/python bench/encrypted_recount.py [--ballots 200000] [--workers 2]

`--ballots` counted ballots spread over `--districts` districts, each ciphertext a distinct
1088-byte object (as the recount's scan holds them) copied from a pool of 64 real encryptions
under the development election key (the sum's cost does not depend on the values). The figure
for a million ballots is EXTRAPOLATED linearly from the measured run unless `--ballots` is a
million; the JSON says which. Proof verification and log reading are not in this figure (the
scale bench measures them).
"""

import argparse
import json
import os
import platform
import resource
import time
import warnings

from veche.chain.paths import REPO_ROOT
from veche.crypto import elgamal
from veche.crypto.elgamal import CIPHERTEXT_BYTES, OPTIONS
from veche.recount.encrypted import district_sums
from veche.trustees.development import development_election_key

OUT = REPO_ROOT / "out" / "bench"
MILLION = 1_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ballots", type=int, default=200_000)
    parser.add_argument("--districts", type=int, default=50)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        key = development_election_key()
    pool = [
        elgamal.encode(elgamal.encrypt_choice(key.option_keys, n % OPTIONS, OPTIONS)[0])
        for n in range(64)
    ]
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    rows = [(n % args.districts, bytes(bytearray(pool[n % 64]))) for n in range(args.ballots)]
    held_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    started, cpu = time.perf_counter(), time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    sums = district_sums([OPTIONS] * args.districts, rows, workers=args.workers)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    total_cpu = worker_cpu + time.process_time() - cpu
    assert sum(s.ballots for s in sums) == args.ballots
    scale = MILLION / args.ballots
    record = {
        "what": "recount: homomorphic sums per district of the counted encrypted ballots",
        "ballots": args.ballots,
        "districts": args.districts,
        "workers": args.workers,
        "cores": os.cpu_count(),
        "machine": platform.machine(),
        "seconds": round(seconds, 2),
        "cpuSeconds": round(total_cpu, 2),
        "loadAverage": os.getloadavg()[0],
        "ballotsPerSecond": round(args.ballots / seconds),
        "millionBallotsSeconds": round(seconds * scale, 1),
        "millionBallotsCpuSeconds": round(total_cpu * scale, 1),
        "millionBallotsSecondsOnIdleCores": round(total_cpu * scale / args.workers, 1),
        "millionExtrapolated": args.ballots != MILLION,
        "ciphertextMemoryMiB": round(held_kib / 1024, 1),
        "millionCiphertextMemoryMiB": round(held_kib / 1024 * scale, 1),
        "ciphertextBytes": CIPHERTEXT_BYTES,
        "shortcut": "ciphertexts are copies of 64 real encryptions (the cost of a sum does not "
        "depend on the values); a million is extrapolated linearly when fewer are run",
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "encrypted_recount.json").write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record, indent=2))
    print(f"wrote {OUT / 'encrypted_recount.json'}")


if __name__ == "__main__":
    main()

"""Proof time of the encrypted ballot circuit against today's Semaphore circuit, on this machine.
Writes `out/bench/encrypted_prover.json`.

    .venv/bin/python bench/encrypted_prover.py [--count 5]

Both circuits prove the same voter (the shared vector `valid_member`): in node (snarkjs through
`veche.crypto.prover`, one process with its worker threads, after a warm-up proof) and in
headless Chromium (the page's own Web Worker, `frontend/dist/prover-worker.js`, with the files
the build serves; after a warm-up proof; the time includes the worker's check of the proof, as
on the voter's page). Target (issue 15): the browser's encrypted proof <= 3x the plain one.
Also: constraint counts (from the r1cs headers), wasm and zkey sizes. The keys are the
development ones; proof time depends on the circuit, not on who made the keys.
"""

import argparse
import json
import statistics
import struct
import sys
from pathlib import Path
from typing import Any

from common import OUT
from page import node_proof_seconds, serve
from playwright.sync_api import sync_playwright

from veche.chain.paths import REPO_ROOT
from veche.crypto.prover import Prover, encrypted_ballot_input, encrypted_prover
from veche.keys import DEV_ZK_DIR, ENCRYPTED_DEV_ZK_DIR
from veche.protocol.spec import SPEC, ZK_WASM, ZK_ZKEY

sys.path.insert(0, str(REPO_ROOT))
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS

DIST = REPO_ROOT / "frontend" / "dist"
TARGET_RATIO = 3.0
TIMEOUT_MS = 600_000

PAGE = """<!doctype html><meta charset="utf-8"><title>prover bench</title>
<script>
async function bytes(name) { return new Uint8Array(await (await fetch(name)).arrayBuffer()) }
const worker = new Worker("prover-worker.js")
let next = 1
const waiting = new Map()
worker.onmessage = ({ data }) => { waiting.get(data.id)(data); waiting.delete(data.id) }
function ask(message) {
    const id = next++
    return new Promise((resolve) => {
        waiting.set(id, resolve)
        worker.postMessage({ ...message, id })
    })
}
window.bench = async (circuit, names, input, count) => {
    const files = { "snarkjs.min.js": await bytes("snarkjs.min.js") }
    for (const name of names) files[name] = await bytes(name)
    await ask({ files, circuit })
    const seconds = []
    for (let i = 0; i <= count; i++) {
        const answer = await ask({ input, circuit })
        if (answer.error || !answer.valid) throw new Error(answer.error ?? "proof not verified")
        if (i > 0) seconds.push(answer.seconds)
    }
    return seconds
}
</script>"""


def log(message: str) -> None:
    print(f"[encrypted_prover] {message}", flush=True)


def constraints(r1cs: Path) -> int:
    """The number of constraints in an r1cs file's header section (iden3's binary format)."""
    data = r1cs.read_bytes()
    sections = struct.unpack_from("<I", data, 8)[0]
    at = 12
    for _ in range(sections):
        kind, size = struct.unpack_from("<IQ", data, at)
        at += 12
        if kind == 1:
            # n8, prime (n8 bytes), nWires, nPubOut, nPubIn, nPrvIn, nLabels (8), nConstraints
            n8 = struct.unpack_from("<I", data, at)[0]
            return int(struct.unpack_from("<I", data, at + 4 + n8 + 4 * 4 + 8)[0])
        at += size
    raise ValueError(f"{r1cs}: no header section")


def inputs() -> tuple[dict[str, Any], dict[str, Any]]:
    cases = json.loads((REPO_ROOT / "tests" / "vectors" / "proofs.json").read_text())["cases"]
    plain = next(c for c in cases if c["name"] == "valid_member")["context"]["circuitInput"]
    encrypted = encrypted_ballot_input(plain, choice=2, options=5)
    return plain, {k: _json(v) for k, v in encrypted.items()}


def _json(value: Any) -> Any:
    if isinstance(value, list):
        return [_json(v) for v in value]
    return str(value) if isinstance(value, int) else value


def browser_seconds(plain: dict[str, Any], encrypted: dict[str, Any], count: int) -> dict[str, Any]:
    if not (DIST / "prover-worker.js").is_file():
        raise SystemExit("frontend/dist is not built: run make setup")
    (DIST / "prover-bench.html").write_text(PAGE)
    server, site = serve(DIST)
    try:
        with sync_playwright() as running:
            browser = running.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
            )
            try:
                page = browser.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                page.goto(f"{site}/prover-bench.html")
                results = {}
                for circuit, files, circuit_input in (
                    ("plain", SPEC["zk"], plain),
                    ("encrypted", SPEC["encryption"]["circuit"]["pageFiles"], encrypted),
                ):
                    names = [files["wasm"], files["zkey"], files["verificationKey"]]
                    log(f"browser: {circuit} circuit, {count} proofs after a warm-up")
                    results[circuit] = page.evaluate(
                        "([c, n, i, k]) => window.bench(c, n, i, k)",
                        [circuit, names, circuit_input, count],
                    )
                return results
            finally:
                browser.close()
    finally:
        server.terminate()
        server.wait()
        (DIST / "prover-bench.html").unlink(missing_ok=True)


def summary(times: list[float]) -> dict[str, Any]:
    return {"median_s": round(statistics.median(times), 3), "runs_s": [round(t, 3) for t in times]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5, help="timed proofs per circuit and place")
    args = parser.parse_args()
    plain, encrypted = inputs()

    log(f"node: plain circuit, {args.count} proofs after a warm-up")
    node_plain = node_proof_seconds(args.count, Prover(), plain)
    log(f"node: encrypted circuit, {args.count} proofs after a warm-up")
    node_encrypted = node_proof_seconds(args.count, encrypted_prover(), encrypted)
    browser = browser_seconds(plain, encrypted, args.count)

    def ratio(encrypted_times: list[float], plain_times: list[float]) -> float:
        return round(statistics.median(encrypted_times) / statistics.median(plain_times), 2)

    folders = {"plain": DEV_ZK_DIR, "encrypted": ENCRYPTED_DEV_ZK_DIR}
    result = {
        "about": "Groth16 proof time of the encrypted ballot circuit (16 options) against the "
        "plain Semaphore ballot circuit, same voter, same machine; median of the timed runs "
        "after one warm-up proof. Browser: headless Chromium, the page's own prover worker "
        "(proof plus its local verification, as a voter's page does).",
        "count": args.count,
        "node": {
            "plain": summary(node_plain),
            "encrypted": summary(node_encrypted),
            "ratio": ratio(node_encrypted, node_plain),
        },
        "browser": {
            "plain": summary(browser["plain"]),
            "encrypted": summary(browser["encrypted"]),
            "ratio": ratio(browser["encrypted"], browser["plain"]),
        },
        "target_browser_ratio": TARGET_RATIO,
        "constraints": {k: constraints(f / "semaphore.r1cs") for k, f in folders.items()},
        "wasm_bytes": {k: (f / ZK_WASM).stat().st_size for k, f in folders.items()},
        "zkey_bytes": {k: (f / ZK_ZKEY).stat().st_size for k, f in folders.items()},
        "public_signals": {"plain": 4, "encrypted": 39},
        "caveat": "a shared 2-core machine: figures vary by about 30% with other load",
    }
    result["browser_ratio_within_target"] = result["browser"]["ratio"] <= TARGET_RATIO
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "encrypted_prover.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    log(json.dumps({k: result[k] for k in ("node", "browser", "constraints")}, indent=1))
    log(f"wrote {path.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()

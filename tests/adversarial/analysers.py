"""What the static analysers found, and what was done about each finding.

`make lint` (a prerequisite of `make test`) runs ruff, mypy, solhint, eslint and slither. ruff,
mypy, solhint and eslint fail on any finding their configuration does not turn off; every rule
turned off (in .solhint.json, pyproject.toml) is listed here with its reason. slither has no such
configuration: `python -m tests.adversarial.analysers` runs it and fails on any result that is not
explained below, and on any explanation that no longer matches a result. docs/SECURITY.md's
"Static analysis" table is generated from this list (tests/adversarial/test_catalogue.py checks).
"""

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.adversarial.catalogue import REPO_ROOT

SLITHER = REPO_ROOT / ".venv-slither" / "bin" / "slither"
SOLC = REPO_ROOT / "scripts" / "solc.cjs"
SOLHINT_CONFIG = REPO_ROOT / ".solhint.json"


@dataclass(frozen=True)
class Finding:
    """One analyser rule that fired (or would fire), where, how often, and what was done."""

    tool: str
    rule: str
    where: str
    """The function or contract it names; "*" for every place the rule fires."""
    count: int
    decision: str
    """"fixed" or "explained"."""
    reason: str


EXPLAINED, FIXED = "explained", "fixed"

FINDINGS: tuple[Finding, ...] = (
    # slither 0.11.6, all 102 detectors, on contracts/ (node_modules' libraries analysed, not
    # reported).
    Finding(
        "slither",
        "timestamp",
        "*",
        8,
        EXPLAINED,
        "Every phase check compares block.timestamp with the calendar: that is the protocol. "
        "Windows are hours or days long; a block producer can shift a timestamp by seconds, "
        "which moves a ballot at the very edge of a window by as much (the clock-skew faults "
        "test both seconds of each edge).",
    ),
    Finding(
        "slither",
        "calls-loop",
        "Election._revertWithInvalidProof",
        2,
        EXPLAINED,
        "Only when a batch's combined check has failed: bisection calls the project's own "
        "verifier (an immutable address checked by the recount and the relayer) to name the "
        "first bad proof in the revert; it cannot be made to loop more than log2(batch) times.",
    ),
    Finding(
        "slither",
        "shadowing-local",
        "IElection.publishResult",
        1,
        EXPLAINED,
        "The parameter `resultHash` shadows the getter of the same name in the interface only "
        "(an interface has no body); the ABI's parameter names are the documented ones.",
    ),
    Finding(
        "slither",
        "shadowing-local",
        "IElection.castBallot",
        1,
        EXPLAINED,
        "The parameter `merkleRoot` shadows the getter `merkleRoot(district)` in the interface "
        "only; the ABI's parameter names are the documented ones.",
    ),
    Finding(
        "slither",
        "shadowing-local",
        "Election._packProof",
        1,
        EXPLAINED,
        "The local `scopeSignal` caches the immutable of the same value the getter returns; no "
        "call to the getter is shadowed in that function (solc warns the same). Harmless; to be "
        "renamed by the ballots workstream, which owns the function.",
    ),
    Finding(
        "slither",
        "assembly",
        "Election._finishBatch",
        1,
        EXPLAINED,
        "Shortens the proof-words array in place to the ballots actually recorded (a length "
        "store that only ever shrinks it), saving a copy of up to 128 x 12 (or 47) words.",
    ),
    Finding(
        "slither",
        "assembly",
        "Election._packEncryptedProof",
        1,
        EXPLAINED,
        "Writes one encrypted ballot's 47 words (8 proof words and the 34 ciphertext words by "
        "calldatacopy from the static EncryptedBallotInput, then root, nullifier, message, "
        "scope, options) into a slot the caller sized; index < count, so the writes stay "
        "inside the array.",
    ),
    Finding(
        "slither",
        "assembly",
        "Election._storeEncryptedBallot",
        1,
        EXPLAINED,
        "keccak256 of the 34 ciphertext words that _packEncryptedProof just wrote into the "
        "verifier's words (no second copy of 1,088 bytes).",
    ),
    Finding(
        "slither",
        "assembly",
        "Election._verifyEncryptedRecord",
        1,
        EXPLAINED,
        "Writes an encrypted record's 47 verifier words (proof and ciphertext by calldatacopy "
        "at their offsets in the 1,381-byte record, whose index is below the checked count) "
        "into a one-proof buffer from _verifierCallBuffer.",
    ),
    Finding(
        "slither",
        "assembly",
        "Election._logEncryptedBallotCast",
        1,
        EXPLAINED,
        "Emits EncryptedBallotCast from calldata (revision, root, then proof and ciphertext "
        "contiguous in the static struct) written into free memory, the event's ABI layout.",
    ),
    Finding(
        "slither",
        "assembly",
        "Election._packProof",
        1,
        EXPLAINED,
        "Writes one proof's 12 words (8 proof words by calldatacopy, then root, nullifier, "
        "message and scope) into a slot the caller sized; index < count is checked by the "
        "loop, so the writes stay inside the array.",
    ),
    Finding(
        "slither",
        "assembly",
        "Election._proofRange",
        1,
        EXPLAINED,
        "mcopy of a sub-range of proofs for the bisection; from < to <= count, so the copy is "
        "inside the source array.",
    ),
    Finding(
        "slither",
        "naming-convention",
        "*",
        4,
        EXPLAINED,
        "MAX_BALLOTS_PER_BATCH, MAX_RECORDS_PER_BATCH, RECORD_BYTES and MAX_ENCRYPTED_OPTIONS "
        "are constants' getters, "
        "named as Solidity's style names constants; they are part of the ABI the relayer, the "
        "recount and the page read.",
    ),
    Finding(
        "slither",
        "uninitialized-state",
        "Election._ballots",
        1,
        EXPLAINED,
        "A false positive: the mapping is written by _storeBallot with one assembly sstore of "
        "the packed slot (district, choice, revision, time), which slither does not follow. "
        "ballotOf reads back what was stored: the model-against-contract fuzzing compares "
        "every nullifier's stored ballot after each step.",
    ),
    Finding(
        "slither",
        "assembly",
        "BallotEncoding.hashToField",
        1,
        EXPLAINED,
        "keccak256 of one word in the scratch space (0x00-0x20), nothing allocated: "
        "Semaphore's hash, checked by the shared vectors.",
    ),
    Finding(
        "slither",
        "assembly",
        "Election._storeBallot",
        1,
        EXPLAINED,
        "One sstore of the ballot's packed slot (district | choice << 32 | revision << 64 "
        "| time << 96), the layout of the Ballot struct; read back by ballotOf (see "
        "uninitialized-state).",
    ),
    Finding(
        "slither",
        "assembly",
        "Election._verifyRecord",
        1,
        EXPLAINED,
        "Computes the record's calldata offset and points a calldata uint256[8] at its proof "
        "words (offset index x 297 + 32 inside `records`, whose length is a checked multiple "
        "of the record size).",
    ),
    Finding(
        "slither",
        "assembly",
        "Election._smallFields",
        1,
        EXPLAINED,
        "Reads a BallotInput's district, choice and revision words from calldata without "
        "the ABI's range checks, then checks each against uint32 itself.",
    ),
    Finding(
        "slither",
        "assembly",
        "Election._recordAt",
        1,
        EXPLAINED,
        "Reads one record's nullifier and its packed tail (district, choice, revision) at "
        "index x 297 inside `records`; the index is below the checked record count.",
    ),
    Finding(
        "slither",
        "assembly",
        "Election._logRecords",
        1,
        EXPLAINED,
        "Emits BallotsRecorded with the records copied straight from calldata into free "
        "memory (ABI-encoded bytes), without a second copy.",
    ),
    Finding(
        "slither",
        "assembly",
        "Election._logBallotCast",
        1,
        EXPLAINED,
        "Emits BallotCast from calldata words written into free memory, the event's ABI "
        "layout, without decoding the struct first.",
    ),
    Finding(
        "slither",
        "assembly",
        "Election._verifierCallBuffer",
        1,
        EXPLAINED,
        "Allocates the proof-words array with two spare words before it for the call's "
        "selector and offset, advancing the free memory pointer past the array.",
    ),
    Finding(
        "slither",
        "assembly",
        "Election._verifyBatchInPlace",
        1,
        EXPLAINED,
        "staticcall of verifyBatch(words) with the call data built in place in those two "
        "spare words; valid only if the call succeeded and returned exactly one word "
        "equal to 1.",
    ),
    Finding(
        "slither",
        "assembly",
        "PoseidonT3.hash",
        1,
        EXPLAINED,
        "The generated circomlib-form Poseidon (about 19k gas a hash): one assembly block of "
        "unrolled rounds, generated by the register workstream's script and checked against "
        "the Python and JavaScript Poseidon by the shared vectors.",
    ),
    Finding(
        "slither",
        "write-after-write",
        "PoseidonT3.hash",
        5,
        EXPLAINED,
        "In the unrolled rounds a round's temporaries (s0, x, n0-n2) are assigned again by the "
        "next round before the old value is read on one path: generated code, dead stores of a "
        "few gas each, the hash's output checked by the vectors.",
    ),
    # solhint 6.2.4, `solhint:recommended` with the rules below changed in .solhint.json.
    Finding(
        "solhint",
        "use-natspec (author, param, return)",
        "*",
        71,
        EXPLAINED,
        "@title and @notice stay required. @author is not used (the repository's history says "
        "who wrote what); parameters and return values are named in the @notice sentence "
        "(`district`'s register root), which is what the ABI docs show.",
    ),
    Finding(
        "solhint",
        "gas-strict-inequalities",
        "*",
        21,
        EXPLAINED,
        "Windows are [start, end) and bounds are inclusive where the protocol says so; each "
        "comparison is the rule's meaning, not a gas choice, and every edge has a test.",
    ),
    Finding(
        "solhint",
        "immutable-vars-naming",
        "*",
        14,
        EXPLAINED,
        "Immutables are private with a leading underscore and read through named getters; "
        "renaming them to SNAKE_CASE would change nothing a reader or the ABI sees.",
    ),
    Finding(
        "solhint",
        "no-inline-assembly",
        "*",
        16,
        EXPLAINED,
        "Twelve blocks in Election.sol and one in BallotEncoding (each explained in "
        "slither's `assembly` rows), three in the "
        "generated Groth16 verifier (the precompile calls for ecMul, ecAdd and the pairing, "
        "from `python -m veche.chain.verifier_source`) and the generated PoseidonT3 (the "
        "circomlib-form hash); each generated file is checked against its generator.",
    ),
    Finding(
        "solhint",
        "function-max-lines",
        "Groth16Verifier.verifyProof, PoseidonT3.hash",
        2,
        EXPLAINED,
        "Generated code: the verifier's pairing check (128 lines of precompile calls) and the "
        "Poseidon permutation's unrolled rounds; not hand-written.",
    ),
    Finding(
        "solhint",
        "gas-indexed-events",
        "*",
        3,
        EXPLAINED,
        "A registrar's quota and a skipped ballot's revisions are not filtered on; indexing "
        "them would add gas to every such event for no reader.",
    ),
    Finding(
        "solhint",
        "gas-small-strings",
        "Election (EIP-712 type strings, event reasons)",
        5,
        EXPLAINED,
        "The EIP-712 type strings are hashed into constants at compile time (no gas at run "
        "time; the standard fixes their text), and a suspension's reason is written only "
        "when a challenge succeeds.",
    ),
    Finding(
        "solhint",
        "gas-increment-by-one",
        "RegisterTree.replace",
        1,
        EXPLAINED,
        "`siblings[used++]` reads the sibling then advances the cursor: the post-increment is "
        "the meaning, not a gas choice.",
    ),
    Finding(
        "solhint",
        "func-visibility",
        "Election.constructor",
        1,
        EXPLAINED,
        "Configured for Solidity >= 0.7 (`ignoreConstructors`): a constructor has no "
        "visibility to mark.",
    ),
    # ruff 0.17.5 and mypy 2.4.1 (pyproject.toml).
    Finding(
        "ruff",
        "SIM300",
        "tests",
        1,
        FIXED,
        "A Yoda comparison rewritten.",
    ),
    Finding(
        "ruff",
        "format",
        "*",
        2,
        FIXED,
        "Two files reformatted with `ruff format`.",
    ),
    Finding(
        "ruff",
        "RUF001",
        "scripts/wordlist_ru.py",
        12,
        EXPLAINED,
        "Cyrillic letters in strings on purpose: the script builds the Russian word list.",
    ),
    Finding(
        "ruff",
        "SIM905",
        "scripts/wordlist_ru.py",
        1,
        EXPLAINED,
        "A word list written as one string split on spaces, kept readable.",
    ),
    # eslint 10.15.0 with @eslint/js recommended (eslint.config.js): no finding on any page.
)


def slither_results(keep: Path | None = None) -> list[dict[str, object]]:
    """Runs slither on contracts/ (through solcjs, offline) and returns its detector results
    (its whole JSON report is copied to `keep` if given)."""
    if not SLITHER.exists():
        raise SystemExit(f"slither is not installed at {SLITHER}: run `make lint`")
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "slither.json"
        command = [
            str(SLITHER), "contracts", "--solc-standard-json", "--solc", str(SOLC),
            "--solc-remaps",
            "@zk-kit=node_modules/@zk-kit poseidon-solidity=node_modules/poseidon-solidity",
            "--filter-paths", "node_modules", "--json", str(output),
        ]  # fmt: skip
        run = subprocess.run(
            command, cwd=REPO_ROOT, capture_output=True, text=True, env={**os.environ}
        )
        if not output.exists():
            raise SystemExit(f"slither failed (exit {run.returncode}):\n{run.stderr[-3000:]}")
        report = json.loads(output.read_text())
        if keep is not None:
            keep.write_text(output.read_text())
    if not report["success"]:
        raise SystemExit(f"slither failed: {report['error']}")
    detectors: list[dict[str, object]] = report["results"].get("detectors", [])
    return detectors


def _where(result: dict[str, object]) -> str:
    """`Contract.function` (or `Contract.variable`) that a result's first element names."""
    elements = result["elements"]
    assert isinstance(elements, list)
    if not elements:
        return "?"
    element = elements[0]
    parent = element.get("type_specific_fields", {}).get("parent", {})
    if element["type"] == "variable" and parent.get("type") == "function":  # a local
        contract = parent.get("type_specific_fields", {}).get("parent", {})
        return f"{contract.get('name', '?')}.{parent['name']}"
    return f"{parent['name']}.{element['name']}" if parent else str(element["name"])


def unexplained(results: list[dict[str, object]]) -> tuple[list[str], list[str]]:
    """The results with no explanation, and the explanations matching no result."""
    explained = [f for f in FINDINGS if f.tool == "slither"]
    seen: dict[Finding, int] = dict.fromkeys(explained, 0)
    missing = []
    for result in results:
        where = _where(result)
        match = [f for f in explained if f.rule == result["check"] and f.where in ("*", where)]
        if not match:
            missing.append(f"{result['check']} in {where}: {result['description']}")
        for finding in match:
            seen[finding] += 1
    stale = [
        f"{f.rule} in {f.where}: explained for {f.count}, found {n}"
        for f, n in seen.items()
        if n != f.count
    ]
    return missing, stale


def main(argv: list[str]) -> int:
    """`--from REPORT` checks a saved slither report; `--keep REPORT` saves this run's."""
    if argv[:1] == ["--from"]:
        results = json.loads(Path(argv[1]).read_text())["results"].get("detectors", [])
    else:
        results = slither_results(Path(argv[1]) if argv[:1] == ["--keep"] else None)
    missing, stale = unexplained(results)
    for line in missing:
        print(f"slither: not explained in tests/adversarial/analysers.py: {line}")
    for line in stale:
        print(f"slither: the explanation no longer matches (update its count or remove it): {line}")
    print(f"slither: {len(results)} results, {len(missing)} unexplained, {len(stale)} stale")
    return 1 if missing or stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

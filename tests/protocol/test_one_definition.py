"""One definition per protocol rule per language, and no copies of it elsewhere.

How it counts. The files are every Python, JavaScript and Solidity source git tracks or would
track (`git ls-files --cached --others --exclude-standard`), without `node_modules`, the built
pages and generated verifiers. For each rule and language, `DEFINITIONS` names the pattern that
declares the rule (a `def`, a `function`, a class, or the one assignment of a constant); the
test counts the lines that match it in that language's files and requires exactly one, in the
core file named. `COPIES` names the shapes a re-implementation would take (a phase ladder, a
hand-written revision step, a port probe, a relayer command line, a quoted artifact name, a page
sentence for a relayer code); the test counts their lines outside the files allowed to hold
them and requires zero. Each failure lists the offending lines.
"""

import re
import subprocess
from dataclasses import dataclass

import pytest

from veche.chain.paths import REPO_ROOT

LANGUAGES = {"python": (".py",), "javascript": (".js", ".mjs"), "solidity": (".sol",)}
SKIPPED = ("node_modules/", "frontend/dist/", "contracts/verifiers/", "contracts/build/")
"""Not counted: installed packages, built pages, the generated verifier, compiled artifacts, and
`contracts/test/`, whose harness exposes the library's functions under the same names."""
SKIPPED += ("contracts/test/",)


def _sources() -> dict[str, dict[str, list[str]]]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    by_language: dict[str, dict[str, list[str]]] = {language: {} for language in LANGUAGES}
    for path in listed:
        if path.startswith(SKIPPED) or not (REPO_ROOT / path).is_file():
            continue
        for language, suffixes in LANGUAGES.items():
            if path.endswith(suffixes):
                lines = (REPO_ROOT / path).read_text(errors="replace").splitlines()
                by_language[language][path] = lines
    return by_language


SOURCES = _sources()


def _matches(language: str, pattern: str, files: str = "") -> list[str]:
    """`path:line: text` of every line of `language` matching `pattern`, in files whose path
    matches the regular expression `files` (all files if empty)."""
    regex = re.compile(pattern)
    return [
        f"{path}:{number}: {line.strip()}"
        for path, lines in SOURCES[language].items()
        if re.search(files, path)
        for number, line in enumerate(lines, 1)
        if regex.search(line)
    ]


@dataclass(frozen=True)
class Definition:
    rule: str
    language: str
    pattern: str
    home: str


PY_CORE = "backend/veche/protocol/"
JS_CORE = "frontend/src/lib/protocol.js"
JS_ENCODING = "frontend/src/lib/encoding.js"

DEFINITIONS = [
    # The phase at a moment, and its vocabulary.
    Definition("phase vocabulary", "python", r"^class Phase\b", PY_CORE + "phases.py"),
    Definition("phase at a moment", "python", r"^def phase_at\(", PY_CORE + "phases.py"),
    Definition("phase vocabulary", "javascript", r"\bPHASES\s*=", JS_CORE),
    Definition("phase of the contract", "javascript", r"function phaseName\(", JS_CORE),
    Definition("phase vocabulary", "solidity", r"\benum Phase\b", "contracts/interfaces/"),
    # Which revision may follow which, and the next one a voter makes.
    Definition("revision rule", "python", r"^def revision_rejection\(", PY_CORE + "rules.py"),
    Definition("next revision", "python", r"^def next_revision\(", PY_CORE + "rules.py"),
    Definition("revision rule", "javascript", r"function revisionRejection\(", JS_CORE),
    Definition("next revision", "javascript", r"function nextRevision\(", JS_CORE),
    Definition("revision rule", "solidity", r"function _requireNextRevision\(", "contracts/"),
    # Where a register member sits; which ballot counts.
    Definition(
        "register from events", "python", r"^def registers_from_members\(", PY_CORE + "rules.py"
    ),
    Definition("register from events", "javascript", r"function registersFromEvents\(", JS_CORE),
    Definition("counted ballots", "python", r"^class BallotBox\b", "backend/veche/model/"),
    Definition("counted ballots", "javascript", r"function countedBallots\(", JS_CORE),
    Definition("rejection reasons", "python", r"^class Rejection\b", PY_CORE + "rejections.py"),
    # The recorded mode's records: their layout read once per language (the page verifies its
    # voter's records with the recount's public signals).
    Definition("record decoder", "python", r"^def _decode\(", PY_CORE + "records.py"),
    Definition("record decoder", "javascript", r"function decodeRecords\(", JS_CORE),
    Definition("record public signals", "javascript", r"function recordSignals\(", JS_ENCODING),
    # The encodings.
    Definition("ballot message", "python", r"^def pack_message\(", "backend/veche/crypto/"),
    Definition("ballot message", "javascript", r"function ballotMessage\(", JS_ENCODING),
    Definition("ballot message", "solidity", r"function packMessage\(", "contracts/libraries/"),
    Definition("election scope", "python", r"^def election_scope\(", "backend/veche/crypto/"),
    Definition("election scope", "javascript", r"function electionScope\(", JS_ENCODING),
    Definition("election scope", "solidity", r"function electionScope\(", "contracts/libraries/"),
    Definition("hash to field", "python", r"^def semaphore_hash\(", "backend/veche/crypto/"),
    Definition("hash to field", "javascript", r"function semaphoreHash\(", JS_ENCODING),
    Definition("hash to field", "solidity", r"function hashToField\(", "contracts/libraries/"),
    # Constants read from the spec, each assigned once.
    Definition("castBallot gas", "python", r"^CAST_BALLOT_GAS\b.*=", PY_CORE + "spec.py"),
    Definition("tree depth", "python", r"^TREE_DEPTH\b.*=", PY_CORE + "spec.py"),
    Definition("tree depth", "javascript", r"\bTREE_DEPTH\s*=", JS_CORE),
    Definition("zk artifact folder", "python", r"^def zk_dir\(", "backend/veche/keys.py"),
    # The harness: one port probe, one way to start a relayer.
    Definition("free port", "python", r"^def free_port\(", "backend/veche/devnet.py"),
    Definition("relayer start-up", "python", r"^def relayer_process\(", "backend/veche/devnet.py"),
]


@dataclass(frozen=True)
class Copy:
    what: str
    language: str
    pattern: str
    allowed: str
    """A regular expression on paths that may hold the shape (the core, tests of it)."""


COPIES = [
    Copy(
        "a phase ladder on calendar times",
        "python",
        r"now\s*<\s*self\.(registration|voting|appeals)",
        r"^$",
    ),
    Copy("a list of phase names", "python", r"\"registration\",\s*\"waiting\"", r"^tests/"),
    Copy(
        "a list of phase names",
        "javascript",
        r"\"registration\",\s*\"waiting\"",
        r"^tests/js/",
    ),
    Copy("a contract phase number", "javascript", r"VOTING_PHASE|phase\s*[!=]==?\s*\d", r"^$"),
    Copy("a revision step by hand", "python", r"revision\)?\s*\+\s*1\b", r"^tests/"),
    Copy("a revision step by hand", "javascript", r"revision\)?\s*\+\s*1\b", r"^tests/"),
    Copy(
        "a message packed by hand",
        "python",
        r"<<\s*64\s*\)?\s*\|",
        r"^(tests/|backend/veche/crypto/hashing\.py$)",
    ),
    Copy(
        "a message packed by hand",
        "javascript",
        r"<<\s*64n?\s*\)?\s*\|",
        r"^(tests/|frontend/src/lib/encoding\.js$)",
    ),
    Copy(
        "a zk artifact named by hand",
        "python",
        r"[\"'](semaphore\.wasm|semaphore\.zkey|verification_key\.json)[\"']|depth20\"",
        # Tests may name the files they check or write (artifact sums, a ceremony's export).
        r"^tests/",
    ),
    Copy(
        "a zk artifact named by hand",
        "javascript",
        r"[\"'](semaphore\.wasm|semaphore\.zkey|verification_key\.json)[\"']|\"depth20\"",
        r"^$",
    ),
    Copy(
        "a port probe",
        "python",
        r"\.bind\(\(",
        # The relayer checks its own port before serving; an attack test holds a port busy.
        r"^(backend/veche/devnet\.py|backend/veche/relayer/server\.py|tests/adversarial/)",
    ),
    Copy(
        "a relayer command line",
        "python",
        r"\"relayer\",\s*\"serve\"",
        # Tests that start a relayer which must fail before it ever listens.
        r"^(backend/veche/devnet\.py|tests/integration/test_relayer_limits\.py|tests/adversarial/)",
    ),
    Copy("a page sentence for a relayer code", "javascript", r"\"relayer\.[a-z_]+\"\s*:", r"^$"),
    Copy("the relayer's HTTP status by hand", "python", r"RelayerRefusal\(\s*\d", r"^$"),
]


@pytest.mark.parametrize("definition", DEFINITIONS, ids=lambda d: f"{d.language}: {d.rule}")
def test_each_rule_is_defined_once_per_language(definition: Definition) -> None:
    found = _matches(definition.language, definition.pattern)
    assert len(found) == 1, f"{definition.rule} is defined {len(found)} times: {found}"
    assert found[0].startswith(definition.home), found[0]


@pytest.mark.parametrize("copy", COPIES, ids=lambda c: f"{c.language}: {c.what}")
def test_no_rule_is_written_again_outside_its_core(copy: Copy) -> None:
    found = [
        line
        for line in _matches(copy.language, copy.pattern)
        if not re.search(copy.allowed, line.split(":", 1)[0])
    ]
    assert found == [], f"{copy.what} outside the core: {found}"


def test_every_language_has_sources_to_count() -> None:
    """A guard against counting nothing (a wrong root or a git failure would pass vacuously)."""
    counts = {language: len(files) for language, files in SOURCES.items()}
    assert counts["python"] > 100 and counts["javascript"] > 20 and counts["solidity"] >= 3, counts
    assert JS_CORE in SOURCES["javascript"] and PY_CORE + "rules.py" in SOURCES["python"]


@pytest.mark.parametrize("package", ["recount", "model", "protocol"])
def test_the_judges_do_not_import_the_relayer(package: str) -> None:
    """The recount (and the model and core it counts with) must stand without the relayer whose
    work it judges: not one import of `veche.relayer`, directly or by name."""
    found = _matches("python", r"^\s*(from|import)\s+veche\.relayer", rf"^backend/veche/{package}/")
    assert found == []

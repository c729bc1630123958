"""docs/PROTOCOL.md's worked examples are what the code produces: the canonical definition of
examples/demo.toml and the result record of the demo election described there, byte for byte.
(tests/js/protocol-doc.test.mjs recomputes their hashes from the document alone.)"""

import json
import re
from pathlib import Path
from typing import Any

from veche.definition import canonical_json, definition_hash, load
from veche.model import Tally
from veche.recount.result import (
    BallotCounts,
    Exclusion,
    ExclusionSource,
    build_result,
    canonical_result,
    result_hash,
)

ROOT = Path(__file__).resolve().parents[2]
EVIDENCE = "0x" + "11" * 32
DOC = (ROOT / "docs" / "PROTOCOL.md").read_text(encoding="utf-8")


def _example(label: str) -> tuple[Any, str]:
    match = re.search(
        rf"```json {label}\n(.*?)\n```.*?hash to\s+`(0x[0-9a-f]{{64}})`", DOC, re.DOTALL
    )
    assert match, f"docs/PROTOCOL.md has no block {label} followed by its hash"
    return json.loads(match.group(1)), match.group(2)


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def test_definition_example_is_the_demo_definition() -> None:
    value, stated = _example("veche-definition-example")
    definition = load(ROOT / "examples" / "demo.toml")
    assert _canonical(value) == canonical_json(definition)
    assert stated == "0x" + definition_hash(definition).hex()


def test_result_example_is_what_the_recount_builds_for_the_demo_election() -> None:
    value, stated = _example("veche-result-example")
    definition = load(ROOT / "examples" / "demo.toml")
    result = build_result(
        election="0x5FbDB2315678afecb367f032d93F642f64180aa3",
        chain_id=31337,
        definition=definition,
        definition_hash=definition_hash(definition),
        tallies=[Tally((20, 10, 10)), Tally((12, 14)), Tally((9, 11))],
        registered=[50, 40, 31],
        exclusions=[
            Exclusion("east", ExclusionSource.APPEAL, "demo: proven fraud in East", EVIDENCE)
        ],
        ballots=BallotCounts(superseded=12, rejected={}),
    )
    assert _canonical(value) == canonical_result(result), json.dumps(result, indent=2)
    assert stated == "0x" + result_hash(result).hex()


def test_event_signatures_and_topics_are_the_contracts() -> None:
    from eth_utils import keccak

    from veche.chain.artifacts import load_artifact

    rows = re.findall(r"^\| `(\w+)\(([^`]*)\)` \| `(0x[0-9a-f]{64})` \|$", DOC, re.MULTILINE)
    abi = {
        entry["name"]: ",".join(item["type"] for item in entry["inputs"])
        for entry in load_artifact("Election").abi
        if entry.get("type") == "event"
    }
    assert {name for name, _, _ in rows} == set(abi)
    for name, parameters, topic in rows:
        types = ",".join(p.split()[0] for p in parameters.split(", "))
        assert types == abi[name], name
        assert topic == "0x" + keccak(text=f"{name}({types})").hex(), name

"""Every analyser rule turned off or narrowed in a configuration file is explained in
tests/adversarial/analysers.py (and so in docs/SECURITY.md), and every explanation names a rule
that is really turned off: the configuration and the document cannot drift apart."""

import json
import tomllib

from tests.adversarial.analysers import FINDINGS, SOLHINT_CONFIG, unexplained
from tests.adversarial.catalogue import REPO_ROOT


def _rule(name: str) -> str:
    return name.split(" (")[0]


def test_every_solhint_rule_changed_is_explained() -> None:
    changed = set(json.loads(SOLHINT_CONFIG.read_text())["rules"])
    explained = {_rule(f.rule) for f in FINDINGS if f.tool == "solhint"}
    assert changed == explained, (
        f"rules changed in .solhint.json but not explained: {sorted(changed - explained)}; "
        f"explained but not changed: {sorted(explained - changed)}"
    )


def test_every_ruff_ignore_is_explained() -> None:
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["ruff"]["lint"]
    ignored = {
        (path, rule) for path, rules in config.get("per-file-ignores", {}).items() for rule in rules
    }
    ignored |= {("*", rule) for rule in config.get("ignore", [])}
    explained = {(f.where, f.rule) for f in FINDINGS if f.tool == "ruff" and f.decision != "fixed"}
    assert ignored == explained


def _result(check: str, kind: str, name: str, parent: str) -> dict[str, object]:
    return {
        "check": check,
        "description": f"{check} in {parent}.{name}",
        "elements": [
            {"type": kind, "name": name, "type_specific_fields": {"parent": {"name": parent}}}
        ],
    }


def test_a_new_slither_result_fails_the_build() -> None:
    results = [
        _result(
            f.rule,
            "function",
            *reversed(("Election.any" if f.where == "*" else f.where).split(".")),
        )
        for f in FINDINGS
        if f.tool == "slither"
        for _ in range(f.count)
    ]
    assert unexplained(results) == ([], [])
    missing, _ = unexplained([*results, _result("reentrancy-eth", "function", "vote", "Election")])
    assert missing == ["reentrancy-eth in Election.vote: reentrancy-eth in Election.vote"]
    _, stale = unexplained(results[1:])
    assert len(stale) == 1

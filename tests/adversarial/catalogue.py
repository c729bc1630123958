"""The attack and fault catalogue: every test under tests/adversarial registers what it tries and
which layers must refuse it, and docs/SECURITY.md is generated from this registry (a test fails
when the document and the tests drift apart).

    @attack("proofs", "A proof with its points swapped", CONTRACT, RELAYER, refusal="InvalidProof")
    def test_...

`python -m tests.adversarial.catalogue` rewrites the generated part of docs/SECURITY.md.
"""

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

REPO_ROOT = Path(__file__).resolve().parents[2]
SECURITY_MD = REPO_ROOT / "docs" / "SECURITY.md"
BEGIN, END = "<!-- catalogue: begin (generated) -->", "<!-- catalogue: end -->"


class Layer(StrEnum):
    """Who refuses: each layer a ballot, a registration or a claim passes through."""

    PAGE = "page"
    RELAYER = "relayer"
    CONTRACT = "contract"
    RECOUNT = "recount"
    REGISTRAR = "registrar desk"
    AUTHORITY = "authority"
    MODEL = "reference model"
    CLI = "command line"


PAGE, RELAYER, CONTRACT, RECOUNT = Layer.PAGE, Layer.RELAYER, Layer.CONTRACT, Layer.RECOUNT
REGISTRAR, AUTHORITY, MODEL, CLI = Layer.REGISTRAR, Layer.AUTHORITY, Layer.MODEL, Layer.CLI


@dataclass(frozen=True)
class Entry:
    """One attack (or fault): what is tried, who refuses (or recovers), and how it shows."""

    area: str
    name: str
    layers: tuple[Layer, ...]
    refusal: str
    test: str


ATTACKS: dict[str, Entry] = {}
FAULTS: dict[str, Entry] = {}

Test = TypeVar("Test", bound=Callable[..., Any])


def _register(
    table: dict[str, Entry], area: str, name: str, layers: tuple[Layer, ...], refusal: str
) -> Callable[[Test], Test]:
    if not layers:
        raise ValueError(f"{name}: say which layer refuses it")

    def register(test: Test) -> Test:
        module = test.__module__.replace(".", "/")
        key = f"{module}.py::{test.__name__}"
        if key in table:
            raise ValueError(f"{key} is registered twice")
        table[key] = Entry(area, name, layers, refusal, key)
        return test

    return register


def attack(area: str, name: str, *layers: Layer, refusal: str) -> Callable[[Test], Test]:
    """Registers the decorated test as the attack `name`, refused by `layers` with `refusal`."""
    return _register(ATTACKS, area, name, layers, refusal)


def fault(area: str, name: str, *layers: Layer, refusal: str) -> Callable[[Test], Test]:
    """Registers the decorated test as the fault `name`, survived by `layers` as `refusal` says:
    no accepted ballot lost, none counted twice."""
    return _register(FAULTS, area, name, layers, refusal)


@dataclass(frozen=True)
class Fuzzing:
    """A fuzz or property test: what it generates, against what, and how many examples a run."""

    target: str
    generates: str
    examples: int
    test: str


FUZZING: dict[str, Fuzzing] = {}


def fuzzing(target: str, generates: str, examples: int) -> Callable[[Test], Test]:
    """Registers the decorated test as a fuzz or property test running `examples` a run."""

    def register(test: Test) -> Test:
        key = f"{test.__module__.replace('.', '/')}.py::{test.__name__}"
        FUZZING[key] = Fuzzing(target, generates, examples, key)
        return test

    return register


def elsewhere(
    table: dict[str, Entry], area: str, name: str, layers: tuple[Layer, ...], refusal: str,
    test: str,
) -> None:  # fmt: skip
    """Registers a test that lives outside tests/adversarial (its own feature's suite), so that
    the catalogue is complete without a second copy of it."""
    if test in table:
        raise ValueError(f"{test} is registered twice")
    table[test] = Entry(area, name, layers, refusal, test)


def load_all() -> None:
    """Imports every test module under tests/adversarial, filling the registries."""
    import tests.adversarial as package
    import tests.adversarial.elsewhere  # noqa: F401  (registers tests of other suites)

    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if info.name.rsplit(".", 1)[-1].startswith("test_"):
            importlib.import_module(info.name)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(entries: dict[str, Entry], what: str) -> list[str]:
    lines = [
        f"| # | Area | {what} | Refused by | Exact refusal | Test |",
        "|---|------|------|------------|---------------|------|",
    ]
    ordered = sorted(entries.values(), key=lambda e: (e.area, e.test))
    for number, entry in enumerate(ordered, start=1):
        layers = ", ".join(layer.value for layer in entry.layers)
        lines.append(
            f"| {number} | {_cell(entry.area)} | {_cell(entry.name)} | {layers} | "
            f"{_cell(entry.refusal)} | `{entry.test}` |"
        )
    return lines


def _findings_table() -> list[str]:
    from tests.adversarial.analysers import FINDINGS, FIXED

    fixed = sum(f.count for f in FINDINGS if f.decision == FIXED)
    explained = sum(f.count for f in FINDINGS if f.decision != FIXED)
    lines = [
        f"### Static analysis ({fixed + explained} findings: {fixed} fixed, {explained} explained)",
        "",
        "`make lint` runs ruff, mypy, solhint, eslint and slither; a finding not fixed and not "
        "explained here fails `make test` (tests/adversarial/analysers.py).",
        "",
        "| Tool | Rule | Where | Findings | Decision | Why |",
        "|------|------|-------|----------|----------|-----|",
    ]
    for f in FINDINGS:
        lines.append(
            f"| {f.tool} | {_cell(f.rule)} | {_cell(f.where)} | {f.count} | {f.decision} | "
            f"{_cell(f.reason)} |"
        )
    return lines


def _fuzzing_table() -> list[str]:
    total = sum(f.examples for f in FUZZING.values())
    lines = [
        f"### Fuzzing and properties ({total} examples a run)",
        "",
        "| Target | Generates | Examples a run | Test |",
        "|--------|-----------|----------------|------|",
    ]
    for f in sorted(FUZZING.values(), key=lambda f: (f.target, f.test)):
        lines.append(f"| {_cell(f.target)} | {_cell(f.generates)} | {f.examples} | `{f.test}` |")
    return lines


def generated() -> str:
    """The generated part of docs/SECURITY.md: the tables, with their counts."""
    load_all()
    lines = [
        BEGIN,
        f"### Attacks ({len(ATTACKS)})",
        "",
        *_table(ATTACKS, "Attack"),
        "",
        f"### Faults ({len(FAULTS)})",
        "",
        *_table(FAULTS, "Fault"),
        "",
        *_fuzzing_table(),
        "",
        *_findings_table(),
        END,
    ]
    return "\n".join(lines)


def current_document() -> str:
    text = SECURITY_MD.read_text()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + generated() + text[end:]


if __name__ == "__main__":
    # Run as a script this file is `__main__`; the tests register into the imported module.
    from tests.adversarial import catalogue

    SECURITY_MD.write_text(catalogue.current_document())
    print(f"{SECURITY_MD}: {len(catalogue.ATTACKS)} attacks, {len(catalogue.FAULTS)} faults")

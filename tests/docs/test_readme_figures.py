"""The README's figures are the demo's: docs/demo-figures.json is written from a full `make
demo` run's out/demo/metrics.json by `make figures`, and the README quotes exactly it."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FIGURES = json.loads((ROOT / "docs" / "demo-figures.json").read_text())


def about(value: int) -> str:
    """How the README rounds a gas figure: to the hundred, with thousands separators."""
    return f"about {round(value, -2):,}"


@pytest.mark.parametrize(
    "quote",
    [
        f"registers {FIGURES['registeredVoters']} synthetic voters",
        f"({FIGURES['revotes']} of them change their",
        f"making {FIGURES['proofs']} proofs",
        f"{about(FIGURES['gasPerRegistration'])} gas a voter",
        f"{about(FIGURES['gasPerBallot'])} gas a ballot",
    ],
)
def test_readme_quotes_the_demos_figures(quote: str) -> None:
    assert quote in " ".join(README.split()), f"README.md should say: {quote}"


def _figures(tmp_path: Path, metrics: dict[str, object]) -> subprocess.CompletedProcess[str]:
    source = tmp_path / "metrics.json"
    source.write_text(json.dumps(metrics))
    return subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "figures.py"),
            "--metrics",
            str(source),
            "--out",
            str(tmp_path / "figures.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


def test_figures_are_written_from_a_full_demo_runs_metrics(tmp_path: Path) -> None:
    metrics = {key: FIGURES[key] for key in FIGURES if key != "source"}
    run = _figures(tmp_path, {**metrics, "small": False, "recountSeconds": 1.5})
    assert run.returncode == 0, run.stderr
    assert json.loads((tmp_path / "figures.json").read_text()) == FIGURES


def test_figures_refuse_a_small_demo_run(tmp_path: Path) -> None:
    run = _figures(tmp_path, {"small": True})
    assert run.returncode == 1
    assert run.stderr.strip().endswith(
        "these metrics are from `demo.py --small` (or older): run `make demo`"
    )

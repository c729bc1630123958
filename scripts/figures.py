"""Writes docs/demo-figures.json, the figures the README quotes, from the demo's own output.

Run `make figures` after a full `make demo` (not `--small`): it reads out/demo/metrics.json and
keeps the figures that do not depend on the machine's speed. tests/docs/test_readme_figures.py
checks that the README quotes exactly these, so a figure in the README is never from memory.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
METRICS = ROOT / "out" / "demo" / "metrics.json"
FIGURES = ROOT / "docs" / "demo-figures.json"
KEPT = ("registeredVoters", "revotes", "proofs", "gasPerRegistration", "gasPerBallot")


class FiguresError(Exception):
    """The metrics file cannot give the README's figures."""


def figures(metrics: dict[str, Any]) -> dict[str, Any]:
    """The README's figures from a full demo run's metrics."""
    if metrics.get("small", True):
        raise FiguresError("these metrics are from `demo.py --small` (or older): run `make demo`")
    missing = [key for key in KEPT if not isinstance(metrics.get(key), int)]
    if missing:
        raise FiguresError(f"the metrics lack {', '.join(missing)}: run `make demo` again")
    return {
        "source": "make demo (scripts/demo.py), out/demo/metrics.json; regenerate: make figures",
        **{key: metrics[key] for key in KEPT},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--metrics", type=Path, default=METRICS)
    parser.add_argument("--out", type=Path, default=FIGURES)
    args = parser.parse_args()
    try:
        metrics = json.loads(args.metrics.read_text())
        result = figures(metrics)
    except (OSError, json.JSONDecodeError, FiguresError) as error:
        print(f"figures: error: {args.metrics}: {error}", file=sys.stderr)
        return 1
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"Figures written to {args.out}: {json.dumps(result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

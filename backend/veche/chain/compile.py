"""Compiles every contract under `contracts/` into committed, deterministic JSON artifacts.

The artifacts in `contracts/build/` are committed so that deploying, testing and recounting need
no compiler; `--check` proves they are exactly what the committed sources compile to, so that
nobody has to trust them.

    python -m veche.chain.compile          # rewrite contracts/build/*.json
    python -m veche.chain.compile --check  # exit 1 if any committed artifact differs
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import solcx
from solcx.exceptions import SolcError
from solcx.wrapper import get_solc_version

from veche.chain.paths import (
    BUILD_DIR,
    COMPILER_CONFIG,
    CONTRACTS_DIR,
    NODE_MODULES,
    REPO_ROOT,
    SOLC_WRAPPER,
)
from veche.errors import CompileError

_OUTPUT_SELECTION = {
    "*": {
        "*": [
            "abi",
            "evm.bytecode.object",
            "evm.bytecode.linkReferences",
            "evm.deployedBytecode.object",
            "evm.deployedBytecode.linkReferences",
            "evm.deployedBytecode.immutableReferences",
        ]
    }
}


def compiler_config() -> tuple[str, dict[str, Any]]:
    """Returns the pinned compiler version and settings shared with `hardhat.config.js`."""
    config = json.loads(COMPILER_CONFIG.read_text())
    return config["version"], config["settings"]


def source_files() -> list[Path]:
    """Every Solidity source of the project, in a stable order (build output excluded)."""
    return sorted(path for path in CONTRACTS_DIR.rglob("*.sol") if BUILD_DIR not in path.parents)


def compile_all() -> dict[str, dict[str, Any]]:
    """Compiles all sources and returns the artifacts by contract name.

    Raises `CompileError` with the compiler's messages if compilation fails or if two contracts
    share a name (artifacts are keyed by name).
    """
    version, settings = compiler_config()
    _require_compiler_version(version)
    sources = {
        path.relative_to(REPO_ROOT).as_posix(): {"content": path.read_text()}
        for path in source_files()
    }
    standard_input = {
        "language": "Solidity",
        "sources": sources,
        "settings": {**settings, "outputSelection": _OUTPUT_SELECTION},
    }
    try:
        output = solcx.compile_standard(
            standard_input,
            base_path=REPO_ROOT,
            allow_paths=[REPO_ROOT, NODE_MODULES],
            solc_binary=SOLC_WRAPPER,
        )
    except SolcError as error:
        raise CompileError(f"solc failed: {error.message.strip()}") from None
    return _artifacts_from_output(output, version, settings)


def _require_compiler_version(version: str) -> None:
    found = get_solc_version(SOLC_WRAPPER)
    if str(found) != version:
        raise CompileError(f"solc {version} is pinned in {COMPILER_CONFIG.name}, found {found}")


def _artifacts_from_output(
    output: dict[str, Any], version: str, settings: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    artifacts: dict[str, dict[str, Any]] = {}
    for source_name, contracts in output["contracts"].items():
        for name, compiled in contracts.items():
            if name in artifacts:
                raise CompileError(
                    f"two contracts are named {name}: {artifacts[name]['sourceName']} "
                    f"and {source_name}"
                )
            evm = compiled["evm"]
            artifacts[name] = {
                "contractName": name,
                "sourceName": source_name,
                "abi": compiled["abi"],
                "bytecode": "0x" + evm["bytecode"]["object"],
                "deployedBytecode": "0x" + evm["deployedBytecode"]["object"],
                "linkReferences": evm["bytecode"]["linkReferences"],
                "deployedLinkReferences": evm["deployedBytecode"]["linkReferences"],
                "deployedImmutableReferences": evm["deployedBytecode"].get(
                    "immutableReferences", {}
                ),
                "compiler": {"version": version, "settings": settings},
            }
    return artifacts


def render(artifact: dict[str, Any]) -> str:
    """The canonical text of an artifact: sorted keys, so that a rebuild changes no byte."""
    return json.dumps(artifact, indent=2, sort_keys=True) + "\n"


def write_artifacts(artifacts: dict[str, dict[str, Any]], build_dir: Path = BUILD_DIR) -> None:
    """Writes one `<ContractName>.json` per artifact and removes artifacts of deleted contracts."""
    build_dir.mkdir(parents=True, exist_ok=True)
    for stale in set(build_dir.glob("*.json")) - {build_dir / f"{n}.json" for n in artifacts}:
        stale.unlink()
    for name, artifact in artifacts.items():
        (build_dir / f"{name}.json").write_text(render(artifact))


def stale_artifacts(artifacts: dict[str, dict[str, Any]], build_dir: Path = BUILD_DIR) -> list[str]:
    """Names of committed artifact files that are missing, extra, or differ from `artifacts`."""
    expected = {f"{name}.json": render(artifact) for name, artifact in artifacts.items()}
    committed = {path.name: path.read_text() for path in build_dir.glob("*.json")}
    return sorted(
        name
        for name in expected.keys() | committed.keys()
        if expected.get(name) != committed.get(name)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m veche.chain.compile", description=__doc__)
    parser.add_argument(
        "--check",
        action="store_true",
        help="compile in memory and fail if the committed artifacts differ",
    )
    args = parser.parse_args(argv)
    try:
        artifacts = compile_all()
    except CompileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    if args.check:
        stale = stale_artifacts(artifacts)
        if stale:
            print(
                f"error: stale artifacts in {BUILD_DIR.relative_to(REPO_ROOT)}: "
                f"{', '.join(stale)} (run python -m veche.chain.compile)",
                file=sys.stderr,
            )
            return 1
        print(f"{len(artifacts)} artifacts are up to date")
        return 0
    write_artifacts(artifacts)
    print(f"wrote {len(artifacts)} artifacts to {BUILD_DIR.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

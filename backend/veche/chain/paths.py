"""Where the contracts, their compiled artifacts and the node tools live in the repository."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
CONTRACTS_DIR = REPO_ROOT / "contracts"
BUILD_DIR = CONTRACTS_DIR / "build"
COMPILER_CONFIG = CONTRACTS_DIR / "solc.json"
NODE_MODULES = REPO_ROOT / "node_modules"
SOLC_WRAPPER = REPO_ROOT / "scripts" / "solc.cjs"
ANVIL_BINARY = NODE_MODULES / ".bin" / "anvil"

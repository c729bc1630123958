"""Gas and fee of a full deploy (the verifier, PoseidonT3, the Election) of a real election
definition, the way `veche deploy` does it on any network, and writes out/bench/deploy.json.

    .venv/bin/python bench/bench_deploy.py [--definition examples/diaspora-2027.toml]
                                           [--gas-price-gwei 1 10 30]

On a fresh local anvil: first the dry run's estimates (nothing sent), then the real deploy with
its journal, three blocks of confirmations and a fee cap. Gas is what the chain reports; the fee
is that gas at each stated gas price (base fee plus tip), since a local chain's price says
nothing about a public network's. The verifier deployed is the development key's; a ceremony's
key gives a verifier of the same code with other constants (the same gas, to a few hundred).
"""

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

from veche.chain.anvil import Anvil, latest_timestamp
from veche.chain.client import connect, dev_accounts
from veche.chain.deploy import deploy_from_definition, estimate_deploy
from veche.chain.journal import DeployJournal
from veche.chain.paths import REPO_ROOT
from veche.chain.transactions import GWEI, TxPolicy, use_policy
from veche.definition import definition_hash, load
from veche.definition.retime import starting_at

OUT = REPO_ROOT / "out" / "bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--definition", type=Path, default=REPO_ROOT / "examples" / "diaspora-2027.toml"
    )
    parser.add_argument("--gas-price-gwei", type=float, nargs="+", default=[1.0, 10.0, 30.0])
    args = parser.parse_args()
    (deployer,) = dev_accounts(1)
    with Anvil(extra_args=["--block-time", "1"]) as node, tempfile.TemporaryDirectory() as tmp:
        w3 = connect(node.rpc_url)
        path = Path(tmp) / "election.toml"
        path.write_text(starting_at(args.definition.read_text(), latest_timestamp(w3)))
        definition = load(path)
        print("dry run (eth_estimateGas, nothing sent)", flush=True)
        estimates = estimate_deploy(w3, deployer.address, definition)
        journal = DeployJournal(
            Path(tmp) / "journal.json",
            chain_id=int(w3.eth.chain_id),
            deployer=deployer.address,
            definition_hash=definition_hash(definition),
        )
        policy = TxPolicy(
            max_fee_per_gas=100 * GWEI, confirmations=3, poll=0.2, notify=lambda line: print(line)
        )
        started = time.perf_counter()
        with use_policy(policy):
            election = deploy_from_definition(w3, deployer, definition, journal=journal)
        seconds = time.perf_counter() - started
        steps = journal.steps
    gas = {name: int(step["gasUsed"]) for name, step in steps.items()}
    total = sum(gas.values())
    record = {
        "definition": str(args.definition.relative_to(REPO_ROOT)),
        "districts": len(definition.districts),
        "election": election.address,
        "gasUsed": gas | {"total": total},
        "gasEstimated": {e.name: e.gas for e in estimates}
        | {"total": sum(e.gas for e in estimates)},
        "gasLimitsSent": {e.name: e.gas_limit for e in estimates},
        "feeAtGasPrice": {
            f"{price:g} gwei": {"wei": round(total * price * GWEI), "eth": total * price / 1e9}
            for price in args.gas_price_gwei
        },
        "note": "fee = gas used x the stated gas price (base fee + tip); the verifier is the "
        "development key's (a ceremony key's verifier has the same code, other constants)",
        "secondsWithBlockTime1sAnd3Confirmations": round(seconds, 1),
        "loadAverage": round(os.getloadavg()[0], 1),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, shared",
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "deploy.json").write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record["gasUsed"], indent=2))
    for price, fee in record["feeAtGasPrice"].items():
        print(f"at {price}: {fee['eth']:.6f} ETH")
    print(f"wrote {OUT / 'deploy.json'}")


if __name__ == "__main__":
    main()

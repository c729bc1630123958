"""The organizer's commands: deploy an election, show its calendar, decide appeals, publish the
result. The organizer's key comes from the keystore `VECHE_ORGANIZER_KEYSTORE` (or, in
development mode, `VECHE_ORGANIZER_KEY`; a multisig would sign elsewhere). Every command that
sends a transaction takes the network options of `add_network_arguments` (fee cap,
confirmations, replacement)."""

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from eth_utils import keccak

from veche.cli.common import (
    UsageError,
    account_from_env,
    add_network_arguments,
    address,
    district_number,
    read_bytes,
    require_definition_of,
    write_atomically,
)

if TYPE_CHECKING:
    from web3 import Web3

    from veche.chain.election import RegistrarGrant
    from veche.definition import ElectionDefinition

ORGANIZER_KEY = "VECHE_ORGANIZER_KEY"


def add_parsers(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("deploy", help="deploy an election from its definition (organizer)")
    p.add_argument("--rpc", required=True)
    p.add_argument("--definition", required=True)
    p.add_argument(
        "--registrar",
        action="append",
        default=[],
        type=address,
        help="a registrar authorised from the start, in every district (repeat)",
    )
    p.add_argument(
        "--quota", type=int, help="each --registrar's quota in every district (required with it)"
    )
    p.add_argument("--organizer", type=address, help="organizer address (default: the deployer)")
    p.add_argument(
        "--journal",
        type=Path,
        help="where each deployed contract is recorded, so that running the deploy again "
        "deploys nothing twice and a killed deploy resumes (default: "
        "<definition>.deploy-<chain id>.json next to the definition)",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="print each transaction's gas and the fee at today's prices; send nothing",
    )
    add_network_arguments(p)
    p.set_defaults(func=run_deploy)

    p = sub.add_parser("calendar", help="show an election's calendar and its current phase")
    p.add_argument("--rpc", required=True)
    p.add_argument("--election", required=True, type=address)
    p.set_defaults(func=run_calendar)

    p = sub.add_parser("appeal", help="exclude or restore a district's ballots (organizer)")
    appeal = p.add_subparsers(dest="appeal_command", required=True)
    for name, help_text in (
        ("exclude", "exclude a district's ballots after proven fraud"),
        ("restore", "undo an exclusion"),
    ):
        q = appeal.add_parser(name, help=help_text)
        q.add_argument("--rpc", required=True)
        q.add_argument("--election", required=True, type=address)
        q.add_argument("--definition", required=True)
        q.add_argument("--district", required=True, help="the district's id in the definition")
        q.add_argument("--reason", required=True)
        if name == "exclude":
            q.add_argument("--evidence", required=True, help="file whose keccak256 is recorded")
        add_network_arguments(q)
        q.set_defaults(func=run_appeal, appeal=name)

    p = sub.add_parser("publish-result", help="recount, then publish the result's hash")
    p.add_argument("--rpc", required=True)
    p.add_argument("--election", required=True, type=address)
    p.add_argument("--definition", required=True)
    p.add_argument("--out", required=True, help="where to write the canonical result file")
    add_network_arguments(p)
    p.set_defaults(func=run_publish)


def run_deploy(args: argparse.Namespace) -> int:
    from veche.chain.client import connect
    from veche.chain.deploy import deploy_from_definition
    from veche.chain.election import grants_everywhere
    from veche.chain.journal import DeployJournal
    from veche.definition import definition_hash, load
    from veche.keys import verification_key_path

    definition = load(args.definition)
    if args.registrar and (args.quota is None or args.quota < 1):
        raise UsageError("--registrar needs --quota N (at least 1): the most it may register")
    grants = [
        grant
        for registrar in args.registrar
        for grant in grants_everywhere(registrar, len(definition.districts), args.quota or 0)
    ]
    deployer = account_from_env(ORGANIZER_KEY)
    w3 = connect(args.rpc)
    if args.dry_run:
        return _dry_run(w3, deployer.address, definition, args.organizer, grants)
    chain_id = int(w3.eth.chain_id)
    journal_path = args.journal or Path(args.definition).with_name(
        f"{Path(args.definition).stem}.deploy-{chain_id}.json"
    )
    print(f"Deploy journal {journal_path}", flush=True)
    journal = DeployJournal(
        journal_path,
        chain_id=chain_id,
        deployer=deployer.address,
        definition_hash=definition_hash(definition),
    )
    election = deploy_from_definition(
        w3,
        deployer,
        definition,
        organizer=args.organizer,
        registrars=grants,
        verification_key=verification_key_path(),
        journal=journal,
    )
    print(f"Election deployed at {election.address}")
    print(f"Definition hash 0x{definition_hash(definition).hex()}")
    blocks = [step["block"] for step in journal.steps.values() if "block" in step]
    paid = sum(s.get("gasUsed", 0) * s.get("effectiveGasPrice", 0) for s in journal.steps.values())
    print(f"Deployed in blocks {min(blocks)}-{max(blocks)}; fees paid {paid / 10**18:.9g} (native)")
    return 0


def _dry_run(w3: "Web3", deployer: str, definition: "ElectionDefinition", organizer: str | None,
             grants: "list[RegistrarGrant]") -> int:  # fmt: skip
    from veche.chain.deploy import estimate_deploy
    from veche.chain.transactions import current_policy, gwei, quote_fees
    from veche.keys import verification_key_path

    estimates = estimate_deploy(
        w3,
        deployer,
        definition,
        organizer=organizer,
        registrars=grants,
        verification_key=verification_key_path(),
    )
    fees = quote_fees(w3, current_policy())
    balance = int(w3.eth.get_balance(w3.to_checksum_address(deployer)))
    print(f"Dry run on chain {w3.eth.chain_id} from {deployer}: nothing is sent")
    print(
        f"fees now: base {gwei(fees.base_fee_per_gas)} + tip "
        f"{gwei(fees.max_priority_fee_per_gas)}; signed with max {gwei(fees.max_fee_per_gas)}"
    )
    print(f"{'contract':<16} {'gas':>11} {'gas limit':>11} {'fee now':>16} {'fee at most':>16}")
    for step in estimates:
        print(
            f"{step.name:<16} {step.gas:>11,} {step.gas_limit:>11,} "
            f"{step.gas * fees.expected_per_gas / 10**18:>16.9g} "
            f"{step.gas_limit * fees.max_fee_per_gas / 10**18:>16.9g}"
        )
    gas = sum(step.gas for step in estimates)
    limit = sum(step.gas_limit for step in estimates)
    most = limit * fees.max_fee_per_gas
    print(
        f"{'total':<16} {gas:>11,} {limit:>11,} {gas * fees.expected_per_gas / 10**18:>16.9g} "
        f"{most / 10**18:>16.9g}"
    )
    print(f"balance of {deployer}: {balance / 10**18:.9g} (native units)")
    if balance < most:
        print(f"the balance is below the most the deploy may cost ({most / 10**18:.9g}): fund it")
        return 2
    return 0


def run_calendar(args: argparse.Namespace) -> int:
    from veche.chain.anvil import latest_timestamp
    from veche.chain.client import connect
    from veche.chain.election import ElectionContract
    from veche.definition import iso
    from veche.protocol import Phase

    w3 = connect(args.rpc)
    election = ElectionContract(w3, args.election)
    calendar = election.calendar()
    now = latest_timestamp(w3)
    phase = Phase.of_contract(
        calendar.phase(now).contract_index, result_published=election.result_hash() is not None
    )
    for label, moment in (
        ("registration opens", calendar.registration_start),
        ("registration closes", calendar.registration_end),
        ("voting opens", calendar.voting_start),
        ("voting closes", calendar.voting_end),
        ("appeals close", calendar.appeals_end),
    ):
        print(f"{label:<20} {iso(moment)}")
    print(f"{'now (chain time)':<20} {iso(now)}: {phase}")
    return 0


def run_appeal(args: argparse.Namespace) -> int:
    from veche.chain.client import connect
    from veche.chain.election import ElectionContract

    if not args.reason.strip():
        raise UsageError("--reason must say why")
    election = ElectionContract(connect(args.rpc), args.election)
    require_definition_of(election, args.definition)
    number = district_number(args.district, args.definition)
    organizer = account_from_env(ORGANIZER_KEY)
    if args.appeal == "exclude":
        evidence = bytes(keccak(read_bytes(args.evidence, "evidence file")))
        election.exclude_district(organizer, number, args.reason, evidence)
        print(f"District {args.district} excluded; evidence hash 0x{evidence.hex()}")
    else:
        election.restore_district(organizer, number, args.reason)
        print(f"District {args.district} restored")
    return 0


def run_publish(args: argparse.Namespace) -> int:
    from veche.chain.client import connect
    from veche.chain.election import ElectionContract
    from veche.definition import load
    from veche.recount import recount
    from veche.recount.keycheck import default_verification_key
    from veche.recount.result import canonical_result

    w3 = connect(args.rpc)
    definition = load(args.definition)
    counted = recount(w3, args.election, definition, default_verification_key(definition))
    if not counted.verified:
        raise UsageError("the recount is not verified: refusing to publish its result")
    if not counted.decrypted:
        raise UsageError(
            "the encrypted tally is not decrypted yet (fewer than k trustees published valid "
            "partial decryptions): there is no result to publish"
        )
    write_atomically(Path(args.out), canonical_result(counted.result))
    ElectionContract(w3, args.election).publish_result(
        account_from_env(ORGANIZER_KEY), counted.result_hash
    )
    print(f"Result published: 0x{counted.result_hash.hex()} (file {args.out})")
    return 0

"""The organizer's commands: deploy an election, show its calendar, decide appeals, publish the
result. The organizer's key comes from `VECHE_ORGANIZER_KEY` (a multisig would sign elsewhere)."""

import argparse
from pathlib import Path

from eth_utils import keccak

from veche.cli.common import (
    UsageError,
    account_from_env,
    address,
    district_number,
    read_bytes,
    require_definition_of,
    write_atomically,
)

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
        q.set_defaults(func=run_appeal, appeal=name)

    p = sub.add_parser("publish-result", help="recount, then publish the result's hash")
    p.add_argument("--rpc", required=True)
    p.add_argument("--election", required=True, type=address)
    p.add_argument("--definition", required=True)
    p.add_argument("--out", required=True, help="where to write the canonical result file")
    p.set_defaults(func=run_publish)


def run_deploy(args: argparse.Namespace) -> int:
    from veche.chain.client import connect
    from veche.chain.deploy import deploy_from_definition
    from veche.chain.election import grants_everywhere
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
    election = deploy_from_definition(
        connect(args.rpc),
        deployer,
        definition,
        organizer=args.organizer,
        registrars=grants,
        verification_key=verification_key_path(),
    )
    print(f"Election deployed at {election.address}")
    print(f"Definition hash 0x{definition_hash(definition).hex()}")
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
    from veche.keys import verification_key_path
    from veche.recount import recount
    from veche.recount.result import canonical_result

    w3 = connect(args.rpc)
    counted = recount(w3, args.election, load(args.definition), verification_key_path())
    if not counted.verified:
        raise UsageError("the recount is not verified: refusing to publish its result")
    write_atomically(Path(args.out), canonical_result(counted.result))
    ElectionContract(w3, args.election).publish_result(
        account_from_env(ORGANIZER_KEY), counted.result_hash
    )
    print(f"Result published: 0x{counted.result_hash.hex()} (file {args.out})")
    return 0

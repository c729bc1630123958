"""`veche registrars authorize | suspend | reinstate`: the organizer manages registrars
(`VECHE_ORGANIZER_KEY`), before registration ends."""

import argparse

from veche.cli.common import (
    UsageError,
    account_from_env,
    add_network_arguments,
    address,
    district_number,
    require_definition_of,
)
from veche.cli.organizer import ORGANIZER_KEY


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("registrars", help="authorise, suspend or reinstate registrars (organizer)")
    registrars = p.add_subparsers(dest="registrars_command", required=True)

    authorize = registrars.add_parser("authorize", help="set a registrar's quota per district")
    _common(authorize)
    authorize.add_argument(
        "--quota",
        action="append",
        required=True,
        metavar="DISTRICT=N",
        help="the registrar's quota in a district (number, or id with --definition); repeat",
    )
    authorize.add_argument("--definition", help="the election definition, to name districts")
    authorize.set_defaults(func=run_authorize)

    for name, help_text in (
        ("suspend", "stop a registrar from adding voters"),
        ("reinstate", "let a suspended registrar add voters again"),
    ):
        q = registrars.add_parser(name, help=help_text)
        _common(q)
        q.add_argument("--reason", required=True)
        q.set_defaults(func=run_suspension, action=name)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rpc", required=True)
    parser.add_argument("--election", required=True, type=address)
    parser.add_argument("--registrar", required=True, type=address)
    add_network_arguments(parser)


def parse_quotas(values: list[str], definition: str | None) -> dict[int, int]:
    """`{district: quota}` from `DISTRICT=N` arguments; refuses a district given twice."""
    quotas: dict[int, int] = {}
    for value in values:
        district, _, quota = value.partition("=")
        if not quota.isdigit():
            raise UsageError(f"--quota must be DISTRICT=N with N a number, got {value!r}")
        number = district_number(district.strip(), definition)
        if number in quotas:
            raise UsageError(f"district {district!r} is given two quotas")
        quotas[number] = int(quota)
    return quotas


def run_authorize(args: argparse.Namespace) -> int:
    from veche.chain.client import connect
    from veche.chain.election import ElectionContract

    election = ElectionContract(connect(args.rpc), args.election)
    if args.definition is not None:
        require_definition_of(election, args.definition)
    quotas = parse_quotas(args.quota, args.definition)
    election.authorize_registrar(account_from_env(ORGANIZER_KEY), args.registrar, quotas)
    listed = ", ".join(f"district {d}: {q}" for d, q in quotas.items())
    print(f"Registrar {args.registrar} authorised ({listed})")
    return 0


def run_suspension(args: argparse.Namespace) -> int:
    from veche.chain.client import connect
    from veche.chain.election import ElectionContract

    if not args.reason.strip():
        raise UsageError("--reason must say why")
    election = ElectionContract(connect(args.rpc), args.election)
    organizer = account_from_env(ORGANIZER_KEY)
    if args.action == "suspend":
        election.suspend_registrar(organizer, args.registrar, args.reason)
        print(f"Registrar {args.registrar} suspended")
    else:
        election.reinstate_registrar(organizer, args.registrar, args.reason)
        print(f"Registrar {args.registrar} reinstated")
    return 0

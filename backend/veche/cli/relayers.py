"""`veche relayers authorize | suspend`: in an election of the recorded ballot mode, the
organizer (`VECHE_ORGANIZER_KEY`) names the relayer accounts that may post ballot records, and
may suspend one for good (until voting ends). A challenge that proves a record invalid suspends
its account by itself (docs/PROTOCOL.md, "Ballot modes")."""

import argparse

from veche.cli.common import UsageError, account_from_env, add_network_arguments, address
from veche.cli.organizer import ORGANIZER_KEY


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser(
        "relayers", help="authorise or suspend relayer accounts (organizer, recorded mode)"
    )
    relayers = p.add_subparsers(dest="relayers_command", required=True)
    authorize = relayers.add_parser("authorize", help="let an account post ballot records")
    _common(authorize)
    authorize.set_defaults(func=run_relayers, action="authorize")
    suspend = relayers.add_parser("suspend", help="stop an account posting records, for good")
    _common(suspend)
    suspend.add_argument("--reason", required=True)
    suspend.set_defaults(func=run_relayers, action="suspend")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rpc", required=True)
    parser.add_argument("--election", required=True, type=address)
    parser.add_argument("--relayer", required=True, type=address, help="the relayer's account")
    add_network_arguments(parser)


def run_relayers(args: argparse.Namespace) -> int:
    from veche.chain.client import connect
    from veche.chain.election import ElectionContract
    from veche.protocol import BallotMode

    election = ElectionContract(connect(args.rpc), args.election)
    if election.ballot_mode() is not BallotMode.RECORDED:
        raise UsageError(
            "this election takes verified ballots: relayers need no authorisation "
            '(ballot_mode is "recorded" only if the definition says so)'
        )
    organizer = account_from_env(ORGANIZER_KEY)
    if args.action == "authorize":
        election.authorize_relayer(organizer, args.relayer)
        print(f"Relayer {args.relayer} may post ballot records")
        return 0
    if not args.reason.strip():
        raise UsageError("--reason must say why")
    election.suspend_relayer(organizer, args.relayer, args.reason)
    print(f"Relayer {args.relayer} suspended for good: it may post no more records")
    return 0

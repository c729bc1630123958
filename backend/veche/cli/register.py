"""`veche register snapshot | check`: each district's register in one compact file, made from
chain data alone, and refused by anyone whose rebuilt root is not the chain's."""

import argparse
import json
from pathlib import Path
from typing import Any

from veche.cli.common import address, write_atomically


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("register", help="register snapshots for static hosting and relayers")
    register = p.add_subparsers(dest="register_command", required=True)

    snapshot = register.add_parser(
        "snapshot", help="write one file per district (commitments in leaf order) from the chain"
    )
    snapshot.add_argument("--rpc", required=True, help="JSON-RPC URL of the chain")
    snapshot.add_argument("--election", required=True, type=address)
    snapshot.add_argument("--definition", required=True, help="the election's definition (TOML)")
    snapshot.add_argument("--out", required=True, help="folder to write the snapshots to")
    snapshot.add_argument("--from-block", type=int, help="the election's deployment block")
    snapshot.add_argument("--at-block", type=int, help="read the registers at this block")
    snapshot.set_defaults(func=run_snapshot)

    check = register.add_parser(
        "check", help="rebuild a snapshot's root and compare it with the chain's"
    )
    check.add_argument("--rpc", required=True, help="JSON-RPC URL of the chain")
    check.add_argument("--election", required=True, type=address)
    check.add_argument("snapshot", nargs="+", help="snapshot file(s)")
    check.set_defaults(func=run_check)


def run_snapshot(args: argparse.Namespace) -> int:
    from veche.chain.client import connect
    from veche.chain.election import ElectionContract
    from veche.chain.rpc import Rpc
    from veche.definition import load
    from veche.definition.canonical import definition_hash
    from veche.errors import VecheError
    from veche.protocol.rules import apply_replacements, registers_from_members
    from veche.recount.progress import Progress
    from veche.recount.scan import Scan
    from veche.register.snapshot import Snapshot, digest, write

    definition = load(args.definition)
    w3 = connect(args.rpc)
    rpc = Rpc(args.rpc)
    pinned = rpc.block_number() if args.at_block is None else args.at_block
    election = ElectionContract(w3, args.election, check=False).at(pinned)
    election.require_election()
    if election.definition_hash() != definition_hash(definition):
        raise VecheError(f"{args.definition} is not the definition election {args.election} holds")
    start = args.from_block
    if start is None:
        start = rpc.deployment_block(election.address, pinned)
    scan = Scan(election.address, rpc.chain_id(), start)
    progress = Progress()
    with progress.stage("reading registers", pinned - start + 1, "blocks") as bar:
        scan.extend(
            rpc,
            pinned,
            events=("MemberAdded", "MemberReplaced"),
            on_range=lambda a, b: bar.update(b - a + 1),
        )
    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    states = election.districts()
    by_district, gaps = registers_from_members(
        ((m.district, m.position, m.commitment) for m in scan.members), len(states)
    )
    gaps += apply_replacements(
        by_district, ((r.district, r.position, r.old, r.new) for r in scan.replacements)
    )
    problems = [str(gap) for gap in gaps]
    if problems:
        raise VecheError(f"the node's logs do not make the registers: {problems[0]}")
    manifest: list[dict[str, Any]] = []
    for number, (district, state) in enumerate(zip(definition.districts, states, strict=True)):
        snapshot = Snapshot(
            scan.chain_id,
            election.address.lower(),
            number,
            pinned,
            state.merkle_root,
            by_district[number],
        )
        snapshot.verified_tree(state.merkle_root, f"district {district.id}'s register")
        path, data = write(snapshot, folder, district.id)
        manifest.append(
            {
                "district": district.id,
                "number": number,
                "file": path.name,
                "count": len(snapshot.commitments),
                "root": str(state.merkle_root),
                "bytes": len(data),
                "sha256": digest(data),
            }
        )
    index = {
        "format": "veche-register-snapshots/1",
        "chainId": scan.chain_id,
        "election": election.address,
        "block": pinned,
        "districts": manifest,
    }
    write_atomically(folder / "index.json", (json.dumps(index, indent=2) + "\n").encode())
    total = sum(entry["bytes"] for entry in manifest)
    print(f"{len(manifest)} register snapshots ({total} bytes) at block {pinned} in {folder}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    from veche.chain.client import connect
    from veche.chain.election import ElectionContract
    from veche.cli.common import read_bytes
    from veche.register.snapshot import Snapshot, SnapshotError

    election = ElectionContract(connect(args.rpc), args.election)
    for name in args.snapshot:
        snapshot = Snapshot.from_bytes(read_bytes(name, "snapshot"), name)
        if snapshot.election != election.address.lower():
            raise SnapshotError(f"{name} is a snapshot of election {snapshot.election}")
        pinned = election.at(snapshot.block)
        snapshot.verified_tree(pinned.merkle_root(snapshot.district), name)
        print(f"{name}: {len(snapshot.commitments)} members, root matches the chain")
    return 0

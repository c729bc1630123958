"""`veche voter sign-challenge`: the registrar's desk for a voter who uses the command line.

The voter signs the registrar's challenge (typed, or read from a photo of the desk's QR code)
with the identity file and shows the answer code, as text, a QR code on the terminal, or an
image, exactly as the voter's page does. Nothing is sent anywhere.
"""

import argparse
from pathlib import Path


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("voter", help="a voter's tools")
    voter = p.add_subparsers(dest="voter_command", required=True)
    sign = voter.add_parser(
        "sign-challenge", help="sign the registrar's challenge; print the answer for the desk"
    )
    sign.add_argument("--identity", required=True, help="file written by 'veche identity new'")
    given = sign.add_mutually_exclusive_group(required=True)
    given.add_argument("--challenge", help="the desk's code (VECHE:C1:...) or its digits")
    given.add_argument("--challenge-qr", type=Path, help="a photo of the desk's QR code")
    sign.add_argument("--qr", type=Path, help="also write the answer's QR code (.png or .svg)")
    sign.add_argument(
        "--terminal", action="store_true", help="also draw the answer's QR code on the terminal"
    )
    sign.set_defaults(func=run_sign_challenge)


def run_sign_challenge(args: argparse.Namespace) -> int:
    from veche.cli.voter import load_identity
    from veche.desk.qr import read_code, terminal_code, write_code
    from veche.registrar.challenge import CHALLENGE_PREFIX, HolderProof, parse_challenge

    identity = load_identity(args.identity)
    if args.challenge_qr is not None:
        text = read_code(args.challenge_qr, CHALLENGE_PREFIX, "registrar's challenge")
    else:
        text = args.challenge
    challenge = parse_challenge(text)
    answer = HolderProof(challenge, identity.public_key, identity.sign(challenge)).to_text()
    if args.qr is not None:
        write_code(answer, args.qr)
    if args.terminal:
        print(terminal_code(answer))
    print(answer)
    return 0

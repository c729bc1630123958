"""Writes the Solidity Groth16 verifier of the ballot circuit from its verification key.

The verifier checks one proof (`verifyProof`, the snarkjs interface) or a whole batch with a
single pairing-product check (`verifyBatch`). Its only inputs are the key's curve points, so
it is generated from `verification_key.json` and committed; `--check` (and a test) prove the
committed file is exactly what the committed key gives.

    python -m veche.chain.verifier_source          # rewrite contracts/verifiers/Groth16Verifier.sol
    python -m veche.chain.verifier_source --check  # exit 1 if the committed file differs
    python -m veche.chain.verifier_source --encrypted [--check]
        # the same for contracts/verifiers/EncryptedBallotVerifier.sol, from the development
        # election key's encrypted ballot circuit (spec: encryption.developmentDir)
"""

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from veche.chain.paths import CONTRACTS_DIR, REPO_ROOT
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.keys import DEV_ZK_DIR
from veche.protocol.spec import ZK_ENCRYPTED_DEVELOPMENT_DIR, ZK_VERIFICATION_KEY

VERIFIER_SOURCE = CONTRACTS_DIR / "verifiers" / "Groth16Verifier.sol"
VERIFICATION_KEY = DEV_ZK_DIR / ZK_VERIFICATION_KEY
ENCRYPTED_VERIFIER_SOURCE = CONTRACTS_DIR / "verifiers" / "EncryptedBallotVerifier.sol"
ENCRYPTED_VERIFICATION_KEY = REPO_ROOT / ZK_ENCRYPTED_DEVELOPMENT_DIR / ZK_VERIFICATION_KEY

BASE_FIELD = 21888242871839275222246405745257275088696311157297823662689037894645226208583
"""The BN254 base field order `q`: coordinates of curve points are below it."""

PUBLIC_SIGNALS = 4
"""The plain ballot circuit's `[merkleRoot, nullifier, H(message), H(electionScope)]`; its
verifier implements `IGroth16Verifier`. A key with another number of signals (the encrypted
ballot circuit's 39) gives `Groth16Verifier<N>` with the same `verifyBatch(uint256[])` (8 + N
words a proof), which is all the Election calls for it."""


class VerificationKeyError(ValueError):
    """The verification key is not a BN254 Groth16 key with public signals."""


def contract_name(signals: int) -> str:
    """`Groth16Verifier` for the plain ballot circuit's 4 signals, else
    `EncryptedBallotVerifier` (the encrypted ballot circuit's 39)."""
    return "Groth16Verifier" if signals == PUBLIC_SIGNALS else "EncryptedBallotVerifier"


def _g1(point: list[str]) -> tuple[int, int]:
    if point[2:] != ["1"]:
        raise VerificationKeyError(f"a G1 point must be affine (z = 1), got {point}")
    return int(point[0]), int(point[1])


def _g2(point: list[list[str]]) -> tuple[int, int, int, int]:
    """(x imaginary, x real, y imaginary, y real): the order of the pairing precompile."""
    if point[2:] != [["1", "0"]]:
        raise VerificationKeyError(f"a G2 point must be affine (z = 1), got {point}")
    (x_re, x_im), (y_re, y_im) = point[0], point[1]
    return int(x_im), int(x_re), int(y_im), int(y_re)


def constants(key: dict[str, Any]) -> dict[str, int]:
    """The Solidity constants of `key`, by name, checked to be field elements."""
    if key.get("protocol") != "groth16" or key.get("curve") != "bn128":
        raise VerificationKeyError("the key is not a Groth16 key on BN254 (bn128)")
    signals = key.get("nPublic")
    if not isinstance(signals, int) or signals < 1 or len(key["IC"]) != signals + 1:
        raise VerificationKeyError("the key's nPublic does not match its IC points")
    named: dict[str, int] = {}
    named["ALPHA_X"], named["ALPHA_Y"] = _g1(key["vk_alpha_1"])
    for name in ("beta", "gamma", "delta"):
        upper = name.upper()
        x_im, x_re, y_im, y_re = _g2(key[f"vk_{name}_2"])
        named |= {
            f"{upper}_X_IM": x_im,
            f"{upper}_X_RE": x_re,
            f"{upper}_Y_IM": y_im,
            f"{upper}_Y_RE": y_re,
        }
    for index, point in enumerate(key["IC"]):
        named[f"IC{index}_X"], named[f"IC{index}_Y"] = _g1(point)
    for name, value in named.items():
        if not 0 <= value < BASE_FIELD:
            raise VerificationKeyError(f"{name} = {value} is not below the base field order")
    return named


def _hex(value: int) -> str:
    return f"0x{value:x}"


def _absorb_lines(signals: int) -> str:
    """absorbSignals' body after R: per signal a range check, a mulmod and an addmod."""
    lines = []
    for j in range(signals):
        offset, slot = _hex(0x100 + 0x20 * j), _hex(0x20 * (j + 1))
        lines.append(
            f"                {'let s' if j == 0 else 's'} := calldataload(add(entry, {offset}))"
        )
        lines.append(
            "                ok := lt(s, fr)"
            if j == 0
            else "                ok := and(ok, lt(s, fr))"
        )
        lines.append(
            f"                mstore(add(acc, {slot}), addmod(mload(add(acc, {slot})), "
            "mulmod(r, s, fr), fr))"
        )
    return "\n".join(lines)


def _term_lines(signals: int) -> str:
    """One `t_j IC_j` term per signal: an ecMul and an ecAdd per batch."""
    return "\n".join(
        f"                ok, vx, vy := addTerm(io, ok, vx, vy, IC{j}_X, IC{j}_Y, "
        f"mload(add(acc, {_hex(0x20 * j)})))"
        for j in range(1, signals + 1)
    )


def render(key_text: str, key_path: str, contract: str | None = None) -> str:
    """The verifier's Solidity source for the key whose JSON text is `key_text`, as contract
    `contract` (default: `contract_name` of its number of signals)."""
    named = constants(json.loads(key_text))
    signals = len([name for name in named if name.startswith("IC")]) // 2 - 1
    plain = signals == PUBLIC_SIGNALS
    digest = hashlib.sha256(key_text.encode()).hexdigest()
    lines = "\n".join(f"    uint256 private constant {n} = {v};" for n, v in named.items())
    interface_doc = "/// @inheritdoc IGroth16Verifier"
    parts = {
        "{NAME}": contract or contract_name(signals),
        "{INHERITS}": " is IGroth16Verifier" if plain else "",
        "{IMPORT}": (
            'import {IGroth16Verifier} from "../interfaces/IGroth16Verifier.sol";\n\n'
            if plain
            else ""
        ),
        "{DOC_PROOF}": interface_doc
        if plain
        else "/// @notice Checks one proof against its public signals (snarkjs' interface).",
        "{DOC_BATCH}": interface_doc
        if plain
        else "/// @notice Checks a batch, as IGroth16Verifier.verifyBatch with "
        f"{8 + signals} words a proof.",
        "{SIGNALS_WORD}": "four" if plain else str(signals),
        "{ABSORB}": _absorb_lines(signals),
        "{TERMS}": _term_lines(signals),
        "{WORDS}": str(8 + signals),
        "{ENTRY}": _hex(0x20 * (8 + signals)),
        "{ACC}": _hex(0x20 * (signals + 3)),
        "{CX}": _hex(0x20 * (signals + 1)),
        "{CY}": _hex(0x20 * (signals + 2)),
        "{N}": str(signals),
    }
    text = _TEMPLATE
    for placeholder, value in parts.items():
        text = text.replace(placeholder, value)
    return (
        text.replace("{KEY_PATH}", key_path)
        .replace("{KEY_SHA256}", digest)
        .replace("{R}", str(SNARK_SCALAR_FIELD))
        .replace("{Q}", str(BASE_FIELD))
        .replace("{CONSTANTS}", lines)
    )


def expected_source(key: Path = VERIFICATION_KEY) -> str:
    return render(key.read_text(), key.relative_to(REPO_ROOT).as_posix())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m veche.chain.verifier_source", description=__doc__
    )
    parser.add_argument("--check", action="store_true", help="fail if the committed file differs")
    parser.add_argument(
        "--encrypted", action="store_true", help="the encrypted ballot circuit's verifier"
    )
    args = parser.parse_args(argv)
    key, output = (
        (ENCRYPTED_VERIFICATION_KEY, ENCRYPTED_VERIFIER_SOURCE)
        if args.encrypted
        else (VERIFICATION_KEY, VERIFIER_SOURCE)
    )
    try:
        source = expected_source(key)
    except (OSError, ValueError, KeyError) as error:
        print(f"error: {key}: {error}", file=sys.stderr)
        return 1
    target = output.relative_to(REPO_ROOT)
    if args.check:
        if not output.exists() or output.read_text() != source:
            print(
                f"error: {target} differs from what {key.name} gives "
                "(run python -m veche.chain.verifier_source)",
                file=sys.stderr,
            )
            return 1
        print(f"{target} matches {key.name}")
        return 0
    output.write_text(source)
    print(f"wrote {target}")
    return 0


_TEMPLATE = """\
// GENERATED from {KEY_PATH} by veche.chain.verifier_source; DEV-ONLY keys; do not edit.
// Key sha256 {KEY_SHA256}; see that folder's README: never for a real election.
// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

{IMPORT}/// @title The Groth16 verifier of the Veche ballot circuit: one proof, or a batch at once.
/// @notice A proof `(A, B, C)` with public signals `s` is valid when
/// `e(-A, B) e(alpha, beta) e(vk_x, gamma) e(C, delta) = 1`, `vk_x = IC0 + sum_j s_j IC_j`.
/// A batch is checked with one pairing product over a random linear combination: proof `i` is
/// weighted by `r_i` (`r_0 = 1`; the others are hashes of the whole batch and `i`, so whoever
/// submits the batch cannot choose them), which gives `n + 3` pairs instead of `4 n`:
/// `prod_i e(-r_i A_i, B_i) * e(R alpha, beta) * e(R IC0 + sum_j t_j IC_j, gamma) *
/// e(sum_i r_i C_i, delta) = 1` with `R = sum_i r_i` and `t_j = sum_i r_i s_ij`. If any proof
/// is invalid the product differs from 1 except with probability about 2^-254 per batch tried.
/// @dev Every public signal must be below the scalar field order (else `s` and `s + r` would
/// pass the same proof) and every coordinate below the base field order; the precompiles
/// refuse points off the curve and G2 points outside the subgroup, which makes the check false.
contract {NAME}{INHERITS} {
    /// @notice Words per proof in `verifyBatch`: the packed proof (8) then its {N} public signals.
    uint256 public constant WORDS_PER_PROOF = {WORDS};

    /// @dev The BN254 scalar field order.
    uint256 private constant R = {R};
    /// @dev The BN254 base field order.
    uint256 private constant Q = {Q};

    // The verification key. G2 coordinates are given imaginary part first, as the pairing
    // precompile (EIP-197) takes them.
{CONSTANTS}

    {DOC_PROOF}
    function verifyProof(
        uint256[2] calldata _pA,
        uint256[2][2] calldata _pB,
        uint256[2] calldata _pC,
        uint256[{N}] calldata _pubSignals
    ) external view returns (bool) {
        // The four static arguments lie in calldata as one {WORDS}-word entry of `verifyBatch`.
        uint256 start;
        assembly ("memory-safe") {
            start := _pA
            let contiguous := and(eq(_pB, add(_pA, 0x40)), eq(_pC, add(_pA, 0xc0)))
            if iszero(and(contiguous, eq(_pubSignals, add(_pA, 0x100)))) { revert(0, 0) }
        }
        return _verify(start, 1);
    }

    {DOC_BATCH}
    function verifyBatch(uint256[] calldata words) external view returns (bool) {
        uint256 count = words.length / WORDS_PER_PROOF;
        if (count == 0 || words.length % WORDS_PER_PROOF != 0) return false;
        uint256 start;
        assembly ("memory-safe") {
            start := words.offset
        }
        return _verify(start, count);
    }

    /// @dev Checks `count` consecutive {WORDS}-word entries of calldata from `start`.
    /// Memory (all above the free memory pointer, never claimed): 0x80 bytes of precompile
    /// input and output, then the accumulators `R, t_1..t_{N}, C.x, C.y`, then the pairs.
    function _verify(uint256 start, uint256 count) private view returns (bool valid) {
        assembly ("memory-safe") {
            function g1Mul(io, x, y, k) -> ok, rx, ry {
                mstore(io, x)
                mstore(add(io, 0x20), y)
                mstore(add(io, 0x40), k)
                ok := staticcall(gas(), 0x07, io, 0x60, io, 0x40)
                rx := mload(io)
                ry := mload(add(io, 0x20))
            }
            function g1Add(io, x1, y1, x2, y2) -> ok, rx, ry {
                mstore(io, x1)
                mstore(add(io, 0x20), y1)
                mstore(add(io, 0x40), x2)
                mstore(add(io, 0x60), y2)
                ok := staticcall(gas(), 0x06, io, 0x80, io, 0x40)
                rx := mload(io)
                ry := mload(add(io, 0x20))
            }

            // Adds r to R and r s_j to t_j for the {SIGNALS_WORD} signals of the proof at calldata
            // `entry`; ok is 0 if a signal is not below the field order `fr` (= R, passed on
            // the stack: a 32-byte literal in a loop costs a code copy at each use).
            function absorbSignals(acc, entry, r, fr) -> ok {
                mstore(acc, addmod(mload(acc), r, fr))
{ABSORB}
            }
            // Adds r C to the C accumulator and writes the pair (-r A, B) at `pair`, for the
            // proof at calldata `entry` (r = 1 for the first proof: no multiplication); ok is 0
            // if a coordinate is not below the base field order `fq` (= Q) or a precompile
            // refuses a point.
            function absorbPoints(io, acc, pair, entry, r, fq) -> ok {
                let ax := calldataload(entry)
                let ay := calldataload(add(entry, 0x20))
                let cx := calldataload(add(entry, 0xc0))
                let cy := calldataload(add(entry, 0xe0))
                ok := and(and(lt(ax, fq), lt(ay, fq)), and(lt(cx, fq), lt(cy, fq)))
                if iszero(ok) { leave }
                if iszero(eq(r, 1)) {
                    let ok1, ok2, ok3
                    ok1, ax, ay := g1Mul(io, ax, ay, r)
                    ok2, cx, cy := g1Mul(io, cx, cy, r)
                    ok3, cx, cy := g1Add(io, mload(add(acc, {CX})), mload(add(acc, {CY})), cx, cy)
                    ok := and(ok1, and(ok2, ok3))
                }
                mstore(add(acc, {CX}), cx)
                mstore(add(acc, {CY}), cy)
                mstore(pair, ax)
                mstore(add(pair, 0x20), mod(sub(fq, ay), fq))
                calldatacopy(add(pair, 0x40), add(entry, 0x40), 0x80)
            }
            // Adds t * IC to (vx, vy); ok stays 1 only if both precompile calls succeed.
            function addTerm(io, ok, vx, vy, icx, icy, t) -> okOut, rx, ry {
                let okMul, px, py := g1Mul(io, icx, icy, t)
                let okAdd
                okAdd, rx, ry := g1Add(io, vx, vy, px, py)
                okOut := and(ok, and(okMul, okAdd))
            }
            // The three pairs of the key after the batch's pairs, then the pairing check.
            function pairingCheck(io, acc, pairs, n) -> holds {
                let sum := mload(acc)
                let ok := 1
                let vx := IC0_X
                let vy := IC0_Y
                let alx := ALPHA_X
                let aly := ALPHA_Y
                if iszero(eq(sum, 1)) {
                    let ok1, ok2
                    ok1, vx, vy := g1Mul(io, vx, vy, sum)
                    ok2, alx, aly := g1Mul(io, alx, aly, sum)
                    ok := and(ok1, ok2)
                }
{TERMS}
                let tail := add(pairs, mul(n, 0xc0))
                mstore(tail, alx)
                mstore(add(tail, 0x20), aly)
                mstore(add(tail, 0x40), BETA_X_IM)
                mstore(add(tail, 0x60), BETA_X_RE)
                mstore(add(tail, 0x80), BETA_Y_IM)
                mstore(add(tail, 0xa0), BETA_Y_RE)
                mstore(add(tail, 0xc0), vx)
                mstore(add(tail, 0xe0), vy)
                mstore(add(tail, 0x100), GAMMA_X_IM)
                mstore(add(tail, 0x120), GAMMA_X_RE)
                mstore(add(tail, 0x140), GAMMA_Y_IM)
                mstore(add(tail, 0x160), GAMMA_Y_RE)
                mstore(add(tail, 0x180), mload(add(acc, {CX})))
                mstore(add(tail, 0x1a0), mload(add(acc, {CY})))
                mstore(add(tail, 0x1c0), DELTA_X_IM)
                mstore(add(tail, 0x1e0), DELTA_X_RE)
                mstore(add(tail, 0x200), DELTA_Y_IM)
                mstore(add(tail, 0x220), DELTA_Y_RE)
                mstore(io, 0)
                let paired := staticcall(gas(), 0x08, pairs, mul(add(n, 3), 0xc0), io, 0x20)
                holds := and(and(ok, paired), eq(mload(io), 1))
            }

            let io := mload(0x40)
            let acc := add(io, 0x80)
            let pairs := add(acc, {ACC})
            for { let k := 0 } lt(k, {ACC}) { k := add(k, 0x20) } { mstore(add(acc, k), 0) }

            // The seed commits to every proof and signal of the batch; the copy is only hashed,
            // and the pairs overwrite it afterwards.
            let seed := 0
            if gt(count, 1) {
                let size := mul(count, {ENTRY})
                calldatacopy(pairs, start, size)
                seed := keccak256(pairs, size)
            }

            valid := 1
            let fr := R
            let fq := Q
            for { let i := 0 } lt(i, count) { i := add(i, 1) } {
                // Proof i's coefficient: 1 for the first, else a hash of the seed and i.
                let r := 1
                if i {
                    mstore(io, seed)
                    mstore(add(io, 0x20), i)
                    r := mod(keccak256(io, 0x40), fr)
                    if iszero(r) { r := 1 }
                }
                let entry := add(start, mul(i, {ENTRY}))
                let ok := absorbSignals(acc, entry, r, fr)
                ok := and(ok, absorbPoints(io, acc, add(pairs, mul(i, 0xc0)), entry, r, fq))
                if iszero(ok) {
                    valid := 0
                    break
                }
            }
            if valid { valid := pairingCheck(io, acc, pairs, count) }
        }
    }
}
"""


if __name__ == "__main__":
    sys.exit(main())

"""Writes the Solidity Groth16 verifier of the ballot circuit from its verification key.

The verifier checks one proof (`verifyProof`, the snarkjs interface) or a whole batch with a
single pairing-product check (`verifyBatch`). Its only inputs are the key's curve points, so
it is generated from `verification_key.json` and committed; `--check` (and a test) prove the
committed file is exactly what the committed key gives.

    python -m veche.chain.verifier_source          # rewrite contracts/verifiers/Groth16Verifier.sol
    python -m veche.chain.verifier_source --check  # exit 1 if the committed file differs
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
from veche.protocol.spec import ZK_VERIFICATION_KEY

VERIFIER_SOURCE = CONTRACTS_DIR / "verifiers" / "Groth16Verifier.sol"
VERIFICATION_KEY = DEV_ZK_DIR / ZK_VERIFICATION_KEY

BASE_FIELD = 21888242871839275222246405745257275088696311157297823662689037894645226208583
"""The BN254 base field order `q`: coordinates of curve points are below it."""

PUBLIC_SIGNALS = 4
"""`[merkleRoot, nullifier, H(message), H(electionScope)]`."""


class VerificationKeyError(ValueError):
    """The verification key is not a BN254 Groth16 key with the ballot circuit's four signals."""


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
    if key.get("nPublic") != PUBLIC_SIGNALS or len(key["IC"]) != PUBLIC_SIGNALS + 1:
        raise VerificationKeyError(f"the ballot circuit has {PUBLIC_SIGNALS} public signals")
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


def render(key_text: str, key_path: str) -> str:
    """The verifier's Solidity source for the key whose JSON text is `key_text`."""
    named = constants(json.loads(key_text))
    digest = hashlib.sha256(key_text.encode()).hexdigest()
    lines = "\n".join(f"    uint256 private constant {n} = {v};" for n, v in named.items())
    return (
        _TEMPLATE.replace("{KEY_PATH}", key_path)
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
    args = parser.parse_args(argv)
    try:
        source = expected_source()
    except (OSError, ValueError, KeyError) as error:
        print(f"error: {VERIFICATION_KEY}: {error}", file=sys.stderr)
        return 1
    target = VERIFIER_SOURCE.relative_to(REPO_ROOT)
    if args.check:
        if not VERIFIER_SOURCE.exists() or VERIFIER_SOURCE.read_text() != source:
            print(
                f"error: {target} differs from what {VERIFICATION_KEY.name} gives "
                "(run python -m veche.chain.verifier_source)",
                file=sys.stderr,
            )
            return 1
        print(f"{target} matches {VERIFICATION_KEY.name}")
        return 0
    VERIFIER_SOURCE.write_text(source)
    print(f"wrote {target}")
    return 0


_TEMPLATE = """\
// GENERATED from {KEY_PATH} by veche.chain.verifier_source; DEV-ONLY keys; do not edit.
// Key sha256 {KEY_SHA256}; see that folder's README: never for a real election.
// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IGroth16Verifier} from "../interfaces/IGroth16Verifier.sol";

/// @title The Groth16 verifier of the Veche ballot circuit: one proof, or a batch at once.
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
contract Groth16Verifier is IGroth16Verifier {
    /// @notice Words per proof in `verifyBatch`: the packed proof (8) then its 4 public signals.
    uint256 public constant WORDS_PER_PROOF = 12;

    /// @dev The BN254 scalar field order.
    uint256 private constant R = {R};
    /// @dev The BN254 base field order.
    uint256 private constant Q = {Q};

    // The verification key. G2 coordinates are given imaginary part first, as the pairing
    // precompile (EIP-197) takes them.
{CONSTANTS}

    /// @inheritdoc IGroth16Verifier
    function verifyProof(
        uint256[2] calldata _pA,
        uint256[2][2] calldata _pB,
        uint256[2] calldata _pC,
        uint256[4] calldata _pubSignals
    ) external view returns (bool) {
        // The four static arguments lie in calldata as one 12-word entry of `verifyBatch`.
        uint256 start;
        assembly ("memory-safe") {
            start := _pA
            let contiguous := and(eq(_pB, add(_pA, 0x40)), eq(_pC, add(_pA, 0xc0)))
            if iszero(and(contiguous, eq(_pubSignals, add(_pA, 0x100)))) { revert(0, 0) }
        }
        return _verify(start, 1);
    }

    /// @inheritdoc IGroth16Verifier
    function verifyBatch(uint256[] calldata words) external view returns (bool) {
        uint256 count = words.length / WORDS_PER_PROOF;
        if (count == 0 || words.length % WORDS_PER_PROOF != 0) return false;
        uint256 start;
        assembly ("memory-safe") {
            start := words.offset
        }
        return _verify(start, count);
    }

    /// @dev Checks `count` consecutive 12-word entries of calldata from `start`.
    /// Memory (all above the free memory pointer, never claimed): 0x80 bytes of precompile
    /// input and output, then the accumulators `R, t_1..t_4, C.x, C.y`, then the pairs.
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

            // Adds r to R and r s_j to t_j for the four signals of the proof at calldata
            // `entry`; ok is 0 if a signal is not below the field order `fr` (= R, passed on
            // the stack: a 32-byte literal in a loop costs a code copy at each use).
            function absorbSignals(acc, entry, r, fr) -> ok {
                mstore(acc, addmod(mload(acc), r, fr))
                let s := calldataload(add(entry, 0x100))
                ok := lt(s, fr)
                mstore(add(acc, 0x20), addmod(mload(add(acc, 0x20)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x120))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x40), addmod(mload(add(acc, 0x40)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x140))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x60), addmod(mload(add(acc, 0x60)), mulmod(r, s, fr), fr))
                s := calldataload(add(entry, 0x160))
                ok := and(ok, lt(s, fr))
                mstore(add(acc, 0x80), addmod(mload(add(acc, 0x80)), mulmod(r, s, fr), fr))
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
                    ok3, cx, cy := g1Add(io, mload(add(acc, 0xa0)), mload(add(acc, 0xc0)), cx, cy)
                    ok := and(ok1, and(ok2, ok3))
                }
                mstore(add(acc, 0xa0), cx)
                mstore(add(acc, 0xc0), cy)
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
                ok, vx, vy := addTerm(io, ok, vx, vy, IC1_X, IC1_Y, mload(add(acc, 0x20)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC2_X, IC2_Y, mload(add(acc, 0x40)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC3_X, IC3_Y, mload(add(acc, 0x60)))
                ok, vx, vy := addTerm(io, ok, vx, vy, IC4_X, IC4_Y, mload(add(acc, 0x80)))
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
                mstore(add(tail, 0x180), mload(add(acc, 0xa0)))
                mstore(add(tail, 0x1a0), mload(add(acc, 0xc0)))
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
            let pairs := add(acc, 0xe0)
            for { let k := 0 } lt(k, 0xe0) { k := add(k, 0x20) } { mstore(add(acc, k), 0) }

            // The seed commits to every proof and signal of the batch; the copy is only hashed,
            // and the pairs overwrite it afterwards.
            let seed := 0
            if gt(count, 1) {
                let size := mul(count, 0x180)
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
                let entry := add(start, mul(i, 0x180))
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

"""Writes the Solidity Poseidon (2 inputs, t = 3) the registers hash with, from circomlib's own
constants.

The registers cost about one Poseidon hash per member. zk-kit's `poseidon-solidity` PoseidonT3
costs about 30,000 gas a hash here (measured through the VectorsHarness), more than half of what
a member may cost (50,000). This library (about 18,500) computes the same function in the form
circomlib's circuit uses (`poseidon.circom`: full rounds with the MDS matrix `M`, the pre-sparse
matrix `P`, then partial rounds with the sparse matrices `S`), which needs 5 multiplications a
partial round instead of 9, with every constant an immediate and lazy reductions. It is
generated from `poseidon_constants.circom`, checked here against `veche.crypto.poseidon` before
it is written, and against the shared vectors (tests/vectors/poseidon.json) and inputs at the top
of the field on chain. `--check` (and a test) prove the committed file is what
the generator gives.

    python -m veche.chain.poseidon_source          # rewrite contracts/libraries/PoseidonT3.sol
    python -m veche.chain.poseidon_source --check  # exit 1 if the committed file differs
"""

import argparse
import re
import sys
from dataclasses import dataclass

from veche.chain.paths import CONTRACTS_DIR, NODE_MODULES, REPO_ROOT
from veche.crypto.field import SNARK_SCALAR_FIELD
from veche.crypto.poseidon import poseidon2_unchecked

POSEIDON_SOURCE = CONTRACTS_DIR / "libraries" / "PoseidonT3.sol"
CONSTANTS = NODE_MODULES / "circomlib" / "circuits" / "poseidon_constants.circom"

WIDTH = 3
FULL_ROUNDS = 8
PARTIAL_ROUNDS = 57
"""circomlib's `N_ROUNDS_P[t - 2]` for t = 3."""

F = SNARK_SCALAR_FIELD


@dataclass(frozen=True)
class Constants:
    """circomlib's optimized constants for t = 3: round constants `C`, sparse matrices `S`, the
    MDS matrix `M` and the pre-sparse matrix `P` (`M[j][i]` multiplies input `j` into output
    `i`, as circomlib's `Mix`)."""

    c: list[int]
    s: list[int]
    m: list[list[int]]
    p: list[list[int]]


def _block(text: str, function: str) -> list[int]:
    """The numbers of `function`'s `t==3` branch in poseidon_constants.circom."""
    start = text.index(f"function {function}(t)")
    branch = text.index("} else if (t==3) {", start)
    end = text.index("} else if (t==4) {", branch)
    return [int(value, 16) for value in re.findall(r"0x[0-9a-fA-F]+", text[branch:end])]


def load_constants() -> Constants:
    text = CONSTANTS.read_text()
    c, s = _block(text, "POSEIDON_C"), _block(text, "POSEIDON_S")
    m, p = _block(text, "POSEIDON_M"), _block(text, "POSEIDON_P")
    if len(c) != WIDTH * FULL_ROUNDS + PARTIAL_ROUNDS or len(s) != PARTIAL_ROUNDS * (2 * WIDTH - 1):
        raise ValueError(f"{CONSTANTS}: unexpected constant counts C {len(c)}, S {len(s)}")
    if len(m) != WIDTH * WIDTH or len(p) != WIDTH * WIDTH:
        raise ValueError(f"{CONSTANTS}: unexpected matrix sizes M {len(m)}, P {len(p)}")
    rows = lambda flat: [flat[i * WIDTH : (i + 1) * WIDTH] for i in range(WIDTH)]  # noqa: E731
    return Constants(c, s, rows(m), rows(p))


def poseidon2_optimized(constants: Constants, left: int, right: int) -> int:
    """`Poseidon(left, right)` computed as the generated Solidity computes it (for the check)."""
    c, s, m, p = constants.c, constants.s, constants.m, constants.p
    half = FULL_ROUNDS // 2
    state = [(x + c[i]) % F for i, x in enumerate((0, left, right))]

    def sbox(values: list[int]) -> list[int]:
        return [pow(x, 5, F) for x in values]

    def mix(values: list[int], matrix: list[list[int]]) -> list[int]:
        return [sum(matrix[j][i] * values[j] for j in range(WIDTH)) % F for i in range(WIDTH)]

    for r in range(half - 1):
        state = mix([(x + c[(r + 1) * WIDTH + i]) % F for i, x in enumerate(sbox(state))], m)
    state = mix([(x + c[half * WIDTH + i]) % F for i, x in enumerate(sbox(state))], p)
    for r in range(PARTIAL_ROUNDS):
        first = (pow(state[0], 5, F) + c[(half + 1) * WIDTH + r]) % F
        row = s[(2 * WIDTH - 1) * r : (2 * WIDTH - 1) * (r + 1)]
        state = [
            (row[0] * first + row[1] * state[1] + row[2] * state[2]) % F,
            (state[1] + first * row[3]) % F,
            (state[2] + first * row[4]) % F,
        ]
    base = (half + 1) * WIDTH + PARTIAL_ROUNDS
    for r in range(half - 1):
        state = mix([(x + c[base + r * WIDTH + i]) % F for i, x in enumerate(sbox(state))], m)
    last = sbox(state)
    return sum(m[j][0] * last[j] for j in range(WIDTH)) % F


def _check(constants: Constants) -> None:
    """Refuses constants that do not give circomlib's Poseidon on a few inputs."""
    for left, right in ((0, 0), (1, 2), (F - 1, F - 2), (12345678901234567890, 3)):
        if poseidon2_optimized(constants, left, right) != poseidon2_unchecked(left, right):
            raise ValueError(f"{CONSTANTS}: the optimized rounds disagree on ({left}, {right})")


def _hex(value: int) -> str:
    return f"0x{value:064x}"


def expected_source() -> str:
    constants = load_constants()
    _check(constants)
    c, s, m, p = constants.c, constants.s, constants.m, constants.p
    half = FULL_ROUNDS // 2
    lines: list[str] = []
    emit = lines.append
    names = ("s0", "s1", "s2")

    def sbox_ark(offset: int) -> None:
        for i, name in enumerate(names):
            emit(f"            x := mulmod({name}, {name}, F)")
            constant = _hex(c[offset + i])
            emit(f"            {name} := add(mulmod(mulmod(x, x, F), {name}, F), {constant})")

    def mix(matrix: list[list[int]]) -> None:
        for i in range(WIDTH):
            emit(
                f"            n{i} := add(add(mulmod(s0, {_hex(matrix[0][i])}, F), "
                f"mulmod(s1, {_hex(matrix[1][i])}, F)), mulmod(s2, {_hex(matrix[2][i])}, F))"
            )
        emit("            s0 := n0")
        emit("            s1 := n1")
        emit("            s2 := n2")

    emit(f"            s0 := {_hex(c[0])}")
    emit(f"            s1 := add(mod(s1, F), {_hex(c[1])})")
    emit(f"            s2 := add(mod(s2, F), {_hex(c[2])})")
    for r in range(half - 1):
        emit(f"            // full round {r}")
        sbox_ark((r + 1) * WIDTH)
        mix(m)
    emit(f"            // full round {half - 1}")
    sbox_ark(half * WIDTH)
    mix(p)
    for r in range(PARTIAL_ROUNDS):
        row = s[(2 * WIDTH - 1) * r : (2 * WIDTH - 1) * (r + 1)]
        emit(f"            // partial round {r}")
        emit("            x := mulmod(s0, s0, F)")
        emit(
            f"            x := add(mulmod(mulmod(x, x, F), s0, F), "
            f"{_hex(c[(half + 1) * WIDTH + r])})"
        )
        emit(
            f"            s0 := add(add(mulmod(x, {_hex(row[0])}, F), "
            f"mulmod(s1, {_hex(row[1])}, F)), mulmod(s2, {_hex(row[2])}, F))"
        )
        # Lanes 1 and 2 only grow here, by less than F a round. They enter below 3F (a sum of
        # three products) and 2^256 > 5F, so they are reduced in round 2 and every fifth round
        # after it, and added without reduction otherwise (the next mulmod takes them as they
        # are).
        add = "addmod" if r % 5 == 2 else "add"
        tail = ", F" if add == "addmod" else ""
        emit(f"            s1 := {add}(s1, mulmod(x, {_hex(row[3])}, F){tail})")
        emit(f"            s2 := {add}(s2, mulmod(x, {_hex(row[4])}, F){tail})")
    base = (half + 1) * WIDTH + PARTIAL_ROUNDS
    for r in range(half - 1):
        emit(f"            // full round {half + r}")
        sbox_ark(base + r * WIDTH)
        mix(m)
    emit(f"            // full round {FULL_ROUNDS - 1}")
    for name in names:
        emit(f"            x := mulmod({name}, {name}, F)")
        emit(f"            {name} := mulmod(mulmod(x, x, F), {name}, F)")
    emit(
        f"            result := addmod(addmod(mulmod(s0, {_hex(m[0][0])}, F), "
        f"mulmod(s1, {_hex(m[1][0])}, F), F), mulmod(s2, {_hex(m[2][0])}, F), F)"
    )
    return _TEMPLATE.format(BODY="\n".join(lines), F=F)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m veche.chain.poseidon_source", description=__doc__
    )
    parser.add_argument("--check", action="store_true", help="fail if the committed file differs")
    args = parser.parse_args(argv)
    try:
        source = expected_source()
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    target = POSEIDON_SOURCE.relative_to(REPO_ROOT)
    if args.check:
        if not POSEIDON_SOURCE.exists() or POSEIDON_SOURCE.read_text() != source:
            print(
                f"error: {target} differs from what circomlib's constants give "
                "(run python -m veche.chain.poseidon_source)",
                file=sys.stderr,
            )
            return 1
        print(f"{target} matches circomlib's constants")
        return 0
    POSEIDON_SOURCE.write_text(source)
    print(f"wrote {target}")
    return 0


_TEMPLATE = """\
// GENERATED by veche.chain.poseidon_source from circomlib's poseidon_constants.circom; do not edit.
// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title Poseidon over BN254 with 2 inputs (t = 3), as circomlib's circuit computes it.
/// @notice `hash([a, b])` is circomlib's `Poseidon(2)`, the register's node hash (the same
/// function as zk-kit's poseidon-solidity PoseidonT3, same interface, about half the gas).
/// @dev Full rounds use the MDS matrix, partial rounds circomlib's sparse matrices (5
/// multiplications each). Sums of up to three products stay below 2^256 and are reduced by the
/// next `mulmod`; the two lanes a partial round only adds to are reduced every fifth round
/// (they stay below 5F < 2^256 in between).
library PoseidonT3 {{
    /// @notice `Poseidon(inputs[0], inputs[1])`; inputs are taken modulo the field order.
    function hash(uint256[2] memory inputs) public pure returns (uint256 result) {{
        assembly {{
            let F := {F}
            let s0 := 0
            let s1 := mload(inputs)
            let s2 := mload(add(inputs, 0x20))
            let x := 0
            let n0 := 0
            let n1 := 0
            let n2 := 0
{BODY}
        }}
    }}
}}
"""


if __name__ == "__main__":
    sys.exit(main())

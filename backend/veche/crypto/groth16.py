"""Groth16 verification of snarkjs proofs over BN254 (alt_bn128), on the MCL library.

The relayer checks every ballot's proof before paying gas for it, and the recount re-checks
every ballot on the chain: both must agree with the contract's verifier, bit for bit, on what
is a valid proof, and the recount must check up to a million of them. Hence a native pairing
library (`mclbn256`, about 1 ms a proof) rather than `py_ecc` (about 0.5 s a proof, used as the
reference in the tests).

Two traps of the `mclbn256` package, both handled in `_load_mcl`:
- it initialises MCL for the curve `BN254` of the MCL/Zcash papers, not Ethereum's alt_bn128;
  MCL's curve 4 (`MCL_BN_SNARK1`) is Ethereum's, so the library is re-initialised for it. This
  changes the curve for the whole process: the Python classes of `mclbn256` (`G1`, `Fr`...) must
  not be used next to this module;
- MCL does not check that a G2 point is in the prime-order subgroup unless told to; without a
  check a crafted point off the subgroup was accepted. Every G2 point read here goes through
  `_in_g2`, a membership test by the endomorphism psi that costs half of MCL's own.
G1 of BN254 has cofactor 1, so a G1 point on the curve is in the subgroup: MCL's G1 order check
(a full scalar multiplication a point) is left off, and `mclBnG1_isValid` checks the curve.

Proofs from the chain (`Proof.from_packed`) are read from bytes straight into MCL's points
(`mclBnFp_deserialize`, which refuses a coordinate `>= p`), not through decimal strings: a recount
parses a million of them, and parsing must not cost more than the batched check itself.

Error policy:
- Parsing (`VerifyingKey.from_snarkjs`, `Proof.from_snarkjs`, `Proof.from_packed`) raises
  `ProofFormatError` / `VerifyingKeyError` for anything malformed: wrong shape, a value that is
  not a number, a coordinate `>= p`, a point off the curve or outside the subgroup. A `Proof`
  object therefore always holds valid curve points.
- `verify` raises `ProofFormatError` when the number of public signals does not match the key
  or a signal is not an integer (the caller built the input wrongly), and returns `False` for a
  signal `>= r` (as the snarkjs Solidity verifier, which returns false) and for a failed
  pairing check.
"""

import ctypes
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veche.crypto.errors import CryptoError, ProofFormatError
from veche.crypto.field import BN254_BASE_FIELD, SNARK_SCALAR_FIELD

G1Ints = tuple[int, int]
"""An affine G1 point `(x, y)`; `(0, 0)` is the point at infinity, as in the EVM."""

G2Ints = tuple[tuple[int, int], tuple[int, int]]
"""An affine G2 point `((x_re, x_im), (y_re, y_im))` (real part first, as snarkjs JSON)."""


class VerifyingKeyError(CryptoError):
    """A verifying key file cannot be read or is not a BN254 Groth16 key of snarkjs."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(f"invalid Groth16 verifying key: {reason}")


# ---- MCL bindings -------------------------------------------------------------------------

_MCL_BN_SNARK1 = 4  # MCL's curve id of Ethereum's alt_bn128
_MCLBN_COMPILED_TIME_VAR = 44  # MCLBN_FP_UNIT_SIZE (4) + 10 * MCLBN_FR_UNIT_SIZE (4)
_IO_DECIMAL = 10


class _Fr(ctypes.Structure):
    _fields_ = [("d", ctypes.c_uint64 * 4)]


class _G1(ctypes.Structure):
    _fields_ = [("d", ctypes.c_uint64 * 12)]


class _G2(ctypes.Structure):
    _fields_ = [("d", ctypes.c_uint64 * 24)]


class _GT(ctypes.Structure):
    _fields_ = [("d", ctypes.c_uint64 * 48)]


def _load_mcl() -> Any:
    """The MCL shared library of `mclbn256`, set to Ethereum's curve with subgroup checks."""
    import mclbn256.mclbn256 as package

    lib = package.lib
    if lib.mclBn_init(_MCL_BN_SNARK1, _MCLBN_COMPILED_TIME_VAR) != 0:
        raise CryptoError("MCL refused to initialise Ethereum's BN254 curve")
    lib.mclBn_verifyOrderG1(0)  # cofactor 1: on the curve is in the subgroup
    # G2 membership is checked by `_in_g2` (half the cost of MCL's check by the order), on every
    # path that reads a G2 point: MCL's own check is off.
    lib.mclBn_verifyOrderG2(0)
    if lib.mclBn_getCurveType() != _MCL_BN_SNARK1:
        raise CryptoError("MCL is not set to Ethereum's BN254 curve")
    return lib


_mcl = _load_mcl()


class _Fp2(ctypes.Structure):
    _fields_ = [("d", ctypes.c_uint64 * 8)]


# ---- G2 membership --------------------------------------------------------------------------
#
# A point Q of the twist E'(Fp2) is in G2 (order r) if and only if
#     [x+1]Q + psi([x]Q) + psi^2([x]Q) = psi^3([2x]Q),
# x the BN seed and psi the untwist-Frobenius-twist endomorphism psi(X, Y) = (conj(X) e0,
# conj(Y) e1), e0 = xi^((p-1)/3), e1 = xi^((p-1)/2), xi = 9 + i (Dai, Lin, Zhao and Zhou, ePrint
# 2022/348, Theorem for BN curves with x != 4 mod 13 and x != 92 mod 97, checked below; the
# BN254 case is worked out by Sanso and Liang, 2022). One multiplication by the 63-bit seed
# instead of MCL's by the 254-bit order: the same verdicts (tested against it on random twist
# points and on every proof vector) at about half the cost. psi^k is one conjugation (k odd)
# and one multiplication by a constant a coordinate, in Jacobian coordinates too.

_BN_SEED = 4965661367192848881
if _BN_SEED % 13 == 4 or _BN_SEED % 97 == 92:
    raise CryptoError("the BN seed does not meet the conditions of the G2 membership test")


def _fp2_mul(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    p = BN254_BASE_FIELD
    return (a[0] * b[0] - a[1] * b[1]) % p, (a[0] * b[1] + a[1] * b[0]) % p


def _fp2_pow(a: tuple[int, int], exponent: int) -> tuple[int, int]:
    result = (1, 0)
    while exponent:
        if exponent & 1:
            result = _fp2_mul(result, a)
        a = _fp2_mul(a, a)
        exponent >>= 1
    return result


def _fp2_conj(a: tuple[int, int]) -> tuple[int, int]:
    return a[0], -a[1] % BN254_BASE_FIELD


def _mcl_fp2(value: tuple[int, int]) -> _Fp2:
    out = _Fp2()
    base = ctypes.addressof(out)
    if not (_set_fp(base, value[0]) and _set_fp(base + _FP_BYTES, value[1])):
        raise CryptoError(f"MCL refused the Fp2 constant {value}")
    return out


def _psi_constants() -> list[tuple[_Fp2, _Fp2]]:
    """For k = 1, 2, 3: the constants psi^k multiplies X and Y by, after k conjugations."""
    xi = (9, 1)
    e = [_fp2_pow(xi, (BN254_BASE_FIELD - 1) // 3), _fp2_pow(xi, (BN254_BASE_FIELD - 1) // 2)]
    out, c = [], [(1, 0), (1, 0)]
    for _ in range(3):
        # psi^(k+1)(X) = conj(psi^k(X)) e = conj^(k+1)(X) conj(c_k) e
        c = [_fp2_mul(_fp2_conj(c[j]), e[j]) for j in (0, 1)]
        out.append((_mcl_fp2(c[0]), _mcl_fp2(c[1])))
    return out


_FP_BYTES = 32
# Set once `_set_fp` and `_fr` are defined (below): psi's constants and the seed as a scalar.
_PSI: list[tuple[_Fp2, _Fp2]]
_SEED: "_Fr"


def _psi(out: "_G2", point: "_G2", k: int) -> None:
    """out = psi^k(point), k in 1..3, in MCL's Jacobian coordinates."""
    ctypes.memmove(ctypes.addressof(out), ctypes.addressof(point), ctypes.sizeof(_G2))
    base = ctypes.addressof(out)
    if k % 2:
        for imaginary in (1, 3, 5):  # conjugate X, Y and Z
            spot = ctypes.c_void_p(base + imaginary * _FP_BYTES)
            _mcl.mclBnFp_neg(spot, spot)
    cx, cy = _PSI[k - 1]
    _mcl.mclBnFp2_mul(ctypes.c_void_p(base), ctypes.c_void_p(base), ctypes.byref(cx))
    y = ctypes.c_void_p(base + 2 * _FP_BYTES)
    _mcl.mclBnFp2_mul(y, y, ctypes.byref(cy))


def _in_g2(point: "_G2") -> bool:
    """True if `point`, already on the twist, is in G2 (see above)."""
    x_q, left, image, right = _G2(), _G2(), _G2(), _G2()
    _mcl.mclBnG2_mulCT(ctypes.byref(x_q), ctypes.byref(point), ctypes.byref(_SEED))
    _mcl.mclBnG2_add(ctypes.byref(left), ctypes.byref(x_q), ctypes.byref(point))
    _psi(image, x_q, 1)
    _mcl.mclBnG2_add(ctypes.byref(left), ctypes.byref(left), ctypes.byref(image))
    _psi(image, x_q, 2)
    _mcl.mclBnG2_add(ctypes.byref(left), ctypes.byref(left), ctypes.byref(image))
    _mcl.mclBnG2_dbl(ctypes.byref(image), ctypes.byref(x_q))
    _psi(right, image, 3)
    return bool(_mcl.mclBnG2_isEqual(ctypes.byref(left), ctypes.byref(right)))


# ---- parsing --------------------------------------------------------------------------------


def _parse_uint(value: object, what: str) -> int:
    """An integer from an `int` or a decimal (or `0x` hexadecimal) string, as snarkjs writes."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isdecimal() and value.isascii():
        number = int(value, 10)
    elif isinstance(value, str) and value[:2] in ("0x", "0X") and len(value) > 2:
        try:
            number = int(value[2:], 16)
        except ValueError:
            raise ProofFormatError(f"{what} is not a number: {value!r}") from None
    else:
        raise ProofFormatError(f"{what} is not a number: {value!r}")
    if number < 0:
        raise ProofFormatError(f"{what} is negative: {number}")
    return number


def _coordinate(value: object, what: str) -> int:
    number = _parse_uint(value, what)
    if number >= BN254_BASE_FIELD:
        raise ProofFormatError(f"{what} is not below the field modulus p: {number}")
    return number


def _sequence(value: object, length: int, what: str) -> Sequence[Any]:
    if not isinstance(value, list | tuple) or len(value) != length:
        raise ProofFormatError(f"{what} must be a list of {length} items, got {value!r}")
    return value


def _g1(point: G1Ints, what: str) -> _G1:
    """An MCL G1 point from checked affine coordinates; raises if it is not on the curve."""
    x, y = (_coordinate(c, f"{what} coordinate") for c in _sequence(point, 2, what))
    result = _G1()
    text = b"0" if x == 0 and y == 0 else f"1 {x} {y}".encode()
    if _mcl.mclBnG1_setStr(ctypes.byref(result), text, len(text), _IO_DECIMAL) != 0:
        raise ProofFormatError(f"{what} ({x}, {y}) is not a point of BN254 G1")
    if not _mcl.mclBnG1_isValid(ctypes.byref(result)):
        raise ProofFormatError(f"{what} ({x}, {y}) is not a point of BN254 G1")
    return result


def _g2(point: G2Ints, what: str) -> _G2:
    """An MCL G2 point from checked coordinates; raises if off the twist or the subgroup."""
    pairs = [_sequence(pair, 2, what) for pair in _sequence(point, 2, what)]
    coords = [_coordinate(c, f"{what} coordinate") for pair in pairs for c in pair]
    result = _G2()
    text = b"0" if not any(coords) else ("1 " + " ".join(map(str, coords))).encode()
    # setStr refuses points off the twist; `_in_g2` those outside the subgroup.
    if _mcl.mclBnG2_setStr(ctypes.byref(result), text, len(text), _IO_DECIMAL) != 0 or not (
        _mcl.mclBnG2_isZero(ctypes.byref(result)) or _in_g2(result)
    ):
        raise ProofFormatError(f"{what} {point} is not a point of the BN254 G2 subgroup")
    return result


def _set_fp(address: int, value: int) -> bool:
    """Writes `value` into the MCL field element at `address`; False if it is `>= p`."""
    raw = value.to_bytes(_FP_BYTES, "little")
    return bool(_mcl.mclBnFp_deserialize(ctypes.c_void_p(address), raw, _FP_BYTES) == _FP_BYTES)


def _g1_fast(x: int, y: int) -> _G1 | None:
    """The affine G1 point `(x, y)`, or None if a coordinate is `>= p` or the point is not on
    the curve (`(0, 0)` is infinity)."""
    point = _G1()
    if x == 0 and y == 0:
        return point  # all-zero z: MCL's point at infinity
    base = ctypes.addressof(point)
    if not (_set_fp(base, x) and _set_fp(base + _FP_BYTES, y)):
        return None
    # On the curve y^2 = x^3 + 3 is in G1 (cofactor 1). Checked here: MCL's isValid costs a
    # scalar multiplication (its order check) even with that check turned off.
    if (y * y - x * x * x - 3) % BN254_BASE_FIELD:
        return None
    _mcl.mclBnFp_setInt32(ctypes.c_void_p(base + 2 * _FP_BYTES), 1)
    return point


def _g2_fast(x_re: int, x_im: int, y_re: int, y_im: int) -> _G2 | None:
    """The affine G2 point, or None if it is off the twist (`mclBnG2_isValid`) or outside the
    prime-order subgroup (`_in_g2`)."""
    point = _G2()
    if not (x_re or x_im or y_re or y_im):
        return point
    base = ctypes.addressof(point)
    for slot, value in enumerate((x_re, x_im, y_re, y_im)):
        if not _set_fp(base + slot * _FP_BYTES, value):
            return None
    _mcl.mclBnFp_setInt32(ctypes.c_void_p(base + 4 * _FP_BYTES), 1)  # z = 1 + 0i
    _mcl.mclBnFp_setInt32(ctypes.c_void_p(base + 5 * _FP_BYTES), 0)
    return point if _mcl.mclBnG2_isValid(ctypes.byref(point)) and _in_g2(point) else None


def parse_packed(packed: Sequence[int]) -> "Proof | None":
    """The proof in a contract's `uint256[8]` of integers, or None if it is not a valid proof
    (a coordinate `>= p`, a point off the curve or outside the subgroup).

    The recount's parser: the same verdicts as `Proof.from_packed` at a fraction of its cost,
    and no exception to build for each of many bad proofs.
    """
    if len(packed) != 8:
        return None
    a = _g1_fast(packed[0], packed[1])
    b = _g2_fast(packed[3], packed[2], packed[5], packed[4])
    c = _g1_fast(packed[6], packed[7])
    if a is None or b is None or c is None:
        return None
    proof = object.__new__(Proof)
    object.__setattr__(proof, "a", (packed[0], packed[1]))
    object.__setattr__(proof, "b", ((packed[3], packed[2]), (packed[5], packed[4])))
    object.__setattr__(proof, "c", (packed[6], packed[7]))
    object.__setattr__(proof, "_points", (a, b, c))
    return proof


def _snarkjs_g1(value: object, what: str) -> G1Ints:
    x, y, z = _sequence(value, 3, what)
    if _parse_uint(z, f"{what} z") != 1:
        raise ProofFormatError(f"{what} must be affine (z = 1), got z = {z!r}")
    return _coordinate(x, f"{what} x"), _coordinate(y, f"{what} y")


def _snarkjs_g2(value: object, what: str) -> G2Ints:
    x, y, z = (_sequence(part, 2, what) for part in _sequence(value, 3, what))
    if (_parse_uint(z[0], f"{what} z"), _parse_uint(z[1], f"{what} z")) != (1, 0):
        raise ProofFormatError(f"{what} must be affine (z = [1, 0]), got z = {z!r}")
    x_re, x_im, y_re, y_im = (_coordinate(c, f"{what} coordinate") for c in (*x, *y))
    return (x_re, x_im), (y_re, y_im)


# ---- verifying key and proof -------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyingKey:
    """A Groth16 verifying key: `alpha` (G1), `beta`, `gamma`, `delta` (G2) and `ic` (G1),
    one `ic` point per public signal plus one."""

    alpha: G1Ints
    beta: G2Ints
    gamma: G2Ints
    delta: G2Ints
    ic: tuple[G1Ints, ...]
    _alpha: _G1 = field(init=False, repr=False, compare=False)
    _g2s: Any = field(init=False, repr=False, compare=False)
    _alpha_beta: _GT = field(init=False, repr=False, compare=False)
    _ic: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.ic) < 1:
            raise VerifyingKeyError("IC must hold at least one point")
        try:
            alpha = _g1(self.alpha, "vk alpha")
            g2s = [
                _g2(p, f"vk {name}")
                for p, name in zip(self._g2_ints, ("beta", "gamma", "delta"), strict=True)
            ]
            ic = (_G1 * len(self.ic))(*(_g1(p, f"vk IC[{i}]") for i, p in enumerate(self.ic)))
        except ProofFormatError as error:
            raise VerifyingKeyError(error.reason) from None
        object.__setattr__(self, "_alpha", alpha)
        object.__setattr__(self, "_g2s", g2s)
        # e(alpha, beta) is the same for every proof: computed once, it saves a Miller loop.
        alpha_beta = _GT()
        _mcl.mclBn_pairing(ctypes.byref(alpha_beta), ctypes.byref(alpha), ctypes.byref(g2s[0]))
        object.__setattr__(self, "_alpha_beta", alpha_beta)
        object.__setattr__(self, "_ic", ic)

    @property
    def _g2_ints(self) -> tuple[G2Ints, G2Ints, G2Ints]:
        return self.beta, self.gamma, self.delta

    @property
    def n_public(self) -> int:
        """The number of public signals the circuit has."""
        return len(self.ic) - 1

    @classmethod
    def from_snarkjs(cls, data: Mapping[str, Any]) -> "VerifyingKey":
        """A key from the JSON of `snarkjs zkey export verificationkey`."""
        try:
            if not isinstance(data, Mapping):
                raise ProofFormatError("the key must be a JSON object")
            if data.get("protocol") != "groth16" or data.get("curve") != "bn128":
                raise ProofFormatError(
                    f"expected protocol groth16 on curve bn128, got {data.get('protocol')!r} "
                    f"on {data.get('curve')!r}"
                )
            ic_json = data.get("IC")
            if not isinstance(ic_json, list):
                raise ProofFormatError("IC must be a list of G1 points")
            if _parse_uint(data.get("nPublic"), "nPublic") != len(ic_json) - 1:
                raise ProofFormatError(
                    f"nPublic {data.get('nPublic')!r} does not match {len(ic_json)} IC points"
                )
            return cls(
                alpha=_snarkjs_g1(data.get("vk_alpha_1"), "vk_alpha_1"),
                beta=_snarkjs_g2(data.get("vk_beta_2"), "vk_beta_2"),
                gamma=_snarkjs_g2(data.get("vk_gamma_2"), "vk_gamma_2"),
                delta=_snarkjs_g2(data.get("vk_delta_2"), "vk_delta_2"),
                ic=tuple(_snarkjs_g1(p, f"IC[{i}]") for i, p in enumerate(ic_json)),
            )
        except ProofFormatError as error:
            raise VerifyingKeyError(error.reason) from None

    @classmethod
    def load(cls, path: str | Path) -> "VerifyingKey":
        """A key from a snarkjs `verification_key.json` file."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise VerifyingKeyError(f"cannot read {path}: {error}") from None
        return cls.from_snarkjs(data)


@dataclass(frozen=True)
class Proof:
    """A Groth16 proof `(A, B, C)` with `A`, `C` in G1 and `B` in G2, checked on creation."""

    a: G1Ints
    b: G2Ints
    c: G1Ints
    _points: tuple[_G1, _G2, _G1] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        points = (_g1(self.a, "proof A"), _g2(self.b, "proof B"), _g1(self.c, "proof C"))
        object.__setattr__(self, "_points", points)

    @classmethod
    def from_snarkjs(cls, data: Mapping[str, Any]) -> "Proof":
        """A proof from snarkjs' JSON (`pi_a`, `pi_b`, `pi_c`, with decimal strings)."""
        if not isinstance(data, Mapping):
            raise ProofFormatError("the proof must be a JSON object")
        return cls(
            a=_snarkjs_g1(data.get("pi_a"), "pi_a"),
            b=_snarkjs_g2(data.get("pi_b"), "pi_b"),
            c=_snarkjs_g1(data.get("pi_c"), "pi_c"),
        )

    @classmethod
    def from_packed(cls, packed: Sequence[int | str]) -> "Proof":
        """A proof from the contract's `uint256[8]` (PROTOCOL.md: G2 imaginary part first)."""
        values = [
            _coordinate(v, f"packed proof[{i}]")
            for i, v in enumerate(_sequence(packed, 8, "packed proof"))
        ]
        return cls(
            a=(values[0], values[1]),
            b=((values[3], values[2]), (values[5], values[4])),
            c=(values[6], values[7]),
        )

    def packed(self) -> list[int]:
        """The contract's `uint256[8]`, as snarkjs' Solidity calldata and `packGroth16Proof`."""
        (x_re, x_im), (y_re, y_im) = self.b
        return [self.a[0], self.a[1], x_im, x_re, y_im, y_re, self.c[0], self.c[1]]

    def to_snarkjs(self) -> dict[str, Any]:
        """snarkjs' JSON form of the proof."""
        (x_re, x_im), (y_re, y_im) = self.b
        return {
            "pi_a": [str(self.a[0]), str(self.a[1]), "1"],
            "pi_b": [[str(x_re), str(x_im)], [str(y_re), str(y_im)], ["1", "0"]],
            "pi_c": [str(self.c[0]), str(self.c[1]), "1"],
            "protocol": "groth16",
            "curve": "bn128",
        }


# ---- verification ------------------------------------------------------------------------------


def _signal_scalars(vk: VerifyingKey, public_signals: Sequence[int]) -> list[int] | None:
    """The signals as integers; `None` if one is not below `r` (invalid, not malformed)."""
    if not isinstance(public_signals, list | tuple) or len(public_signals) != vk.n_public:
        raise ProofFormatError(f"expected {vk.n_public} public signals, got {public_signals!r}")
    values = [_parse_uint(s, f"public signal {i}") for i, s in enumerate(public_signals)]
    return values if all(v < SNARK_SCALAR_FIELD for v in values) else None


def _fr_array(values: Sequence[int]) -> Any:
    array = (_Fr * len(values))()
    for slot, value in zip(array, values, strict=True):
        text = str(value).encode()
        if _mcl.mclBnFr_setStr(ctypes.byref(slot), text, len(text), _IO_DECIMAL) != 0:
            raise CryptoError(f"MCL refused the scalar {value}")
    return array


def _linear_combination(vk: VerifyingKey, weights: Sequence[int]) -> _G1:
    """`sum(weights[i] · IC[i])`: with weights `[1, *signals]` it is the Groth16 `vk_x`."""
    result = _G1()
    _mcl.mclBnG1_mulVec(ctypes.byref(result), vk._ic, _fr_array(weights), len(weights))
    return result


def _product_is_one(g1s: Sequence[_G1], g2s: Sequence[_G2], factor: _GT | None = None) -> bool:
    """True if `factor · prod e(g1s[i], g2s[i]) == 1`: one shared Miller loop and one final
    exponentiation for all pairs (`factor`, if given, is an already computed pairing value)."""
    count = len(g1s)
    left = (_G1 * count)(*g1s)
    right = (_G2 * count)(*g2s)
    loop, result = _GT(), _GT()
    _mcl.mclBn_millerLoopVec(ctypes.byref(loop), left, right, count)
    _mcl.mclBn_finalExp(ctypes.byref(result), ctypes.byref(loop))
    if factor is not None:
        _mcl.mclBnGT_mul(ctypes.byref(result), ctypes.byref(result), ctypes.byref(factor))
    return bool(_mcl.mclBnGT_isOne(ctypes.byref(result)))


def verify(vk: VerifyingKey, proof: Proof, public_signals: Sequence[int]) -> bool:
    """True if `proof` proves the circuit of `vk` for `public_signals`.

    Checks `e(A, B) = e(alpha, beta) · e(vk_x, gamma) · e(C, delta)`, written as
    `e(-A, B) · e(alpha, beta) · e(vk_x, gamma) · e(C, delta) = 1`.
    """
    signals = _signal_scalars(vk, public_signals)
    if signals is None:
        return False
    vk_x = _linear_combination(vk, [1, *signals])
    a, b, c = proof._points
    minus_a = _G1()
    _mcl.mclBnG1_neg(ctypes.byref(minus_a), ctypes.byref(a))
    _, gamma, delta = vk._g2s
    return _product_is_one([minus_a, vk_x, c], [b, gamma, delta], factor=vk._alpha_beta)


def _fr(value: int) -> _Fr:
    """An MCL scalar from an integer already below `r` (32 bytes, no decimal string)."""
    scalar = _Fr()
    raw = value.to_bytes(32, "little")
    if _mcl.mclBnFr_deserialize(ctypes.byref(scalar), raw, 32) != 32:
        raise CryptoError(f"MCL refused the scalar {value}")
    return scalar


_PSI = _psi_constants()
_SEED = _fr(_BN_SEED)


def batch_verify(vk: VerifyingKey, items: Sequence[tuple[Proof, Sequence[int]]]) -> bool:
    """True if every `(proof, public_signals)` of `items` verifies; several times faster than
    `verify` one by one on large batches.

    Design: with independent random 128-bit weights `z_i`, the `n` checks
    `e(-A_i, B_i) · e(alpha, beta) · e(vk_x_i, gamma) · e(C_i, delta) = 1` are combined into
    `prod e(-z_i·A_i, B_i) · e((sum z_i)·alpha, beta) · e(sum z_i·vk_x_i, gamma)
    · e(sum z_i·C_i, delta) = 1`: `n + 3` Miller loops and a single final exponentiation, and
    `sum z_i·vk_x_i` is one multi-scalar multiplication over `IC` with the weights
    `(sum z_i, sum z_i·s_i1, ...)`. If any single check fails, the combined one fails except
    with probability about `2**-128` over the weights, which an attacker cannot predict (drawn
    from `secrets` after the proofs are fixed). A `False` does not say which proof is bad:
    `find_invalid` bisects to name it.
    """
    if not items:
        return True
    r = SNARK_SCALAR_FIELD
    ic_weights = [0] * (vk.n_public + 1)
    count = len(items)
    g1s = (_G1 * (count + 3))()
    g2s = (_G2 * (count + 3))()
    c_points = (_G1 * count)()
    weights = (_Fr * count)()
    total = 0
    for i, (proof, public_signals) in enumerate(items):
        signals = _signal_scalars(vk, public_signals)
        if signals is None:
            return False
        z = secrets.randbits(128) | 1
        total += z
        weights[i] = _fr(z)
        ic_weights[0] += z
        for j, value in enumerate(signals, start=1):
            ic_weights[j] += z * value
        a, b, c = proof._points
        # -z·A as z·(-A): a 128-bit multiplication instead of a 254-bit one.
        _mcl.mclBnG1_neg(ctypes.byref(g1s[i]), ctypes.byref(a))
        _mcl.mclBnG1_mul(ctypes.byref(g1s[i]), ctypes.byref(g1s[i]), ctypes.byref(weights[i]))
        g2s[i] = b
        c_points[i] = c
    _mcl.mclBnG1_mulVec(ctypes.byref(g1s[count + 2]), c_points, weights, count)
    beta, gamma, delta = vk._g2s
    _mcl.mclBnG1_mul(
        ctypes.byref(g1s[count]), ctypes.byref(vk._alpha), ctypes.byref(_fr(total % r))
    )
    g1s[count + 1] = _linear_combination(vk, [w % r for w in ic_weights])
    g2s[count], g2s[count + 1], g2s[count + 2] = beta, gamma, delta
    loop, result = _GT(), _GT()
    _mcl.mclBn_millerLoopVec(ctypes.byref(loop), g1s, g2s, count + 3)
    _mcl.mclBn_finalExp(ctypes.byref(result), ctypes.byref(loop))
    return bool(_mcl.mclBnGT_isOne(ctypes.byref(result)))


def find_invalid(
    vk: VerifyingKey, items: Sequence[tuple[Proof | None, Sequence[int]]]
) -> list[int]:
    """The positions in `items` whose proof does not verify (`None` stands for a proof that
    could not be parsed), found by batch checks and bisection.

    A batch that passes is done in one check; one that fails is split in halves, each checked
    again, down to single proofs, so `k` bad proofs among `n` cost about
    `k·2·log2(n)` extra batch checks of shrinking size rather than `n` single ones.
    """
    invalid: list[int] = []
    parsed: list[int] = []
    for position, (proof, _) in enumerate(items):
        (parsed if proof is not None else invalid).append(position)

    def passes(positions: list[int]) -> bool:
        return batch_verify(vk, [(items[p][0], items[p][1]) for p in positions])  # type: ignore[misc]

    def bisect(positions: list[int], known_bad: bool) -> None:
        if not known_bad and passes(positions):
            return
        if len(positions) == 1:
            invalid.append(positions[0])
            return
        middle = len(positions) // 2
        left, right = positions[:middle], positions[middle:]
        left_bad = not passes(left)
        if left_bad:
            bisect(left, known_bad=True)
        # A batch of valid proofs always passes: if the left half passed, the bad proof of
        # this failed batch is on the right for sure, and the right half is split unchecked.
        bisect(right, known_bad=not left_bad)

    if parsed:
        bisect(parsed, False)
    return sorted(invalid)

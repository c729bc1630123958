// GENERATED from zk/artifacts/depth20/verification_key.json by veche.chain.verifier_source; DEV-ONLY keys; do not edit.
// Key sha256 7ce890caa3fa37a7c32005e7a01d969ee1a177f626c8e4d4e52bdae4a4859f5f; see that folder's README: never for a real election.
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
    uint256 private constant R = 21888242871839275222246405745257275088548364400416034343698204186575808495617;
    /// @dev The BN254 base field order.
    uint256 private constant Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583;

    // The verification key. G2 coordinates are given imaginary part first, as the pairing
    // precompile (EIP-197) takes them.
    uint256 private constant ALPHA_X = 16503883666764830099476164623608865977795914481539391593037379989254877158129;
    uint256 private constant ALPHA_Y = 13152494442868453792951794054867496112723122411895644509517415829052370376859;
    uint256 private constant BETA_X_IM = 17876483276633418271706164417195290089709365809842750724792614356266008310602;
    uint256 private constant BETA_X_RE = 10082143970379374220193442285084533248957081511751212197781877094869687326128;
    uint256 private constant BETA_Y_IM = 19154894216427225942713272755575847293619308584638660128310498158020365356297;
    uint256 private constant BETA_Y_RE = 11780560137286219541340924839614515383350006313191836065094641306313825948327;
    uint256 private constant GAMMA_X_IM = 11559732032986387107991004021392285783925812861821192530917403151452391805634;
    uint256 private constant GAMMA_X_RE = 10857046999023057135944570762232829481370756359578518086990519993285655852781;
    uint256 private constant GAMMA_Y_IM = 4082367875863433681332203403145435568316851327593401208105741076214120093531;
    uint256 private constant GAMMA_Y_RE = 8495653923123431417604973247489272438418190587263600148770280649306958101930;
    uint256 private constant DELTA_X_IM = 700994274583296934834775696807159940385499484553645047260469871967891783328;
    uint256 private constant DELTA_X_RE = 3269049520117349880973401304631722973880698969514130743910433626118667343470;
    uint256 private constant DELTA_Y_IM = 8130996725484789917382198379777629156880804093837827618544675529355356051360;
    uint256 private constant DELTA_Y_RE = 3489960755732654538739846975424052748354081835634755705158715495674300786387;
    uint256 private constant IC0_X = 13105584044325842401936569251039964056785214471418223316285344718942611625230;
    uint256 private constant IC0_Y = 883298999315784419086077807444257100998112049780608460871811574147807704872;
    uint256 private constant IC1_X = 7609476202812852233999172906095840748316534043448553222725651934797224811781;
    uint256 private constant IC1_Y = 164261786968114970097501124010439082093660726016723841337220522146135690048;
    uint256 private constant IC2_X = 9873047983913108334027881679170317817198783508095147422244808959897869573655;
    uint256 private constant IC2_Y = 15170722696955154767662546188316999687724628009161516388037477777860259496618;
    uint256 private constant IC3_X = 17094018255641687678706567099693074829801227121379004477051683049544406967204;
    uint256 private constant IC3_Y = 8985503513650301502062656588845092613606370923947558843102102954109182279326;
    uint256 private constant IC4_X = 20133043679889502224251597748203646163656752191981601797695427330012234450893;
    uint256 private constant IC4_Y = 20915833565129598198500906846075529358883590930606589598981466405811871630708;

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

pragma circom 2.1.5;

// Veche's encrypted ballot: Semaphore v4's membership and nullifier, plus an exponential
// ElGamal encryption of a one-hot choice under the election's K option keys.
//
// The option keys Y_i are template parameters, so every multiplication by a point is a
// fixed-base one (EscalarMulFix, windows of constants): one circuit, ceremony and verifier per
// election key. The main component is written by `python -m veche.crypto.ballot_circuit` from
// an election key file; do not instantiate this template by hand.
//
// What a proof shows, without revealing which voter made it or what it chose:
//  - everything the Semaphore circuit shows (zk/circuits/semaphore_20.circom): a registered
//    identity whose commitment is a leaf under 'merkleRoot', 'nullifier' = Poseidon(scope,
//    secret), 'message' and 'scope' bound to the proof;
//  - 'options' (public, 1 <= options <= K) is the district's number of options;
//  - m[0..K-1] (private) is one-hot: every m_i is 0 or 1, they sum to 1, and the index of the
//    1 is below 'options';
//  - R = r·G and C_i = m_i·G + r·Y_i (G = BASE8) for one private r with R != identity, i.e.
//    r != 0 mod l: the ballot is an encryption of m under every Y_i with the same randomness.
// Public signals, in order: [merkleRoot, nullifier, R.x, R.y, C_0.x, C_0.y, ..., C_{K-1}.x,
// C_{K-1}.y, message, scope, options] (circom puts outputs first, then public inputs, each in
// declaration order).
include "node_modules/@semaphore-protocol/circuits/src/semaphore.circom";
include "escalarmulfix.circom";
include "bitify.circom";

template EncryptedBallot(MAX_DEPTH, K, KEYS) {
    // G = BASE8, the generator of Baby Jubjub's prime-order subgroup (veche.dedup.group).
    var G[2] = [
        5299619240641551281634865583518297030282874472190772894086521144482721001553,
        16950150798460657717958625567821834550301663161624707787222815936182638968203
    ];
    // r is taken as 251 bits: enough for any r in [1, l), l < 2^251.
    var R_BITS = 251;

    signal output merkleRoot, nullifier;
    signal output R[2];
    signal output C[K][2];

    signal input secret;
    signal input merkleProofLength, merkleProofIndex, merkleProofSiblings[MAX_DEPTH];
    signal input message;
    signal input scope;
    signal input options;
    signal input r;
    signal input m[K];

    // Semaphore v4, unchanged: membership, nullifier, message and scope.
    component semaphore = Semaphore(MAX_DEPTH);
    semaphore.secret <== secret;
    semaphore.merkleProofLength <== merkleProofLength;
    semaphore.merkleProofIndex <== merkleProofIndex;
    semaphore.merkleProofSiblings <== merkleProofSiblings;
    semaphore.message <== message;
    semaphore.scope <== scope;
    merkleRoot <== semaphore.merkleRoot;
    nullifier <== semaphore.nullifier;

    // 1 <= options <= K: options - 1 is an 8-bit number below K.
    signal optionsLessOne[8] <== Num2Bits(8)(options - 1);
    signal optionsInRange <== LessThan(8)([options - 1, K]);
    optionsInRange === 1;

    // m is one-hot and its 1 sits below 'options'.
    var total = 0;
    var index = 0;
    for (var i = 0; i < K; i++) {
        m[i] * (m[i] - 1) === 0;
        total += m[i];
        index += i * m[i];
    }
    total === 1;
    signal chosenInRange <== LessThan(8)([index, options]);
    chosenInRange === 1;

    // R = r·G, not the identity (on the prime subgroup x = 0 only at the identity).
    signal rBits[R_BITS] <== Num2Bits(R_BITS)(r);
    R <== EscalarMulFix(R_BITS, G)(rBits);
    signal rIsIdentity <== IsZero()(R[0]);
    rIsIdentity === 0;

    // C_i = m_i·G + r·Y_i; m_i·G is (m_i·G.x, 1 + m_i·(G.y - 1)), a select with no constraint.
    signal shared[K][2];
    for (var i = 0; i < K; i++) {
        shared[i] <== EscalarMulFix(R_BITS, KEYS[i])(rBits);
        (C[i][0], C[i][1]) <== BabyAdd()(shared[i][0], shared[i][1], m[i] * G[0], 1 + m[i] * (G[1] - 1));
    }
}

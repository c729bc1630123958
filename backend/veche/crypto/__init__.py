"""Veche's cryptography core: the encodings of docs/PROTOCOL.md in Python.

One module per concept, each checked against the shared vectors of `tests/vectors/`:
`poseidon` (circomlib Poseidon), `babyjub` (Baby Jubjub), `blake512` (original BLAKE-512),
`eddsa` (EdDSA-Poseidon signatures), `identity` (Semaphore v4 identities), `imt` (the LeanIMT
register), `hashing` (keccak encodings: message, scope, public signals) and `groth16` (proof
verification on MCL). `prover` makes ballot proofs with snarkjs.
"""

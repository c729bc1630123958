#!/usr/bin/env bash
# Print the README.md that zk/build-encrypted.sh puts beside the development encrypted ballot
# artifacts. Usage: zk/write-encrypted-readme.sh > zk/artifacts/encrypted16/README.md
set -euo pipefail
cat <<'MD'
# Encrypted ballot circuit artifacts for the DEVELOPMENT election key: DEV KEYS ONLY

> **WARNING: DEVELOPMENT KEYS. NEVER USE THEM FOR A REAL ELECTION.**
> Both the election key and the circuit's proving key in this folder are for tests, demos and
> benchmarks. The development election key's trustee shares are committed beside it, so
> ANYONE CAN DECRYPT every ballot made for it; and the proving key comes from a ceremony run
> by ONE process on ONE machine (`zk/build-encrypted.sh`), whose runner could FORGE BALLOTS.

| file | what it is |
| --- | --- |
| `development-election-key.json`, `development-trustee-shares.json` | the development election key and its trustees' shares (`veche trustee`, committed by the trustees' work) |
| `encrypted16.circom` | the circuit's main file: `zk/circuits/encrypted_ballot.circom` with the key's 16 option keys as constants (`python -m veche.crypto.ballot_circuit`) |
| `semaphore.wasm` | its witness generator (circom2 `--O2`, byte for byte reproducible) |
| `semaphore.r1cs` | its constraint system (15,625 constraints; Semaphore depth 20 alone: 6,431) |
| `pot_final.ptau` | phase-1 powers of tau 2^14, prepared for phase 2 (local, dev) |
| `semaphore.zkey` | the Groth16 proving key (phase 2 through `veche ceremony`: 2 local contributions and a beacon) |
| `verification_key.json` | its verification key (39 public signals) |
| `transcript.json` | the ceremony transcript `veche ceremony export` wrote |
| `SHA256SUMS` | `sha256sum -c SHA256SUMS` checks the files above (the key files have their own checks) |

The file names are those of any key folder `veche ceremony export` writes. The on-chain
verifier generated from `verification_key.json` is
`contracts/verifiers/EncryptedBallotVerifier.sol` (`python -m veche.chain.verifier_source
--encrypted`). Public signals, in order: `[merkleRoot, nullifier, R.x, R.y, C_0.x, C_0.y, ...,
C_15.x, C_15.y, message, scope, options]`.

## Regenerate and check

```sh
zk/build-encrypted.sh zk/artifacts/encrypted16/development-election-key.json zk/artifacts/encrypted16
zk/build-encrypted.sh --compile-only zk/artifacts/encrypted16/development-election-key.json /tmp/c
                      # same r1cs and wasm bytes as committed
npx snarkjs zkey verify zk/artifacts/encrypted16/semaphore.r1cs \
    zk/artifacts/encrypted16/pot_final.ptau zk/artifacts/encrypted16/semaphore.zkey
```

`tests/unit/test_encrypted_artifacts.py` does the same: recompiles the circuit from the key,
verifies the zkey against r1cs and ptau, re-exports the verification key and regenerates the
verifier.

## A real election

Every election key needs its own circuit, ceremony and verifier (the keys are constants of the
circuit). After the trustees publish the election key: `zk/build-encrypted.sh KEY.json OUT
PTAU` with a public powers of tau of at least 2^14 points, then replace the two local
contributions by independent contributors exactly as for the plain circuit
(`zk/artifacts/depth20/README.md`, "The ceremony a real election needs"; the steps are
`veche ceremony start / contribute / beacon / export`).
MD

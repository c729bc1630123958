#!/usr/bin/env bash
# DEV-ONLY trusted setup for the Veche ballot circuit, run entirely on this machine.
#
# Usage: zk/ceremony.sh [DEPTH]        (default 20; takes about 4-5 minutes at depth 20)
#
# Compiles the circuit (zk/build-circuit.sh), runs a local powers-of-tau (phase 1) and a
# circuit-specific Groth16 setup (phase 2), each with two contributions from /dev/urandom and
# a beacon, verifies both, and exports the verification key and the Solidity verifier.
# Outputs: zk/artifacts/depth<DEPTH>/{semaphore.wasm, semaphore.r1cs, semaphore.zkey,
# pot_final.ptau, verification_key.json, SHA256SUMS, README.md} and, for depth 20,
# contracts/verifiers/Groth16Verifier.sol (other depths: Groth16Verifier.sol in the artifact
# folder). Intermediate files stay in zk/build/tmp/.
#
# Every contribution here is made by the same process on the same machine, so whoever ran it
# could have kept the toxic waste and forge proofs. These keys are for development and tests
# only; a real election needs the multi-party ceremony described in the artifact README.
set -euo pipefail

DEPTH="${1:-20}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SNARKJS=(node node_modules/snarkjs/build/cli.cjs)
POWER=13
if (( DEPTH > 20 )); then POWER=14; fi
TMP="zk/build/tmp/ceremony-depth${DEPTH}"
OUT="zk/artifacts/depth${DEPTH}"
if (( DEPTH == 20 )); then
  VERIFIER="contracts/verifiers/Groth16Verifier.sol"
else
  VERIFIER="$OUT/Groth16Verifier.sol"
fi

entropy() { head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
step() { echo "== $(date -u +%H:%M:%S) $*"; }

rm -rf "$TMP"
mkdir -p "$TMP" "$OUT" "$(dirname "$VERIFIER")"

step "compile circuit (depth $DEPTH)"
zk/build-circuit.sh "$DEPTH" "$TMP/circuit"
R1CS="$TMP/circuit/semaphore_${DEPTH}.r1cs"
WASM="$TMP/circuit/semaphore_${DEPTH}_js/semaphore_${DEPTH}.wasm"

step "phase 1: powers of tau 2^$POWER"
"${SNARKJS[@]}" powersoftau new bn128 "$POWER" "$TMP/pot_0000.ptau"
"${SNARKJS[@]}" powersoftau contribute "$TMP/pot_0000.ptau" "$TMP/pot_0001.ptau" \
  --name="dev contribution 1" -e="$(entropy)"
"${SNARKJS[@]}" powersoftau contribute "$TMP/pot_0001.ptau" "$TMP/pot_0002.ptau" \
  --name="dev contribution 2" -e="$(entropy)"
# A real ceremony takes the beacon from public randomness fixed after the last contribution;
# here it is just more local entropy.
"${SNARKJS[@]}" powersoftau beacon "$TMP/pot_0002.ptau" "$TMP/pot_beacon.ptau" \
  "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" 10 -n="dev phase 1 beacon"
step "phase 1: prepare phase 2 (the slow step)"
"${SNARKJS[@]}" powersoftau prepare phase2 "$TMP/pot_beacon.ptau" "$TMP/pot_final.ptau"
"${SNARKJS[@]}" powersoftau verify "$TMP/pot_final.ptau"

step "phase 2: groth16 setup"
"${SNARKJS[@]}" groth16 setup "$R1CS" "$TMP/pot_final.ptau" "$TMP/semaphore_0000.zkey"
"${SNARKJS[@]}" zkey contribute "$TMP/semaphore_0000.zkey" "$TMP/semaphore_0001.zkey" \
  --name="dev contribution 1" -e="$(entropy)"
"${SNARKJS[@]}" zkey contribute "$TMP/semaphore_0001.zkey" "$TMP/semaphore_0002.zkey" \
  --name="dev contribution 2" -e="$(entropy)"
"${SNARKJS[@]}" zkey beacon "$TMP/semaphore_0002.zkey" "$TMP/semaphore_final.zkey" \
  "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" 10 -n="dev phase 2 beacon"
"${SNARKJS[@]}" zkey verify "$R1CS" "$TMP/pot_final.ptau" "$TMP/semaphore_final.zkey"

step "export"
"${SNARKJS[@]}" zkey export verificationkey "$TMP/semaphore_final.zkey" "$TMP/verification_key.json"

cp "$R1CS" "$OUT/semaphore.r1cs"
cp "$WASM" "$OUT/semaphore.wasm"
cp "$TMP/semaphore_final.zkey" "$OUT/semaphore.zkey"
cp "$TMP/pot_final.ptau" "$OUT/pot_final.ptau"
cp "$TMP/verification_key.json" "$OUT/verification_key.json"
if (( DEPTH == 20 )); then
  # The verifier (one proof or a batch) is generated from the key by our own generator.
  .venv/bin/python -m veche.chain.verifier_source
else
  "${SNARKJS[@]}" zkey export solidityverifier "$TMP/semaphore_final.zkey" "$VERIFIER"
fi
zk/write-artifacts-readme.sh "$DEPTH" "$POWER" > "$OUT/README.md"
(cd "$OUT" && sha256sum semaphore.wasm semaphore.r1cs semaphore.zkey pot_final.ptau verification_key.json > SHA256SUMS)

step "done: $OUT and $VERIFIER"

// Writes to stdout the Solidity Groth16 verifier for a snarkjs verification key, exactly as
// `snarkjs zkey export solidityverifier` renders it from the zkey (same template, same values),
// so that anyone holding only verification_key.json can rebuild the verifier an election uses.
//
//   node zk/verifier.mjs verification_key.json > Groth16Verifier.sol
import { readFileSync } from "node:fs"
import ejs from "ejs"

const [keyPath] = process.argv.slice(2)
if (!keyPath) {
    process.stderr.write("usage: node zk/verifier.mjs verification_key.json\n")
    process.exit(2)
}
const key = JSON.parse(readFileSync(keyPath, "utf8"))
if (key.protocol !== "groth16") {
    process.stderr.write(`${keyPath}: protocol ${JSON.stringify(key.protocol)}, expected groth16\n`)
    process.exit(1)
}
const template = readFileSync(
    new URL("../node_modules/snarkjs/templates/verifier_groth16.sol.ejs", import.meta.url),
    "utf8",
)
process.stdout.write(ejs.render(template, key))

// Builds the voter page and the observers' page into frontend/dist/: two bundles (esbuild), the
// HTML and CSS, snarkjs' browser build, the register's Poseidon in wasm, the circuit's witness generator and proving key, its
// verification key, and SHA256SUMS so anyone can check that a host serves the files unchanged.
//
// Deterministic: the same sources give byte-identical output (no timestamps, no absolute paths,
// sorted file lists). The deployment's config.json (election, RPC, relayers) is not part of the
// build: the host puts it next to the pages (see frontend/README.md).
//
// Usage: node frontend/build.mjs [--out DIR]
// The keys come from VECHE_ZK_DIR (default: the development keys). With
// VECHE_VERIFICATION_KEY_SHA256 (the hash the election's definition pins) the build refuses any
// other key; VECHE_MODE=production refuses the development key and a build without that pin.
import { createHash } from "node:crypto"
import { copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { build } from "esbuild"
import spec from "../spec/protocol.json" with { type: "json" }
import { poseidonWasm } from "./poseidon-wasm.mjs"

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, "..")
const outArg = process.argv.indexOf("--out")
const out = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(here, "dist")
/** The circuit's files: from VECHE_ZK_DIR when set (a real ceremony's), else the development keys. */
const devKeys = join(root, spec.zk.developmentDir)
const keys = process.env[spec.zk.envVar] ? resolve(process.env[spec.zk.envVar]) : devKeys

/** Files copied as they are: [source, name in dist]. */
const COPIED = [
    [join(here, "src", "index.html"), "index.html"],
    [join(here, "src", "observe.html"), "observe.html"],
    [join(here, "src", "desk.html"), "desk.html"],
    [join(root, "node_modules", "zxing-wasm", "dist", "reader", "zxing_reader.wasm"), "zxing_reader.wasm"],
    [join(here, "src", "style.css"), "style.css"],
    [join(here, "config.example.json"), "config.example.json"],
    [join(root, "node_modules", "snarkjs", "build", "snarkjs.min.js"), "snarkjs.min.js"],
    ...[spec.zk.wasm, spec.zk.zkey, spec.zk.verificationKey].map((name) => [join(keys, name), name]),
    ...encryptedCircuitFiles(),
]

/** The encrypted ballot circuit's files (its key folder names them as the plain one's) and the
 * election key it encrypts to, under the names the page asks for: from VECHE_ENCRYPTED_ZK_DIR
 * (the election key's own circuit and ceremony, zk/build-encrypted.sh), else, except in
 * production, the development election key's. */
function encryptedCircuitFiles() {
    const circuit = spec.encryption.circuit
    const configured = process.env[circuit.envVar]
    if (!configured && (process.env.VECHE_MODE ?? "dev") === "production") return []
    const folder = configured ? resolve(configured) : join(root, spec.encryption.developmentDir)
    const key = configured ? circuit.electionKeyFile : spec.encryption.developmentElectionKey
    return Object.entries(circuit.pageFiles).map(([kind, name]) => [join(folder, kind === "electionKey" ? key : spec.zk[kind]), name])
}

const sha256 = (path) => createHash("sha256").update(readFileSync(path)).digest("hex")

/** The page proves ballots with the key the definition pins, and never with the development
 * key in production (the same rule as `veche.ceremony.pin`). */
function checkKey() {
    const found = sha256(join(keys, spec.zk.verificationKey))
    const pinned = (process.env.VECHE_VERIFICATION_KEY_SHA256 ?? "").trim().toLowerCase()
    const fail = (why) => {
        console.error(`frontend/build.mjs: ${why}`)
        process.exit(1)
    }
    if (pinned && found !== pinned) {
        fail(`the verification key in ${keys} has sha256 ${found}, the definition pins ${pinned}`)
    }
    if ((process.env.VECHE_MODE ?? "dev") === "production") {
        if (found === sha256(join(devKeys, spec.zk.verificationKey))) {
            fail("production build with Veche's DEVELOPMENT key: set VECHE_ZK_DIR to the ceremony's keys")
        }
        if (!pinned) fail("production build needs VECHE_VERIFICATION_KEY_SHA256 (the definition's pin)")
    }
}
checkKey()

/** Resolves `veche:election-abi` to the Election ABI alone (not its 30 KB of bytecode), so the
 * pages always speak the contract that `make contracts` last built. */
const electionAbi = {
    name: "election-abi",
    setup(b) {
        b.onResolve({ filter: /^veche:election-abi$/ }, () => ({ path: "abi", namespace: "veche" }))
        b.onLoad({ filter: /.*/, namespace: "veche" }, () => {
            const artifact = JSON.parse(readFileSync(join(root, "contracts", "build", "Election.json")))
            return { contents: JSON.stringify(artifact.abi), loader: "json" }
        })
    },
}

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })

/** What every bundle shares: minified, deterministic, for current browsers. */
const BUNDLE = {
    bundle: true,
    platform: "browser",
    target: ["es2022"],
    minify: true,
    legalComments: "none",
    charset: "utf8",
    absWorkingDir: root,
    logLevel: "warning",
}

await build({
    ...BUNDLE,
    entryPoints: {
        voter: join(here, "src", "voter", "main.js"),
        observer: join(here, "src", "observer", "main.js"),
        desk: join(here, "src", "desk", "main.js"),
    },
    outdir: out,
    format: "esm",
    plugins: [electionAbi],
})

// The prover's worker: a classic script (importScripts loads snarkjs' browser build into it).
await build({
    ...BUNDLE,
    entryPoints: [join(here, "src", "prover", "worker.js")],
    outfile: join(out, "prover-worker.js"),
    format: "iife",
})

// The register's second core (register-tree.js hashes half a district's register there).
await build({
    ...BUNDLE,
    entryPoints: [join(here, "src", "register-worker", "worker.js")],
    outfile: join(out, "register-worker.js"),
    format: "iife",
})

for (const [source, name] of COPIED) copyFileSync(source, join(out, name))
// Poseidon in WebAssembly, for the page to rebuild a register of 300,000 voters in seconds.
writeFileSync(join(out, "register-hash.wasm"), poseidonWasm())

const files = readdirSync(out).filter((name) => name !== "SHA256SUMS").sort()
const sums = files.map((name) => {
    return `${sha256(join(out, name))}  ${name}\n`
})
writeFileSync(join(out, "SHA256SUMS"), sums.join(""))
console.log(`built ${files.length} files into ${relative(process.cwd(), out) || "."}`)

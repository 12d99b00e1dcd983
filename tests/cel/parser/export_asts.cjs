// Writes the (expression, expected AST) pairs of the cel-spec conformance data
// (@bufbuild/cel-spec, installed by tests/cel/conformance/fetch_testdata.sh) for
// conformance_ast_main. Each record is three fields (name, expr, ast), each
// written as "<byte length>\n<bytes>".
// Usage: node export_asts.cjs CACHE_DIR OUT_FILE
"use strict";
const fs = require("fs");
const path = require("path");
const [cache, out] = process.argv.slice(2);
const dir = path.join(cache, "node_modules/@bufbuild/cel-spec/dist/cjs/testdata");
const chunks = [];
function field(s) {
  const b = Buffer.from(s, "utf8");
  chunks.push(Buffer.from(`${b.length}\n`), b);
}
let count = 0;
function add(name, expr, ast) {
  if (typeof expr !== "string" || typeof ast !== "string") return;
  field(name);
  field(expr);
  field(ast);
  ++count;
}
for (const file of require(path.join(dir, "conformance.js")).tests.suites) {
  for (const section of file.suites || []) {
    for (const t of section.tests || []) {
      add(`${file.name}/${section.name}/${t.original.name}`, t.original.expr, t.ast);
    }
  }
}
require(path.join(dir, "parsing.js")).tests.tests.forEach((t, i) => {
  add(`parsing/${i}`, t.original.expr, t.ast);
});
fs.writeFileSync(out, Buffer.concat(chunks));
console.error(`export_asts: ${count} cases`);

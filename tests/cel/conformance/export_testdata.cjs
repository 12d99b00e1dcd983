// Exports the CEL conformance tests shipped in the npm package @bufbuild/cel-spec
// (installed by fetch_testdata.sh into a cache, never into the repo) into two files
// the C++ side can read without node or any .proto file:
//
//   OUT_DIR/conformance.jsonl  one line per test: a cel.expr.conformance.test.SimpleTest in
//                              canonical proto3 JSON, plus "file" (the cel-spec .textproto
//                              file, e.g. "basic") and "section" (the section within it).
//   OUT_DIR/descriptors.pb     a binary google.protobuf.FileDescriptorSet with every message
//                              the tests use (cel.expr.*, cel.expr.conformance.*, the proto2 and
//                              proto3 TestAllTypes and their extensions, the google.protobuf
//                              well-known types), dependencies first, built from the
//                              descriptors embedded in the package's generated code.
//
// Usage: node export_testdata.cjs NPM_PREFIX OUT_DIR
// NPM_PREFIX is the directory whose node_modules holds the pinned packages.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const { createRequire } = require("node:module");

function main() {
  const [prefix, outDir] = process.argv.slice(2);
  if (!prefix || !outDir) {
    console.error("usage: node export_testdata.cjs NPM_PREFIX OUT_DIR");
    process.exit(2);
  }
  const req = createRequire(path.join(path.resolve(prefix), "package.json"));
  const pb = req("@bufbuild/protobuf");
  const wkt = req("@bufbuild/protobuf/wkt");
  const { tests } = req("@bufbuild/cel-spec/testdata/conformance.js");
  const { getTestRegistry } = req("@bufbuild/cel-spec/testdata/registry.js");
  const simple = req("@bufbuild/cel-spec/cel/expr/conformance/test/simple_pb.js");
  const registry = getTestRegistry();

  fs.mkdirSync(outDir, { recursive: true });

  // (a) Test cases. Round-trip each through the SimpleTest schema: this validates the data
  // against the message definition and gives canonical proto3 JSON (Any as "@type", int64 as
  // strings, NaN/Infinity as strings).
  const lines = [];
  const walk = (suite, trail) => {
    for (const t of suite.tests ?? []) {
      const msg = pb.fromJson(simple.SimpleTestSchema, t.original, { registry });
      const json = pb.toJson(simple.SimpleTestSchema, msg, { registry });
      if (trail.length < 2) throw new Error(`test ${json.name} is not inside a file/section`);
      lines.push(JSON.stringify({ file: trail[0], section: trail.slice(1).join("/"), ...json }));
    }
    for (const child of suite.suites ?? []) walk(child, [...trail, child.name]);
  };
  walk(tests, []);
  fs.writeFileSync(path.join(outDir, "conformance.jsonl"), lines.join("\n") + "\n");

  // (b) Descriptors. Start from every generated file of cel-spec plus the well-known types the
  // JSON forms refer to, and add dependencies first (protobuf's DescriptorPool needs a file's
  // imports before the file).
  const roots = [];
  const genModules = [
    "cel/expr/checked_pb.js",
    "cel/expr/eval_pb.js",
    "cel/expr/explain_pb.js",
    "cel/expr/syntax_pb.js",
    "cel/expr/value_pb.js",
    "cel/expr/conformance/env_config_pb.js",
    "cel/expr/conformance/proto2/test_all_types_pb.js",
    "cel/expr/conformance/proto2/test_all_types_extensions_pb.js",
    "cel/expr/conformance/proto3/test_all_types_pb.js",
    "cel/expr/conformance/test/simple_pb.js",
  ];
  for (const m of genModules) {
    const mod = req("@bufbuild/cel-spec/" + m);
    for (const [k, v] of Object.entries(mod)) if (k.startsWith("file_")) roots.push(v);
  }
  for (const k of ["any", "duration", "empty", "field_mask", "struct", "timestamp", "wrappers"]) {
    roots.push(wkt["file_google_protobuf_" + k]);
  }
  const ordered = [];
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file.proto.name)) return;
    seen.add(file.proto.name);
    for (const dep of file.dependencies) visit(dep);
    ordered.push(file.proto);
  };
  roots.forEach(visit);
  const set = pb.create(wkt.FileDescriptorSetSchema, { file: ordered });
  fs.writeFileSync(path.join(outDir, "descriptors.pb"), pb.toBinary(wkt.FileDescriptorSetSchema, set));

  console.log(`export_testdata: ${lines.length} tests, ${ordered.length} descriptor files -> ${outDir}`);
}

main();

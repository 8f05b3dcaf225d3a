#!/usr/bin/env node
// Generates src/api/schema.d.ts from the backend's OpenAPI document. The one way to
// regenerate it (the test suite fails when the committed file differs from what this writes):
//
//   npm run gen:api                                  # dumps the document from the live router
//   npm run gen:api -- http://127.0.0.1:8000/api/v1/openapi.json
//   npm run gen:api -- /path/to/openapi.json [--output /path/to/schema.d.ts]
//   OPENAPI_SOURCE=/path/to/openapi.json npm run gen:api
//
// With no source, the document comes from `manage.py export_openapi_schema` run with the
// repository's .venv, so no server needs to run. The generated file is committed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repository = resolve(root, "..");
const args = process.argv.slice(2);
const outputAt = args.indexOf("--output");
const output =
  outputAt === -1
    ? resolve(root, "src/api/schema.d.ts")
    : resolve(process.cwd(), args.splice(outputAt, 2)[1]);
const source = args[0] || process.env.OPENAPI_SOURCE || "";
const isUrl = /^https?:\/\//.test(source);

let scratch = "";
let input = isUrl ? source : source && resolve(process.cwd(), source);
if (!source) {
  scratch = mkdtempSync(join(tmpdir(), "openapi-"));
  input = join(scratch, "openapi.json");
  const python = resolve(repository, ".venv/bin/python");
  const dump = spawnSync(
    python,
    [
      resolve(repository, "manage.py"),
      "export_openapi_schema",
      "--api",
      "config.router.api",
      "--output",
      input,
    ],
    { cwd: repository, stdio: "inherit" },
  );
  if (dump.status !== 0) {
    console.error("Could not dump the OpenAPI document with manage.py export_openapi_schema.");
    process.exit(dump.status ?? 1);
  }
} else if (!isUrl && !existsSync(input)) {
  console.error(`OpenAPI document not found at ${input}: pass a file path or URL.`);
  process.exit(1);
}

const bin = resolve(root, "node_modules/.bin/openapi-typescript");
const result = spawnSync(bin, [input, "--output", output], {
  cwd: root,
  stdio: "inherit",
});
if (scratch) rmSync(scratch, { recursive: true, force: true });
process.exit(result.status ?? 1);

#!/usr/bin/env node
// Generates src/api/schema.d.ts from the backend's OpenAPI document.
//
//   npm run gen:api                                  # reads ../.data/openapi.json
//   npm run gen:api -- http://127.0.0.1:8000/api/v1/openapi.json
//   OPENAPI_SOURCE=/path/to/openapi.json npm run gen:api
//
// The source may be a file path or an http(s) URL. The generated file is committed.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const source = process.argv[2] || process.env.OPENAPI_SOURCE || "../.data/openapi.json";
const isUrl = /^https?:\/\//.test(source);
const input = isUrl ? source : resolve(root, source);

if (!isUrl && !existsSync(input)) {
  console.error(
    `OpenAPI document not found at ${input}.\n` +
      "Save it first (e.g. curl -o ../.data/openapi.json http://127.0.0.1:8000/api/v1/openapi.json)\n" +
      "or pass a file path or URL: npm run gen:api -- <path-or-url>",
  );
  process.exit(1);
}

const bin = resolve(root, "node_modules/.bin/openapi-typescript");
const result = spawnSync(bin, [input, "--output", "src/api/schema.d.ts"], {
  cwd: root,
  stdio: "inherit",
});
process.exit(result.status ?? 1);

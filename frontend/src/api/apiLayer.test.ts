import { describe, expect, it } from "vitest";

// Every page, component and hook reaches the API only through the resource modules in src/api/.
// Outside them only the session (AuthContext: login, logout, `me`) and the answer stream (SSE)
// talk to the network.
const sources = import.meta.glob<string>(["../**/*.{ts,tsx}", "!../**/*.test.{ts,tsx}", "!../test/**"], {
  query: "?raw",
  import: "default",
  eager: true,
});
const ALLOWED = new Set(["../auth/AuthContext.tsx", "../chat/stream.ts"]);
// Vite names the files of this folder (src/api) relative to it: "./client.ts".
const isApiModule = (path: string) => path.startsWith("./") || path.startsWith("../api/");

/** Whether the file imports the `api` client value (type-only imports are fine). */
function importsClient(source: string): boolean {
  const imports = source.match(/import\s+(?!type\b)\{[^}]*\}\s+from\s+"[./]*\/?api\/client"/g) ?? [];
  return imports.some((statement) => /[{,]\s*api\s*[,}]/.test(statement));
}

describe("the API layer", () => {
  it("covers the files it is meant to check", () => {
    expect(Object.keys(sources)).toContain("../pages/admin/MembersPage.tsx");
    expect(Object.keys(sources)).toContain("../pages/admin/connections/ConnectionDetailPage.tsx");
    expect(Object.keys(sources)).toContain("../pages/agents/AgentBuilderPage.tsx");
    expect(Object.keys(sources)).toContain("../chat/useChat.ts");
  });

  it("is the only way the app calls the API", () => {
    const offenders = Object.entries(sources)
      .filter(([path, source]) => !ALLOWED.has(path) && !isApiModule(path) && (importsClient(source) || /\bfetch\(/.test(source)))
      .map(([path]) => path);
    expect(offenders).toEqual([]);
  });

  it("would notice an inline call", () => {
    expect(importsClient('import { api, type Member } from "../../api/client";')).toBe(true);
    expect(importsClient('import { type Member, api } from "../api/client";')).toBe(true);
    expect(importsClient('import type { Member } from "../../api/client";')).toBe(false);
    expect(importsClient('import { type Member } from "../../api/client";')).toBe(false);
  });
});

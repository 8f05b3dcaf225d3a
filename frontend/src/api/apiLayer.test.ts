import { describe, expect, it } from "vitest";

// The admin pages, layout, auth, shared components and public account pages reach the API only
// through the resource modules in src/api/ (AuthContext keeps login, logout and `me`).
const sources = import.meta.glob<string>(
  [
    "../pages/admin/**/*.{ts,tsx}",
    "../layout/**/*.{ts,tsx}",
    "../auth/**/*.{ts,tsx}",
    "../components/**/*.{ts,tsx}",
    "../pages/InvitationPage*.tsx",
    "../pages/PasswordResetPages*.tsx",
    "!../**/*.test.{ts,tsx}",
  ],
  { query: "?raw", import: "default", eager: true },
);
const ALLOWED = new Set(["../auth/AuthContext.tsx"]);

/** Whether the file imports the `api` client value (type-only imports are fine). */
function importsClient(source: string): boolean {
  const imports = source.match(/import\s+(?!type\b)\{[^}]*\}\s+from\s+"[./]*\/?api\/client"/g) ?? [];
  return imports.some((statement) => /[{,]\s*api\s*[,}]/.test(statement));
}

describe("the API layer", () => {
  it("covers the files it is meant to check", () => {
    expect(Object.keys(sources)).toContain("../pages/admin/MembersPage.tsx");
    expect(Object.keys(sources)).toContain("../pages/admin/connections/ConnectionDetailPage.tsx");
  });

  it("is the only way these pages call the API", () => {
    const offenders = Object.entries(sources)
      .filter(([path, source]) => !ALLOWED.has(path) && (importsClient(source) || /\bfetch\(/.test(source)))
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

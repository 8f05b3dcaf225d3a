import { describe, expect, it } from "vitest";

// Every source file of the app (tests and the generated schema aside), as text.
const sources = import.meta.glob<string>(["./**/*.{ts,tsx}", "!./**/*.test.{ts,tsx}", "!./test/**", "!./api/schema.d.ts"], {
  query: "?raw",
  import: "default",
  eager: true,
});

/** A file past this is doing more than one job: split it into focused components or hooks. */
const MAX_LINES = 320;

describe("the web app's structure", () => {
  it("reads the sources it checks", () => {
    expect(Object.keys(sources)).toContain("./pages/admin/MembersPage.tsx");
    expect(Object.keys(sources)).not.toContain("./api/schema.d.ts");
  });

  it("keeps every file under about 300 lines", () => {
    const long = Object.entries(sources)
      .map(([path, text]) => [path, text.split("\n").length] as const)
      .filter(([, lines]) => lines > MAX_LINES);
    expect(long).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { excerpt, isNoModelNote, paragraphs, splitCitations } from "./citations";

describe("splitCitations", () => {
  it("finds single and grouped references, like the runtime does", () => {
    expect(splitCitations("Days carry over [1][2, 3]. Ask HR.")).toEqual([
      { type: "text", text: "Days carry over " },
      { type: "cite", numbers: [1], raw: "[1]" },
      { type: "cite", numbers: [2, 3], raw: "[2, 3]" },
      { type: "text", text: ". Ask HR." },
    ]);
  });

  it("leaves text without references, and brackets that are not references, alone", () => {
    expect(splitCitations("See [the handbook] or [x1].")).toEqual([{ type: "text", text: "See [the handbook] or [x1]." }]);
  });
});

describe("answer text helpers", () => {
  it("splits paragraphs on blank lines and keeps single line breaks", () => {
    expect(paragraphs("One\ntwo\n\n\nThree  \n \nFour")).toEqual(["One\ntwo", "Three", "Four"]);
  });

  it("recognises the extractive answer's note", () => {
    expect(isNoModelNote("No language model is configured for this agent, so …")).toBe(true);
    expect(isNoModelNote("You get 25 days.")).toBe(false);
  });

  it("makes a passage an excerpt without markdown heading marks or its repeated title", () => {
    expect(excerpt("# Travel policy\n\nEveryone gets  25 days.", "Travel policy")).toBe("Everyone gets 25 days.");
  });
});

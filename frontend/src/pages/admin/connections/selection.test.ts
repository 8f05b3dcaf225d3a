import { describe, expect, it } from "vitest";
import type { HierarchyNode } from "../../../api/client";
import {
  ancestorsOf,
  checkState,
  EMPTY_TREE,
  matchesFilter,
  sameSelection,
  toggleNode,
  withChildren,
} from "./selection";

function node(id: string, title: string, hasChildren = false): HierarchyNode {
  return { id, title, kind: "page", parent_id: null, has_children: hasChildren, url: "", details: {} };
}

// Handbook
//   Engineering
//     On-call
//     Runbooks
//   People
// Roadmap
const TREE = withChildren(
  withChildren(
    withChildren(EMPTY_TREE, null, [node("handbook", "Handbook", true), node("roadmap", "Roadmap")]),
    "handbook",
    [node("engineering", "Engineering", true), node("people", "People")],
  ),
  "engineering",
  [node("oncall", "On-call"), node("runbooks", "Runbooks")],
);

describe("the picker's selection", () => {
  it("knows each loaded node's ancestors, nearest first", () => {
    expect(ancestorsOf(TREE, "oncall")).toEqual(["engineering", "handbook"]);
    expect(ancestorsOf(TREE, "roadmap")).toEqual([]);
    expect(ancestorsOf(TREE, "not-loaded")).toEqual([]);
  });

  it("shows picked, inherited, partial and unpicked nodes", () => {
    const selected = ["engineering"];
    expect(checkState(TREE, selected, "engineering")).toBe("checked");
    expect(checkState(TREE, selected, "oncall")).toBe("inherited");
    expect(checkState(TREE, selected, "handbook")).toBe("partial");
    expect(checkState(TREE, selected, "people")).toBe("unchecked");
    expect(checkState(TREE, selected, "roadmap")).toBe("unchecked");
  });

  it("picks and unpicks a node", () => {
    expect(toggleNode(TREE, [], "roadmap")).toEqual(["roadmap"]);
    expect(toggleNode(TREE, ["roadmap", "people"], "roadmap")).toEqual(["people"]);
  });

  it("picking a parent replaces the picks under it, since it includes them", () => {
    expect(toggleNode(TREE, ["oncall", "people", "roadmap"], "handbook")).toEqual(["roadmap", "handbook"]);
  });

  it("unpicking a node included through its parent keeps its siblings picked", () => {
    expect(sameSelection(toggleNode(TREE, ["engineering"], "oncall"), ["runbooks"])).toBe(true);
  });

  it("unpicking a node two levels under the pick keeps every sibling on the way", () => {
    const next = toggleNode(TREE, ["handbook", "roadmap"], "oncall");
    expect(sameSelection(next, ["roadmap", "people", "runbooks"])).toBe(true);
    expect(checkState(TREE, next, "oncall")).toBe("unchecked");
    expect(checkState(TREE, next, "handbook")).toBe("partial");
  });

  it("compares selections as sets", () => {
    expect(sameSelection(["a", "b"], ["b", "a"])).toBe(true);
    expect(sameSelection(["a"], ["a", "b"])).toBe(false);
    expect(sameSelection([], [])).toBe(true);
  });

  it("filters by title, keeping parents of loaded matches", () => {
    expect(matchesFilter(TREE, "handbook", "run")).toBe(true);
    expect(matchesFilter(TREE, "roadmap", "run")).toBe(false);
    expect(matchesFilter(TREE, "roadmap", "  ")).toBe(true);
  });
});

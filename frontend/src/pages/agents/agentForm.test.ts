import { describe, expect, it } from "vitest";
import {
  EMPTY_AGENT_FORM,
  changedFields,
  formFromSnapshot,
  handleFromName,
  joinModelId,
  modelLabel,
  splitModelId,
  toAgentChanges,
  toAgentInput,
  validateAgentForm,
  type AgentFormValues,
} from "./agentForm";

const VALID: AgentFormValues = { ...EMPTY_AGENT_FORM, name: "HR helper", handle: "hr-helper", viewIds: [3] };

describe("validateAgentForm", () => {
  it("accepts a named agent with a handle and a data view", () => {
    expect(validateAgentForm(VALID, { isNew: true })).toEqual({ errors: {}, warnings: [], valid: true });
  });

  it("needs a name and, for a new agent, a handle people can type", () => {
    const check = validateAgentForm({ ...VALID, name: "  ", handle: "" }, { isNew: true });
    expect(check.valid).toBe(false);
    expect(check.errors.name).toMatch(/Give the agent a name/);
    expect(check.errors.handle).toMatch(/Choose a handle/);
    expect(validateAgentForm({ ...VALID, handle: "HR Helper!" }, { isNew: true }).errors.handle).toMatch(
      /lowercase letters, digits and dashes/,
    );
    expect(validateAgentForm({ ...VALID, handle: "@hr-helper" }, { isNew: true }).valid).toBe(true);
  });

  it("ignores the handle of a saved agent, which cannot change", () => {
    expect(validateAgentForm({ ...VALID, handle: "" }, { isNew: false }).valid).toBe(true);
  });

  it("needs a model name once a provider is chosen", () => {
    const check = validateAgentForm({ ...VALID, provider: "openai", model: " " }, { isNew: true });
    expect(check.errors.model).toBe("Name the model, like gpt-4o-mini, or choose “No model”.");
    expect(validateAgentForm({ ...VALID, provider: "openai", model: "gpt-4o" }, { isNew: true }).valid).toBe(true);
  });

  it("keeps the temperature between 0 and 2", () => {
    expect(validateAgentForm({ ...VALID, temperature: 2.5 }, { isNew: true }).errors.temperature).toBeDefined();
    expect(validateAgentForm({ ...VALID, temperature: Number.NaN }, { isNew: true }).valid).toBe(false);
  });

  it("warns, without blocking, about an agent with nothing to search", () => {
    const noViews = validateAgentForm({ ...VALID, viewIds: [] }, { isNew: true });
    expect(noViews.valid).toBe(true);
    expect(noViews.warnings).toEqual(["Pick at least one data view: without one the agent has nothing to search."]);
    expect(validateAgentForm({ ...VALID, tools: [] }, { isNew: true }).warnings[0]).toMatch(/no tools/);
  });
});

describe("model ids", () => {
  it("splits and joins provider:model, keeping colons inside the model name", () => {
    expect(splitModelId("openai:gpt-4o-mini")).toEqual({ provider: "openai", model: "gpt-4o-mini" });
    expect(splitModelId("openai-compatible:llama3.1:8b")).toEqual({ provider: "openai-compatible", model: "llama3.1:8b" });
    expect(splitModelId("")).toEqual({ provider: "", model: "" });
    expect(joinModelId("anthropic", " claude-sonnet-4-5 ")).toBe("anthropic:claude-sonnet-4-5");
    expect(joinModelId("", "ignored")).toBe("");
  });

  it("reads well in lists", () => {
    expect(modelLabel("")).toBe("No model · quotes sources");
    expect(modelLabel("mistral:mistral-large-latest")).toBe("Mistral · mistral-large-latest");
  });
});

describe("handleFromName", () => {
  it("suggests what the API would make of the name", () => {
    expect(handleFromName("HR Helper")).toBe("hr-helper");
    expect(handleFromName("  Café   Finance -- Bot! ")).toBe("cafe-finance-bot");
  });
});

describe("payloads", () => {
  it("creates with every field, the model id joined", () => {
    expect(toAgentInput({ ...VALID, provider: "openai", model: "gpt-4o", name: " HR helper " })).toEqual({
      handle: "hr-helper",
      name: "HR helper",
      description: "",
      instructions: "",
      model_id: "openai:gpt-4o",
      temperature: 0.2,
      view_ids: [3],
      tools: ["search"],
      visibility: "workspace",
      editor_ids: [],
    });
  });

  it("saves only what changed", () => {
    expect(toAgentChanges(VALID, VALID)).toEqual({});
    expect(toAgentChanges({ ...VALID, instructions: "Be brief.", viewIds: [3, 4] }, VALID)).toEqual({
      instructions: "Be brief.",
      view_ids: [3, 4],
    });
    expect(toAgentChanges({ ...VALID, viewIds: [3] }, { ...VALID, viewIds: [3] })).toEqual({});
  });
});

describe("versions", () => {
  const v1 = { name: "HR", instructions: "", model_id: "", tools: ["search"], view_ids: [3], status: "draft" };

  it("names what a version changed", () => {
    expect(changedFields({ ...v1, instructions: "Be brief.", view_ids: [3, 4] }, v1)).toEqual(["instructions", "data views"]);
    expect(changedFields(v1, undefined)).toEqual([]);
  });

  it("loads a snapshot into the form", () => {
    const form = formFromSnapshot({ ...v1, model_id: "openai:gpt-4o", temperature: 0.7 }, VALID);
    expect(form).toMatchObject({ name: "HR", provider: "openai", model: "gpt-4o", temperature: 0.7, viewIds: [3] });
  });
});

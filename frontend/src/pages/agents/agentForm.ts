import type { Agent, AgentChanges, AgentInput, AgentTool, AgentVisibility, ModelProvider } from "../../api/client";

/** What the builder edits. `provider` "" means no model: extractive answers. */
export interface AgentFormValues {
  name: string;
  handle: string;
  description: string;
  instructions: string;
  provider: ModelProvider | "";
  model: string;
  temperature: number;
  tools: AgentTool[];
  viewIds: number[];
  visibility: AgentVisibility;
}

export const MODEL_PROVIDERS: { value: ModelProvider; label: string; example: string }[] = [
  { value: "openai", label: "OpenAI", example: "gpt-4o-mini" },
  { value: "anthropic", label: "Anthropic", example: "claude-sonnet-4-5" },
  { value: "google", label: "Google", example: "gemini-2.5-flash" },
  { value: "mistral", label: "Mistral", example: "mistral-large-latest" },
  { value: "openai-compatible", label: "OpenAI-compatible endpoint", example: "llama3.1:8b" },
];

export const TOOLS: { value: AgentTool; label: string; description: string }[] = [
  {
    value: "search",
    label: "Search the sources",
    description: "Finds the passages that answer each question, in the data views below.",
  },
  {
    value: "recent_documents",
    label: "Recent documents",
    description: "Lists what changed lately, for questions like “what's new in the handbook?”. Needs a model.",
  },
];

export const EMPTY_AGENT_FORM: AgentFormValues = {
  name: "",
  handle: "",
  description: "",
  instructions: "",
  provider: "",
  model: "",
  temperature: 0.2,
  tools: ["search"],
  viewIds: [],
  visibility: "workspace",
};

const PROVIDER_VALUES = new Set<string>(MODEL_PROVIDERS.map((provider) => provider.value));

/** "openai:gpt-4o-mini" -> provider and model; "" -> no model. */
export function splitModelId(modelId: string): { provider: ModelProvider | ""; model: string } {
  const trimmed = modelId.trim();
  if (!trimmed) return { provider: "", model: "" };
  const colon = trimmed.indexOf(":");
  const provider = colon === -1 ? trimmed : trimmed.slice(0, colon);
  const model = colon === -1 ? "" : trimmed.slice(colon + 1);
  return PROVIDER_VALUES.has(provider) ? { provider: provider as ModelProvider, model } : { provider: "", model: trimmed };
}

export function joinModelId(provider: ModelProvider | "", model: string): string {
  return provider ? `${provider}:${model.trim()}` : "";
}

/** A model id for people: "OpenAI · gpt-4o-mini", or that there is none. */
export function modelLabel(modelId: string): string {
  const { provider, model } = splitModelId(modelId);
  if (!provider) return modelId ? modelId : "No model · quotes sources";
  const label = MODEL_PROVIDERS.find((p) => p.value === provider)?.label ?? provider;
  return `${label === "OpenAI-compatible endpoint" ? "Custom" : label} · ${model}`;
}

/** The form over an agent: its unpublished changes where it has them, else its saved settings. */
export function formFromAgent(agent: Agent): AgentFormValues {
  const source = agent.draft ?? agent;
  const { provider, model } = splitModelId(source.model_id);
  return {
    name: source.name,
    handle: agent.handle,
    description: source.description,
    instructions: source.instructions,
    provider,
    model,
    temperature: source.temperature,
    tools: [...(source.tools as AgentTool[])].sort(),
    viewIds: [...source.view_ids].sort((a, b) => a - b),
    visibility: source.visibility,
  };
}

/** A saved version's snapshot (agents/services.py _snapshot) as form values. */
export function formFromSnapshot(snapshot: Record<string, unknown>, fallback: AgentFormValues): AgentFormValues {
  const text = (key: string, otherwise: string) => (typeof snapshot[key] === "string" ? (snapshot[key] as string) : otherwise);
  const { provider, model } = splitModelId(text("model_id", joinModelId(fallback.provider, fallback.model)));
  return {
    name: text("name", fallback.name),
    handle: text("handle", fallback.handle),
    description: text("description", fallback.description),
    instructions: text("instructions", fallback.instructions),
    provider,
    model,
    temperature: typeof snapshot.temperature === "number" ? snapshot.temperature : fallback.temperature,
    tools: Array.isArray(snapshot.tools) ? ([...snapshot.tools] as AgentTool[]).sort() : fallback.tools,
    viewIds: Array.isArray(snapshot.view_ids) ? (snapshot.view_ids as number[]).slice().sort((a, b) => a - b) : fallback.viewIds,
    visibility: snapshot.visibility === "editors" || snapshot.visibility === "workspace" ? snapshot.visibility : fallback.visibility,
  };
}

/** A handle suggested from a name: "HR Helper" -> "hr-helper" (what the API's slugify keeps). */
export function handleFromName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9\s_-]/g, "")
    .trim()
    .replace(/[\s-]+/g, "-")
    .slice(0, 64)
    .replace(/-+$/, "");
}

const HANDLE = /^[a-z0-9][a-z0-9_-]*$/;

export type AgentFormErrors = Partial<Record<"name" | "handle" | "model" | "temperature", string>>;

export interface AgentFormCheck {
  errors: AgentFormErrors;
  /** Things that save but make a poor agent; shown, never blocking. */
  warnings: string[];
  valid: boolean;
}

/** Checks the builder's form before it is sent; the API checks again and has the last word. */
export function validateAgentForm(values: AgentFormValues, { isNew }: { isNew: boolean }): AgentFormCheck {
  const errors: AgentFormErrors = {};
  const warnings: string[] = [];
  if (!values.name.trim()) errors.name = "Give the agent a name, like “HR helper”.";
  else if (values.name.trim().length > 200) errors.name = "Keep the name under 200 characters.";
  if (isNew) {
    const handle = values.handle.trim().replace(/^@/, "");
    if (!handle) errors.handle = "Choose a handle, like hr-helper: people mention the agent with it.";
    else if (handle.length > 64) errors.handle = "Keep the handle under 64 characters.";
    else if (!HANDLE.test(handle)) errors.handle = "Use lowercase letters, digits and dashes only, like hr-helper.";
  }
  if (values.provider && !values.model.trim()) {
    const example = MODEL_PROVIDERS.find((p) => p.value === values.provider)?.example ?? "a model name";
    errors.model = `Name the model, like ${example}, or choose “No model”.`;
  }
  if (!(values.temperature >= 0 && values.temperature <= 2)) errors.temperature = "Temperature goes from 0 to 2.";
  if (values.tools.length === 0) {
    warnings.push("With no tools the agent cannot read any source, so it cannot cite anything.");
  } else if (values.viewIds.length === 0) {
    warnings.push("Pick at least one data view: without one the agent has nothing to search.");
  }
  if (!values.provider && values.tools.includes("recent_documents") && !values.tools.includes("search")) {
    warnings.push("Without a model the agent only searches; “Recent documents” needs a model.");
  }
  return { errors, warnings, valid: Object.keys(errors).length === 0 };
}

export function toAgentInput(values: AgentFormValues): AgentInput {
  return {
    handle: values.handle.trim().replace(/^@/, ""),
    name: values.name.trim(),
    description: values.description.trim(),
    instructions: values.instructions.trim(),
    model_id: joinModelId(values.provider, values.model),
    temperature: values.temperature,
    view_ids: values.viewIds,
    tools: values.tools,
    visibility: values.visibility,
    // The creator is always an editor; more are added later.
    editor_ids: [],
  };
}

/** Only what changed since `saved`, so a save does not rewrite fields it did not touch. */
export function toAgentChanges(values: AgentFormValues, saved: AgentFormValues): AgentChanges {
  const next = toAgentInput(values);
  const before = toAgentInput(saved);
  const changes: AgentChanges = {};
  if (next.name !== before.name) changes.name = next.name;
  if (next.description !== before.description) changes.description = next.description;
  if (next.instructions !== before.instructions) changes.instructions = next.instructions;
  if (next.model_id !== before.model_id) changes.model_id = next.model_id;
  if (next.temperature !== before.temperature) changes.temperature = next.temperature;
  if (!sameList(next.view_ids ?? [], before.view_ids ?? [])) changes.view_ids = next.view_ids;
  if (!sameList(next.tools ?? [], before.tools ?? [])) changes.tools = next.tools;
  if (next.visibility !== before.visibility) changes.visibility = next.visibility;
  return changes;
}

function sameList<T>(a: T[], b: T[]): boolean {
  const left = [...a].sort();
  const right = [...b].sort();
  return left.length === right.length && left.every((item, index) => item === right[index]);
}

export function isDirty(values: AgentFormValues, saved: AgentFormValues): boolean {
  return Object.keys(toAgentChanges(values, saved)).length > 0;
}

const SNAPSHOT_LABELS: Record<string, string> = {
  name: "name",
  description: "description",
  instructions: "instructions",
  model_id: "model",
  temperature: "temperature",
  tools: "tools",
  view_ids: "data views",
  editor_ids: "editors",
  status: "status",
  visibility: "who can use it",
};

/** What a version changed compared with the one before it, in words: ["instructions", "model"]. */
export function changedFields(snapshot: Record<string, unknown>, previous: Record<string, unknown> | undefined): string[] {
  if (!previous) return [];
  return Object.keys(SNAPSHOT_LABELS).filter(
    (key) => JSON.stringify(snapshot[key] ?? null) !== JSON.stringify(previous[key] ?? null),
  ).map((key) => SNAPSHOT_LABELS[key]);
}

import type { ModelProvider } from "../../../api/client";

export interface ProviderInfo {
  provider: ModelProvider;
  label: string;
  /** Where an admin finds the key. */
  keyHelp: string;
  keyUrl: string | null;
  /** The agent builder's model ids for this provider start with this. */
  example: string;
}

/** Every provider the platform can call, in the order the page lists them. */
export const PROVIDERS: ProviderInfo[] = [
  {
    provider: "openai",
    label: "OpenAI",
    keyHelp: "A secret key from the OpenAI platform's API keys page (starts with sk-).",
    keyUrl: "https://platform.openai.com/api-keys",
    example: "openai:gpt-4o-mini",
  },
  {
    provider: "anthropic",
    label: "Anthropic",
    keyHelp: "An API key from the Anthropic Console (starts with sk-ant-).",
    keyUrl: "https://console.anthropic.com/settings/keys",
    example: "anthropic:claude-sonnet-4-5",
  },
  {
    provider: "google",
    label: "Google Gemini",
    keyHelp: "An API key from Google AI Studio.",
    keyUrl: "https://aistudio.google.com/app/apikey",
    example: "google:gemini-2.5-flash",
  },
  {
    provider: "mistral",
    label: "Mistral",
    keyHelp: "An API key from Mistral's La Plateforme.",
    keyUrl: "https://console.mistral.ai/api-keys",
    example: "mistral:mistral-small-latest",
  },
  {
    provider: "openai-compatible",
    label: "OpenAI-compatible server",
    keyHelp: "The server's key, if it asks for one (many local servers do not); saving it empty removes a stored key.",
    keyUrl: null,
    example: "openai-compatible:llama3",
  },
];

export function providerLabel(provider: ModelProvider): string {
  return PROVIDERS.find((info) => info.provider === provider)?.label ?? provider;
}

import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type Me = Schemas["MeOut"];
export type Membership = Schemas["MembershipOut"];
export type Member = Schemas["MemberOut"];
export type Role = Schemas["Role"];
export type Group = Schemas["GroupOut"];
export type Space = Schemas["SpaceOut"];
export type Grant = Schemas["GrantOut"];
export type SpaceAccess = Schemas["SpaceAccess"];
export type Token = Schemas["TokenOut"];
export type TokenCreated = Schemas["TokenCreatedOut"];
export type LimitEntry = Schemas["LimitEntryOut"];
export type AuditEvent = Schemas["AuditEventOut"];
export type AuditPage = Schemas["PagedAuditEventOut"];
export type DataSource = Schemas["DataSourceOut"];
export type DataSourceView = Schemas["ViewOut"];
export type KnowledgeDocument = Schemas["DocumentOut"];
export type KnowledgeDocumentDetail = Schemas["DocumentDetailOut"];
export type DocumentPage = Schemas["PagedDocumentOut"];
export type UploadResult = Schemas["UploadOut"];
export type UploadOutcome = Schemas["UploadOutcomeOut"];
export type SearchHit = Schemas["SearchHitOut"];
export type Passage = Schemas["PassageOut"];
export type Agent = Schemas["AgentOut"];
export type AgentInput = Schemas["AgentIn"];
export type AgentChanges = Schemas["AgentPatch"];
export type AgentVersion = Schemas["AgentVersionOut"];
export type AgentTool = Schemas["AgentTool"];
export type AgentVisibility = Schemas["AgentVisibility"];
export type AgentStatus = Schemas["AgentStatus"];
export type ModelProvider = Schemas["ModelProvider"];
export type ModelCredential = Schemas["CredentialOut"];
export type Conversation = Schemas["ConversationOut"];
export type ConversationDetail = Schemas["ConversationDetailOut"];
export type ChatMessage = Schemas["MessageOut"];
export type Citation = Schemas["CitationOut"];
export type FeedbackRating = Schemas["FeedbackRating"];
export type ConnectorKind = Schemas["ConnectorKindOut"];
export type Connection = Schemas["ConnectionOut"];
export type SyncRun = Schemas["SyncRunOut"];
export type HierarchyNode = Schemas["HierarchyNodeOut"];
export type Invitation = Schemas["InvitationOut"];
export type InvitationCreated = Schemas["InvitationCreatedOut"];
export type InvitationPreview = Schemas["InvitationPreviewOut"];
export type MyInvitation = Schemas["MyInvitationOut"];
export type Limits = Schemas["LimitsOut"];

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export function readCookie(name: string): string | null {
  for (const part of document.cookie ? document.cookie.split(";") : []) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

let csrfRequest: Promise<string> | null = null;

/** The CSRF token from the `csrftoken` cookie, asking the API to set it when it is missing. */
export async function csrfToken(): Promise<string> {
  const fromCookie = readCookie("csrftoken");
  if (fromCookie) return fromCookie;
  csrfRequest ??= fetch("/api/v1/auth/csrf", { credentials: "same-origin" })
    .then(async (response) => {
      const body = (await response.json()) as { csrf_token?: string };
      return readCookie("csrftoken") ?? body.csrf_token ?? "";
    })
    .finally(() => {
      csrfRequest = null;
    });
  return csrfRequest;
}

const csrfMiddleware: Middleware = {
  async onRequest({ request }) {
    if (UNSAFE_METHODS.has(request.method.toUpperCase())) {
      request.headers.set("X-CSRFToken", await csrfToken());
    }
    return request;
  },
};

/** Called when any request answers 401, so the app can send the user back to the login page. */
let onUnauthenticated: (() => void) | null = null;
export function setUnauthenticatedHandler(handler: (() => void) | null) {
  onUnauthenticated = handler;
}

/** For requests made outside the typed client (the answer stream) that answered 401. */
export function reportUnauthenticated() {
  onUnauthenticated?.();
}

const sessionMiddleware: Middleware = {
  onResponse({ request, response }) {
    if (response.status === 401 && !new URL(request.url).pathname.startsWith("/api/v1/auth/")) {
      onUnauthenticated?.();
    }
    return response;
  },
};

function baseUrl(): string {
  return typeof window !== "undefined" ? window.location.origin : "http://localhost";
}

export const api = createClient<paths>({
  baseUrl: baseUrl(),
  credentials: "same-origin",
  // Resolved per call so that tests can stub the global fetch.
  fetch: (input) => globalThis.fetch(input),
});
api.use(csrfMiddleware, sessionMiddleware);


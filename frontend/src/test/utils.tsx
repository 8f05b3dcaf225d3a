import { MantineProvider } from "@mantine/core";
import { DatesProvider } from "@mantine/dates";
import { Notifications } from "@mantine/notifications";
import { QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import { useState, type ReactElement, type ReactNode } from "react";
import { MemoryRouter } from "react-router-dom";
import { vi } from "vitest";
import type { Me } from "../api/client";
import { createQueryClient } from "../api/queryClient";
import { AuthProvider } from "../auth/AuthContext";
import { WorkspaceProvider } from "../auth/WorkspaceContext";
import { theme } from "../theme";

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: unknown;
}

/** A JSON answer, or a whole Response (for example a `text/event-stream` body). */
type Handler = (request: RecordedRequest) => { status?: number; body?: unknown } | Response | undefined;

/** A `text/event-stream` response whose body arrives in the given chunks, one at a time. */
export function eventStreamResponse(chunks: string[]): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } });
}

/** One server-sent event as agents/api.py writes it. */
export function sse(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Replaces the global fetch (the network boundary) with a router of handlers keyed by
 * "METHOD /path". Unmatched requests answer 404 with an API-shaped error. Every request is
 * recorded for assertions.
 */
export function stubFetch(routes: Record<string, Handler | { status?: number; body?: unknown }>) {
  const requests: RecordedRequest[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    // Relative URLs resolve against the page, as in a browser.
    const request =
      input instanceof Request ? input : new Request(new URL(String(input), window.location.href), init);
    const url = new URL(request.url);
    const text = request.method === "GET" || request.method === "HEAD" ? "" : await request.text();
    const isJson = (request.headers.get("content-type") ?? "").includes("json");
    const recorded: RecordedRequest = {
      method: request.method,
      url,
      headers: request.headers,
      // JSON bodies parsed; others (multipart uploads) as their raw text.
      body: text ? (isJson ? JSON.parse(text) : text) : undefined,
    };
    requests.push(recorded);
    const route = routes[`${request.method} ${url.pathname}`];
    const answer =
      typeof route === "function" ? route(recorded) : route ?? {
        status: 404,
        body: { error: { code: "not_found", message: `No stub for ${request.method} ${url.pathname}` } },
      };
    if (answer instanceof Response) return answer;
    const status = answer?.status ?? 200;
    return new Response(status === 204 ? null : JSON.stringify(answer?.body ?? {}), {
      status,
      headers: { "Content-Type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fetchMock);
  return { fetchMock, requests };
}

export function meWithRole(role: "admin" | "builder" | "member"): Me {
  return {
    id: 7,
    email: `${role}@example.com`,
    full_name: `Pat ${role}`,
    is_operator: false,
    can_create_workspaces: false,
    workspaces: [{ workspace_id: 1, workspace_name: "Acme", workspace_slug: "acme", role }],
  };
}

export function TestProviders({ children, path = "/" }: { children: ReactNode; path?: string }) {
  // A fresh cache per rendered tree, so no test sees another's answers; no retries, so an
  // error answer shows at once.
  const [queryClient] = useState(() => createQueryClient({ retry: false }));
  return (
    <MantineProvider theme={theme} env="test">
      <DatesProvider settings={{ firstDayOfWeek: 1 }}>
        <Notifications />
        <QueryClientProvider client={queryClient}>
          <AuthProvider>
            <WorkspaceProvider>
              <MemoryRouter initialEntries={[path]}>{children}</MemoryRouter>
            </WorkspaceProvider>
          </AuthProvider>
        </QueryClientProvider>
      </DatesProvider>
    </MantineProvider>
  );
}

export function renderWithProviders(ui: ReactElement, { path = "/" }: { path?: string } = {}) {
  return render(<TestProviders path={path}>{ui}</TestProviders>);
}

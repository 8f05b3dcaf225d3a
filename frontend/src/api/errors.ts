/** An error the API answered with: {"error": {"code", "message", "details"?}}. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
  detail?: unknown;
}

export function toApiError(status: number, body: unknown): ApiError {
  const error = (body as ErrorBody | undefined)?.error;
  if (error?.message) {
    return new ApiError(status, error.code ?? "error", error.message, error.details);
  }
  if (status >= 500) {
    return new ApiError(status, "server_error", "The server had a problem. Try again in a moment.");
  }
  if (status === 0) {
    return new ApiError(0, "network_error", "Could not reach the server. Check your connection and retry.");
  }
  return new ApiError(status, "error", `The request failed (HTTP ${status}).`);
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Returns the data of an openapi-fetch call, or throws an ApiError carrying the API's message.
 * Network failures become an ApiError too, so every page can show one kind of error.
 */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (cause) {
    if (cause instanceof ApiError) throw cause;
    throw new ApiError(0, "network_error", "Could not reach the server. Check your connection and retry.");
  }
  const { data, error, response } = result;
  if (!response.ok) throw toApiError(response.status, error);
  return data as T;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return "Something went wrong. Try again.";
}

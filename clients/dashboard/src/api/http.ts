// Calls to the proxy's public API: the key on every call, errors as the shared body.
import { authHeaders, keyRefused } from "./auth";
import type { ErrorBody } from "./types";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(`${body.error}: ${body.message}`);
  }
}

type Query = Record<string, string | number | boolean | null | undefined | string[]>;

export function url(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === "") continue;
    for (const one of Array.isArray(value) ? value : [value]) params.append(name, String(one));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

export async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = { Accept: "application/json", ...authHeaders(), ...init.headers };
  const response = await fetch(path, { ...init, headers });
  if (response.status === 401) keyRefused();
  if (!response.ok) throw new ApiError(response.status, await errorBody(response));
  return response;
}

async function errorBody(response: Response): Promise<ErrorBody> {
  try {
    const body = (await response.json()) as ErrorBody;
    if (typeof body.error === "string") return body;
  } catch {
    // not the shared body: a proxy in front of ours, or a page
  }
  return { error: `http_${response.status}`, message: response.statusText || "request failed" };
}

export async function getJson<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  return (await (await call(url(path, query), { signal })).json()) as T;
}

export async function postJson<T>(path: string, body: unknown, query?: Query): Promise<T> {
  const response = await call(url(path, query), {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await response.json()) as T;
}

/** A file the API serves behind the key (a screenshot, a JUnit report), as a blob: URL. */
export async function blobUrl(path: string, query?: Query): Promise<string> {
  const response = await call(url(path, query), { headers: { Accept: "*/*" } });
  return URL.createObjectURL(await response.blob());
}

export function describe(error: unknown): string {
  if (error instanceof ApiError) return `${error.body.message} (${error.status} ${error.body.error})`;
  if (error instanceof Error) return error.message;
  return String(error);
}

// The proxy's API, typed from its OpenAPI document (src/schema.d.ts is generated: do not edit).
import createClient, { type Client } from "openapi-fetch";

import type { components, paths } from "./schema.js";

export type { components, paths } from "./schema.js";
export { waitForExecution, type WaitOptions } from "./wait.js";

export type Schemas = components["schemas"];
export type ExecutionView = Schemas["ExecutionView"];
export type ErrorBody = Schemas["ErrorBody"];
export type ArtifactView = Schemas["ArtifactView"];
export type OrchestratorClient = Client<paths>;

export interface ClientOptions {
  baseUrl: string; // the proxy, e.g. http://127.0.0.1:8100
  apiKey?: string; // when the proxy asks for one
  fetch?: typeof globalThis.fetch;
}

export function createOrchestratorClient(options: ClientOptions): OrchestratorClient {
  const headers: Record<string, string> = {};
  if (options.apiKey) headers["Authorization"] = `Bearer ${options.apiKey}`;
  return createClient<paths>({ baseUrl: options.baseUrl, headers, fetch: options.fetch });
}

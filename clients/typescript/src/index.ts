// The proxy's API, typed from its OpenAPI document (src/schema.d.ts is generated: do not edit).
import createClient, { type Client, type Middleware } from "openapi-fetch";

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

// The start routes: /server/<kind>/executeBatch, /server/<kind>/execute[/{tree_id}].
const START_PATH = /\/execute(Batch)?(\/\{tree_id\})?$/;

// Every start carries an Idempotency-Key (a fresh one unless the caller set it): a start
// answered 502 may still have created its execution, and sending it again with the same
// key returns that execution instead of starting a second one.
const idempotentStarts: Middleware = {
  onRequest({ request, schemaPath }) {
    if (request.method === "POST" && START_PATH.test(schemaPath) && !request.headers.has("Idempotency-Key")) {
      request.headers.set("Idempotency-Key", crypto.randomUUID());
    }
    return request;
  },
};

export function createOrchestratorClient(options: ClientOptions): OrchestratorClient {
  const headers: Record<string, string> = {};
  if (options.apiKey) headers["Authorization"] = `Bearer ${options.apiKey}`;
  const client = createClient<paths>({ baseUrl: options.baseUrl, headers, fetch: options.fetch });
  client.use(idempotentStarts);
  return client;
}

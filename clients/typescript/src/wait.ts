// Follow an execution to its end: the event stream first, long-polling the status if it fails.
import { createParser, type EventSourceMessage } from "eventsource-parser";

import type { OrchestratorClient, Schemas } from "./index.js";

type ExecutionView = Schemas["ExecutionView"];
type StatusEvent = Schemas["StatusEvent"];
type ExecutionEvent =
  | StatusEvent
  | Schemas["ProgressEvent"]
  | Schemas["StepStartedEvent"]
  | Schemas["StepFinishedEvent"]
  | Schemas["LogEvent"]
  | Schemas["TruncatedEvent"];

const ACTIVE = new Set(["queued", "running"]);
const POLL_WAIT_S = 20; // long-poll length, under the services' 60 s cap

export interface WaitOptions {
  baseUrl: string; // the proxy the client talks to
  executionId: string;
  hostName: string;
  apiKey?: string;
  onEvent?: (event: ExecutionEvent) => void;
  signal?: AbortSignal;
  fetch?: typeof globalThis.fetch;
}

export async function waitForExecution(
  client: OrchestratorClient,
  options: WaitOptions,
): Promise<ExecutionView> {
  try {
    await followStream(options);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    // A broken stream is no reason to fail the wait: poll the status instead.
  }
  return poll(client, options);
}

async function followStream(options: WaitOptions): Promise<void> {
  const url = new URL(`/server/executions/${encodeURIComponent(options.executionId)}/events`, options.baseUrl);
  url.searchParams.set("host_name", options.hostName);
  const headers: Record<string, string> = { Accept: "text/event-stream" };
  if (options.apiKey) headers["Authorization"] = `Bearer ${options.apiKey}`;
  const response = await (options.fetch ?? fetch)(url, { headers, signal: options.signal });
  if (response.status === 204) return; // it ended before we asked: nothing follows
  if (!response.ok || !response.body) throw new Error(`event stream answered ${response.status}`);
  let finished = false;
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      if (message.event === "stream_end") {
        finished = true; // the service is stopping: the rest is read by polling
        return;
      }
      const event = JSON.parse(message.data) as ExecutionEvent;
      options.onEvent?.(event);
      if (event.type === "status" && !ACTIVE.has(event.status)) finished = true;
    },
  });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    while (!finished) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(value);
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

async function poll(client: OrchestratorClient, options: WaitOptions): Promise<ExecutionView> {
  for (;;) {
    const { data, error } = await client.GET("/server/executions/{execution_id}", {
      params: {
        path: { execution_id: options.executionId },
        query: { host_name: options.hostName, wait: POLL_WAIT_S },
      },
      signal: options.signal,
    });
    if (error !== undefined) throw new Error(`${error.error}: ${error.message}`);
    if (!ACTIVE.has(data.status)) return data;
  }
}

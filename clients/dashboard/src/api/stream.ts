// Server-sent events over fetch, so the API key travels in a header (EventSource cannot).
import { createParser, type EventSourceMessage } from "eventsource-parser";

import { authHeaders, keyRefused } from "./auth";
import { ApiError } from "./http";

export interface StreamOptions {
  onMessage: (message: EventSourceMessage) => void;
  signal: AbortSignal;
  lastEventId?: string;
}

/** Read one stream to its end; resolves when the server ends it, rejects when it fails. */
export async function readStream(path: string, options: StreamOptions): Promise<void> {
  const headers: Record<string, string> = { Accept: "text/event-stream", ...authHeaders() };
  if (options.lastEventId) headers["Last-Event-ID"] = options.lastEventId;
  const response = await fetch(path, { headers, signal: options.signal });
  if (response.status === 401) keyRefused();
  if (response.status === 204) return; // nothing follows
  if (!response.ok || !response.body) {
    let body = { error: `http_${response.status}`, message: "the stream was refused" };
    try {
      body = await response.json();
    } catch {
      // keep the generic body
    }
    throw new ApiError(response.status, body);
  }
  const parser = createParser({ onEvent: options.onMessage });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(value);
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** Milliseconds to wait before the n-th reconnection: quick first, then backing off. */
export function backoff(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 5000);
}

export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function aborted(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

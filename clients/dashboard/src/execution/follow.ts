// One execution, live: its view, then its event stream (resumed with Last-Event-ID).
import { useEffect, useState } from "preact/hooks";

import { capabilities } from "../api/capabilities";
import { ApiError, describe, getJson, url } from "../api/http";
import { aborted, backoff, pause, readStream } from "../api/stream";
import { ACTIVE, type ExecutionEvent, type ExecutionView, type StepView } from "../api/types";

export const LOG_LINES = 5000; // shown; the host caps what it keeps per execution too

export interface Followed {
  view: ExecutionView | null;
  log: string[];
  error: string | null;
  live: boolean;
}

function withStep(view: ExecutionView, step: StepView, current: boolean): ExecutionView {
  const steps = [...(view.steps ?? [])];
  const at = steps.findIndex((s) => s.id === step.id);
  if (at >= 0) steps[at] = step;
  else steps.push(step);
  return { ...view, steps, current_step_id: current ? step.id : view.current_step_id };
}

/** The view after one event; log lines go to `log`. */
export function applied(view: ExecutionView, event: ExecutionEvent, log: string[]): ExecutionView {
  switch (event.type) {
    case "status":
      return {
        ...view,
        status: event.status,
        message: event.message || view.message,
        result: event.result ?? view.result,
        error: event.error ?? view.error,
      };
    case "progress":
      return { ...view, progress: event.progress, message: event.message ?? view.message };
    case "step_started":
      return withStep(view, event.step, true);
    case "step_finished":
      return withStep(view, event.step, false);
    case "log":
      log.push(event.line);
      if (log.length > LOG_LINES) log.splice(0, log.length - LOG_LINES);
      return view;
    case "artifact": {
      const dropped = new Set(event.dropped ?? []);
      const kept = (view.artifacts ?? []).filter((a) => !dropped.has(a.name) && a.name !== event.artifact.name);
      return { ...view, artifacts: [...kept, event.artifact] };
    }
    case "truncated":
      log.push(`… the host keeps at most ${event.limit} events of an execution`);
      return view;
    default:
      return view; // an event this page does not know yet
  }
}

/** Follow one execution: `hostName` names its host; null for a lab execution id, which
 * waits in the lab queue (long-polled until a device takes it), then runs on a host. */
export function useExecution(hostName: string | null, executionId: string): Followed & {
  replace: (view: ExecutionView) => void;
} {
  const [state, setState] = useState<Followed>({ view: null, log: [], error: null, live: false });
  useEffect(() => {
    const controller = new AbortController();
    const signal = controller.signal;
    const path = `/server/executions/${encodeURIComponent(executionId)}`;
    const query = hostName === null ? {} : { host_name: hostName };
    const events = url(`${path}/events`, query);
    let view: ExecutionView | null = null;
    let log: string[] = [];
    let queued = false;
    const show = (extra: Partial<Followed> = {}): void => {
      if (queued && Object.keys(extra).length === 0) return;
      queued = true;
      queueMicrotask(() => {
        queued = false;
        if (!signal.aborted) setState((s) => ({ ...s, view, log: [...log], ...extra }));
      });
    };
    const waiting = (v: ExecutionView): boolean => hostName === null && !v.host_name;
    const finish = async (): Promise<void> => {
      // The finished view has the result and every step as recorded; logs are kept with it.
      const final = await getJson<ExecutionView>(path, { ...query, include_logs: true }, signal);
      view = final;
      log = final.logs ?? log;
      show({ live: false, error: null });
    };
    let lastId: string | undefined; // resumes the stream of the host execution it follows
    const stream = async (): Promise<void> => {
      for (let attempt = 0; !signal.aborted && view && ACTIVE.has(view.status) && !waiting(view); attempt++) {
        try {
          await readStream(events, {
            signal,
            lastEventId: lastId,
            onMessage: (message) => {
              attempt = 0;
              if (message.event === "stream_end") return; // its host stops: resumed below
              lastId = message.id ?? lastId;
              if (view) view = applied(view, JSON.parse(message.data) as ExecutionEvent, log);
              show();
            },
          });
          // Ended after the execution's last event, or as its host stopped: look again. A
          // lab execution that ended in error on its first device may be back in the queue.
          view = await getJson<ExecutionView>(path, query, signal);
        } catch (error) {
          if (aborted(error)) return;
          show({ live: false, error: `live stream lost: ${describe(error)}; reconnecting` });
          await pause(backoff(attempt), signal);
          view = await getJson<ExecutionView>(path, query, signal);
          show({ live: true, error: null });
        }
      }
    };
    (async () => {
      try {
        try {
          view = await getJson<ExecutionView>(path, query, signal);
        } catch (error) {
          // Evicted by its host (or the host is gone): the lab history may still have it.
          if (hostName === null || !(error instanceof ApiError) || ![404, 502, 503].includes(error.status)) throw error;
          if (!(await capabilities()).history) throw error;
          const kept = `/server/history/${encodeURIComponent(hostName)}/${encodeURIComponent(executionId)}`;
          view = await getJson<ExecutionView>(kept, {}, signal);
          return show({ live: false, error: null });
        }
        while (!signal.aborted && ACTIVE.has(view.status)) {
          show({ live: true });
          if (waiting(view)) {
            // In the lab queue: answered when a device takes it (or it ends), else re-asked.
            view = await getJson<ExecutionView>(path, { wait: 30 }, signal);
            lastId = undefined; // another host execution (another attempt) from here
            continue;
          }
          await stream();
        }
        if (!signal.aborted) await finish();
      } catch (error) {
        if (!aborted(error)) show({ live: false, error: describe(error) });
      }
    })();
    return () => controller.abort();
  }, [hostName, executionId]);
  return { ...state, replace: (view) => setState((s) => ({ ...s, view })) };
}

// The lab as GET /server/watch streams it: one stream per tab, shared by every page.
import type { EventSourceMessage } from "eventsource-parser";

import { keyNeeded } from "../api/auth";
import { describe } from "../api/http";
import { aborted, backoff, pause, readStream } from "../api/stream";
import type { LabQueuePage, LabSnapshot, WatchDevice, WatchHostState } from "../api/types";

export interface HostEntry {
  state: WatchHostState;
  devices: Map<string, WatchDevice>;
}

export interface Lab {
  hosts: Map<string, HostEntry>; // in the order the proxy lists them
  queue: LabQueuePage | null; // lab requests waiting for a device (the first 50)
  live: boolean; // the stream is open and the picture current
  loaded: boolean; // a first snapshot arrived
  error: string | null;
  changedAt: number; // performance.now() of the last applied change
}

type Listener = (lab: Lab) => void;

export const EMPTY: Lab = { hosts: new Map(), queue: null, live: false, loaded: false, error: null, changedAt: 0 };
let lab: Lab = EMPTY;
const listeners = new Set<Listener>();
let controller: AbortController | null = null;
let stopTimer: ReturnType<typeof setTimeout> | null = null;
let notifyQueued = false;

function changed(next: Partial<Lab>): void {
  lab = { ...lab, ...next, changedAt: performance.now() };
  if (notifyQueued) return;
  notifyQueued = true;
  // One render per chunk of events, not per event.
  queueMicrotask(() => {
    notifyQueued = false;
    for (const listener of listeners) listener(lab);
  });
}

function apply(message: EventSourceMessage): void {
  const data: unknown = JSON.parse(message.data);
  const hosts = new Map(lab.hosts);
  switch (message.event) {
    case "snapshot": {
      hosts.clear();
      for (const host of (data as LabSnapshot).hosts) {
        const { devices, ...state } = host;
        hosts.set(host.host_name, {
          state,
          devices: new Map((devices ?? []).map((d) => [d.device_id, d])),
        });
      }
      const queue = (data as LabSnapshot).lab_queue ?? null;
      changed({ hosts, queue, loaded: true, live: true, error: null });
      return;
    }
    case "lab_queue":
      changed({ queue: data as LabQueuePage });
      return;
    case "host": {
      const state = data as WatchHostState;
      const known = hosts.get(state.host_name);
      hosts.set(state.host_name, { state, devices: known?.devices ?? new Map() });
      break;
    }
    case "device": {
      const device = data as WatchDevice;
      const known = hosts.get(device.host_name);
      if (!known) return;
      const devices = new Map(known.devices);
      devices.set(device.device_id, device);
      hosts.set(device.host_name, { ...known, devices });
      break;
    }
    case "host_removed":
      hosts.delete((data as { host_name: string }).host_name);
      break;
    default:
      return; // an event this page does not know yet
  }
  changed({ hosts });
}

async function run(signal: AbortSignal): Promise<void> {
  for (let attempt = 0; !signal.aborted; attempt++) {
    try {
      await readStream("/server/watch", {
        signal,
        onMessage: (message) => {
          attempt = 0;
          apply(message);
        },
      });
      changed({ live: false, error: "the proxy closed the live stream; reconnecting" });
    } catch (error) {
      if (aborted(error)) return;
      if (keyNeeded()) return; // the login page is shown; a new key starts the stream again
      changed({ live: false, error: `live stream lost: ${describe(error)}; reconnecting` });
    }
    await pause(backoff(attempt), signal);
  }
}

/** Follow the lab while `listener` is subscribed; the stream stays open 5 s after the last. */
export function watchLab(listener: Listener): () => void {
  listeners.add(listener);
  if (stopTimer !== null) {
    clearTimeout(stopTimer);
    stopTimer = null;
  }
  if (controller === null) {
    controller = new AbortController();
    void run(controller.signal);
  }
  listener(lab);
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    stopTimer = setTimeout(() => {
      controller?.abort();
      controller = null;
      lab = { ...lab, live: false };
    }, 5000);
  };
}

/** Start over (after a new API key): the next stream begins with a fresh snapshot. */
export function restartLab(): void {
  controller?.abort();
  controller = null;
  if (listeners.size > 0) {
    controller = new AbortController();
    void run(controller.signal);
  }
}

export function allDevices(current: Lab): WatchDevice[] {
  return [...current.hosts.values()].flatMap((host) => [...host.devices.values()]);
}

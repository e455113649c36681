// Executions of every host: running and queued first, then recent; live progress.
import { useEffect, useMemo, useState } from "preact/hooks";

import { describe, getJson } from "../api/http";
import {
  ACTIVE,
  type ExecutionListing,
  type ExecutionView,
  KINDS,
  STATUSES,
  type WatchExecution,
} from "../api/types";
import { Badge, outcome } from "../components/Badge";
import { Notice } from "../components/Notice";
import { Progress } from "../components/Progress";
import { duration, time, words } from "../format";
import { useLab } from "../lab/hooks";
import { allDevices } from "../lab/watch";
import { executionPath, navigate, useLocation } from "../router";

interface Filters {
  host_name: string;
  device_id: string;
  kind: string;
  status: string;
}
const FIELDS = ["host_name", "device_id", "kind", "status"] as const;

interface Loaded {
  items: ExecutionView[];
  unreachable: { host: string; message: string }[];
}

async function load(filters: Filters, signal: AbortSignal): Promise<Loaded> {
  const base = { ...filters, limit: 50 };
  // Without a status filter: the running and queued ones of every host, then recent ones.
  const asks = filters.status
    ? [base]
    : [{ ...base, status: "running" }, { ...base, status: "queued" }, base];
  const listings = await Promise.all(
    asks.map((query) => getJson<ExecutionListing>("/server/executions", query, signal)),
  );
  const seen = new Set<string>();
  const items: ExecutionView[] = [];
  const unreachable = new Map<string, string>();
  for (const listing of listings) {
    const page: ExecutionView[] = [];
    for (const host of listing.hosts) {
      if (!host.reachable) unreachable.set(host.host_name, host.error?.message ?? "unreachable");
      page.push(...(host.page?.items ?? []));
    }
    page.sort((a, b) => b.created_at.localeCompare(a.created_at));
    for (const item of page) {
      if (seen.has(item.execution_id)) continue;
      seen.add(item.execution_id);
      items.push(item);
    }
  }
  return { items, unreachable: [...unreachable].map(([host, message]) => ({ host, message })) };
}

function success(view: ExecutionView): boolean | null {
  const result = view.result as { success?: boolean } | null | undefined;
  return result?.success ?? null;
}

export function Executions() {
  const location = useLocation();
  const filters = useMemo(() => {
    const found = Object.fromEntries(FIELDS.map((f) => [f, location.searchParams.get(f) ?? ""]));
    return found as unknown as Filters;
  }, [location.search]);
  const lab = useLab();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  // What is current on the devices: a change there (a start, an end) reloads the list.
  const live = new Map<string, WatchExecution>();
  const current: string[] = [];
  for (const d of allDevices(lab)) {
    current.push(`${d.host_name}/${d.current_execution_id ?? "-"}/${d.queue_length ?? 0}`);
    if (d.execution) live.set(d.execution.execution_id, d.execution);
  }
  const fingerprint = current.sort().join(",");
  useEffect(() => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      load(filters, controller.signal)
        .then((found) => {
          setLoaded(found);
          setError(null);
        })
        .catch((e: unknown) => {
          if (!controller.signal.aborted) setError(describe(e));
        });
    }, loaded ? 200 : 0); // a burst of changes reloads once
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [filters, fingerprint]);

  const setFilter = (name: keyof Filters, value: string): void => {
    const next = new URLSearchParams(location.search);
    if (value) next.set(name, value);
    else next.delete(name);
    navigate(`/executions${next.size ? `?${next}` : ""}`, true);
  };
  const hosts = [...lab.hosts.keys()];
  // Lab requests waiting for a device (no host or device yet), live from the watch.
  const waiting =
    filters.host_name || filters.device_id || (filters.status && filters.status !== "queued")
      ? []
      : (lab.queue?.items ?? []).filter((view) => !filters.kind || view.kind === filters.kind);
  return (
    <>
      <h1>Executions</h1>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Host{" "}
          <select value={filters.host_name} onChange={(e) => setFilter("host_name", e.currentTarget.value)}>
            <option value="">any</option>
            {hosts.map((h) => (
              <option key={h}>{h}</option>
            ))}
          </select>
        </label>
        <label>
          Device{" "}
          <input
            value={filters.device_id}
            onChange={(e) => setFilter("device_id", e.currentTarget.value.trim())}
          />
        </label>
        <label>
          Kind{" "}
          <select value={filters.kind} onChange={(e) => setFilter("kind", e.currentTarget.value)}>
            <option value="">any</option>
            {KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          Status{" "}
          <select value={filters.status} onChange={(e) => setFilter("status", e.currentTarget.value)}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {words(s)}
              </option>
            ))}
          </select>
        </label>
      </form>
      {error && <Notice tone="error">{error}</Notice>}
      {loaded?.unreachable.map((u) => (
        <Notice key={u.host} tone="error">
          {u.host}: {u.message}
        </Notice>
      ))}
      {loaded === null && !error && <p role="status">Loading…</p>}
      {loaded && loaded.items.length === 0 && waiting.length === 0 && <p>No executions match.</p>}
      {loaded && loaded.items.length + waiting.length > 0 && (
        <table class="executions">
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Kind</th>
              <th scope="col">Host / device</th>
              <th scope="col">Progress</th>
              <th scope="col">Message</th>
              <th scope="col">Created</th>
              <th scope="col">Elapsed</th>
            </tr>
          </thead>
          <tbody>
            {waiting.map((view) => (
              <tr key={view.execution_id} data-execution={view.execution_id} data-lab="true">
                <td>
                  <Badge value="queued" />
                </td>
                <td>
                  <a href={executionPath(null, view.execution_id)}>{words(view.kind)}</a>
                </td>
                <td>lab queue, position {view.queue_position}</td>
                <td>
                  <Progress value={0} label={`${view.kind} ${view.execution_id} progress`} />
                </td>
                <td>{view.message}</td>
                <td>{time(view.created_at)}</td>
                <td>{duration(view.elapsed_ms)}</td>
              </tr>
            ))}
            {loaded.items.map((view) => {
              const now = live.get(view.execution_id);
              const status = now?.status ?? view.status;
              const progress = now?.progress ?? view.progress;
              return (
                <tr key={view.execution_id} data-execution={view.execution_id}>
                  <td>
                    <Badge value={ACTIVE.has(status) ? status : outcome(status, success(view))} />
                  </td>
                  <td>
                    <a href={executionPath(view.host_name, view.execution_id)}>{words(view.kind)}</a>
                  </td>
                  <td>
                    {view.host_name} / {view.device_id}
                  </td>
                  <td>
                    <Progress value={progress} label={`${view.kind} ${view.execution_id} progress`} />
                  </td>
                  <td>{now?.current_step ?? now?.message ?? view.message}</td>
                  <td>{time(view.created_at)}</td>
                  <td>{duration(view.elapsed_ms)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}

// The lab-wide history (the lab store of issue 14): filters, pages, pass-rate chart.
import { useEffect, useState } from "preact/hooks";

import { type Capabilities, capabilities } from "../api/capabilities";
import { describe, getJson } from "../api/http";
import { type HistoryItem, type HistoryPage, type HistoryStats, KINDS, STATUSES } from "../api/types";
import { Badge, outcome } from "../components/Badge";
import { Notice } from "../components/Notice";
import { PassRateChart } from "../components/PassRateChart";
import { dateTime, duration, words } from "../format";
import { executionPath } from "../router";

interface Filters {
  host_name: string;
  device_id: string;
  kind: string;
  status: string;
  testcase_id: string;
}
const EMPTY: Filters = { host_name: "", device_id: "", kind: "", status: "", testcase_id: "" };

function Chart({ filters }: { filters: Filters }) {
  const [group, setGroup] = useState<"testcase" | "device">("testcase");
  const [bucket, setBucket] = useState<"hour" | "day">("day");
  const [stats, setStats] = useState<HistoryStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    getJson<HistoryStats>("/server/history/stats", { ...filters, group, bucket }, controller.signal)
      .then(setStats)
      .catch((e: unknown) => controller.signal.aborted || setError(describe(e)));
    return () => controller.abort();
  }, [filters, group, bucket]);
  return (
    <section aria-labelledby="pass-rate">
      <h2 id="pass-rate">Pass rate</h2>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Per{" "}
          <select value={group} onChange={(e) => setGroup(e.currentTarget.value as typeof group)}>
            <option value="testcase">testcase</option>
            <option value="device">device</option>
          </select>
        </label>
        <label>
          By{" "}
          <select value={bucket} onChange={(e) => setBucket(e.currentTarget.value as typeof bucket)}>
            <option value="day">day</option>
            <option value="hour">hour</option>
          </select>
        </label>
      </form>
      {error && <Notice tone="error">{error}</Notice>}
      {stats && <PassRateChart stats={stats} />}
    </section>
  );
}

function Table({ items }: { items: HistoryItem[] }) {
  return (
    <table class="history">
      <thead>
        <tr>
          <th scope="col">Outcome</th>
          <th scope="col">Kind</th>
          <th scope="col">Definition</th>
          <th scope="col">Host / device</th>
          <th scope="col">Created</th>
          <th scope="col">Elapsed</th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={`${item.host_name}/${item.execution_id}`}>
            <td>
              <Badge value={outcome(item.status, item.success)} />
            </td>
            <td>
              <a href={executionPath(item.host_name, item.execution_id)}>{words(item.kind)}</a>
            </td>
            <td>{item.definition_id ?? "—"}</td>
            <td>
              {item.host_name} / {item.device_id}
            </td>
            <td>{dateTime(item.created_at)}</td>
            <td>{duration(item.elapsed_ms)}</td>
            <td>{item.error_code ?? item.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function History() {
  const [offered, setOffered] = useState<Capabilities | null>(null);
  const [filters, setFilters] = useState<Filters>(EMPTY);
  const [items, setItems] = useState<HistoryItem[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void capabilities().then(setOffered);
  }, []);
  const load = async (cursor: string | null): Promise<void> => {
    try {
      const page = await getJson<HistoryPage>("/server/history", { ...filters, cursor, limit: 50 });
      setItems((known) => (cursor ? [...known, ...page.items] : page.items));
      setNext(page.next_cursor ?? null);
      setError(null);
    } catch (e) {
      setError(describe(e));
    }
  };
  useEffect(() => {
    if (offered?.history) void load(null);
  }, [offered, filters]);
  if (offered === null) return <p role="status">Loading…</p>;
  if (!offered.history) {
    return (
      <>
        <h1>History</h1>
        <Notice tone="info">
          History needs the lab store: this proxy does not offer <code>GET /server/history</code> yet
          (issue 14). The executions each host still keeps are on the{" "}
          <a href="/executions">Executions</a> page.
        </Notice>
      </>
    );
  }
  const field = (name: keyof Filters, label: string, choices?: readonly string[]) => (
    <label>
      {label}{" "}
      {choices ? (
        <select value={filters[name]} onChange={(e) => setFilters({ ...filters, [name]: e.currentTarget.value })}>
          <option value="">any</option>
          {choices.map((c) => (
            <option key={c} value={c}>
              {words(c)}
            </option>
          ))}
        </select>
      ) : (
        <input value={filters[name]} onChange={(e) => setFilters({ ...filters, [name]: e.currentTarget.value.trim() })} />
      )}
    </label>
  );
  return (
    <>
      <h1>History</h1>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        {field("host_name", "Host")}
        {field("device_id", "Device")}
        {field("testcase_id", "Testcase")}
        {field("kind", "Kind", KINDS)}
        {field("status", "Status", STATUSES)}
      </form>
      {offered.stats && <Chart filters={filters} />}
      {error && <Notice tone="error">{error}</Notice>}
      <Table items={items} />
      {next && (
        <button type="button" onClick={() => void load(next)}>
          Older
        </button>
      )}
    </>
  );
}

// The device wall: every device of every host, live from GET /server/watch.
import { Component } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";

import type { WatchDevice } from "../api/types";
import { Badge } from "../components/Badge";
import { Notice } from "../components/Notice";
import { Progress } from "../components/Progress";
import { ago, time, words } from "../format";
import { useLab } from "../lab/hooks";
import { allDevices, type HostEntry } from "../lab/watch";
import { executionPath } from "../router";

const STATES = ["idle", "busy", "stuck", "offline", "quarantined", "draining"];

function matches(device: WatchDevice, text: string, state: string): boolean {
  if (state && device.state !== state) return false;
  if (!text) return true;
  const haystack = [device.device_id, device.name, device.model, device.host_name, ...(device.tags ?? [])]
    .join(" ")
    .toLowerCase();
  return text
    .toLowerCase()
    .split(/\s+/)
    .every((word) => haystack.includes(word));
}

class DeviceCard extends Component<{ device: WatchDevice }> {
  override shouldComponentUpdate(next: { device: WatchDevice }): boolean {
    return next.device !== this.props.device;
  }

  override render() {
    const d = this.props.device;
    const run = d.execution;
    const start = `/start?host=${encodeURIComponent(d.host_name)}&device=${encodeURIComponent(d.device_id)}`;
    return (
      <li class={`device device-${d.state}`} data-device={`${d.host_name}/${d.device_id}`}>
        <article aria-labelledby={`d-${d.host_name}-${d.device_id}`}>
          <header class="device-head">
            <h3 id={`d-${d.host_name}-${d.device_id}`}>{d.name}</h3>
            <Badge value={d.state} />
          </header>
          <p class="device-id">
            {d.device_id} · {d.model} · {d.driver}
          </p>
          {(d.tags ?? []).length > 0 && (
            <ul class="tags" aria-label="Tags">
              {(d.tags ?? []).map((tag) => (
                <li key={tag}>{tag}</li>
              ))}
            </ul>
          )}
          {d.state === "offline" && d.offline_since && (
            <p class="muted">offline since {time(d.offline_since)}</p>
          )}
          {run ? (
            <div class="device-run">
              <a href={executionPath(d.host_name, run.execution_id)}>
                {words(run.kind)} <Badge value={run.status} />
              </a>
              <Progress value={run.progress ?? 0} label={`${d.name}: ${words(run.kind)} progress`} />
              <p class="step">{run.current_step ?? run.message ?? ""}</p>
            </div>
          ) : d.current_execution_id ? (
            <p class="device-run">
              <a href={executionPath(d.host_name, d.current_execution_id)}>current execution</a>
            </p>
          ) : null}
          <p class="device-foot">
            <span>queue {d.queue_length ?? 0}</span>
            {d.current_node && <span>at {d.current_node}</span>}
            <a href={start} aria-label={`Start on ${d.name}`}>
              Start…
            </a>
          </p>
        </article>
      </li>
    );
  }
}

function HostSection({ host, devices, now }: { host: HostEntry; devices: WatchDevice[]; now: number }) {
  const s = host.state;
  const headingId = `h-${s.host_name}`;
  const condition = !s.reachable && !s.error ? "unknown" : s.reachable ? s.status : "offline";
  return (
    <section class="host" aria-labelledby={headingId} data-host={s.host_name}>
      <header class="host-head">
        <h2 id={headingId}>{s.host_name}</h2>
        <Badge value={condition} />
        <span class="muted">
          last heartbeat {ago(s.last_heartbeat, now)} · last seen {ago(s.last_seen, now)}
        </span>
      </header>
      {s.error && <Notice tone="error">{s.error.message}</Notice>}
      <ul class="devices" role="list">
        {devices.map((d) => (
          <DeviceCard key={d.device_id} device={d} />
        ))}
      </ul>
    </section>
  );
}

export function Wall() {
  const lab = useLab();
  const [text, setText] = useState("");
  const [state, setState] = useState("");
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5000); // "seen 5 s ago": local only
    return () => clearInterval(timer);
  }, []);
  const devices = allDevices(lab);
  const counts = useMemo(() => {
    const found = new Map<string, number>();
    for (const d of devices) found.set(d.state, (found.get(d.state) ?? 0) + 1);
    return found;
  }, [lab]);
  return (
    <>
      <h1>Devices</h1>
      <p class="summary" data-testid="summary">
        {devices.length} devices
        {[...counts.entries()].map(([name, count]) => `, ${count} ${name}`).join("")}
      </p>
      {lab.error && <Notice tone="error">{lab.error}</Notice>}
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Filter <input type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <label>
          State{" "}
          <select value={state} onChange={(e) => setState(e.currentTarget.value)}>
            <option value="">any</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </form>
      {!lab.loaded && !lab.error && <p role="status">Reading the lab…</p>}
      <div class="wall" data-loaded={lab.loaded ? "true" : "false"}>
        {[...lab.hosts.values()].map((host) => (
          <HostSection
            key={host.state.host_name}
            host={host}
            now={now}
            devices={[...host.devices.values()].filter((d) => matches(d, text, state))}
          />
        ))}
      </div>
    </>
  );
}

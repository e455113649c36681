// Where a start runs: a device of a host, or any free device matching a selector (the lab
// queue). The choices come from the watch: the hosts, models, drivers and tags it knows.
import type { WatchDevice } from "../api/types";
import type { HostEntry } from "../lab/watch";
import { distinct, matching, type SelectorFields, selectorOf } from "./selector";

export type Mode = "device" | "selector";
const SHOWN = 8; // matching devices named; the rest are counted

interface Props {
  mode: Mode;
  setMode: (mode: Mode) => void;
  selectorOffered: boolean;
  hosts: HostEntry[];
  host: string;
  setHost: (host: string) => void;
  device: string;
  setDevice: (device: string) => void;
  fields: SelectorFields;
  setFields: (fields: SelectorFields) => void;
}

function Choice(props: { id: string; label: string; value: string; options: string[]; set: (v: string) => void }) {
  return (
    <p class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.set(e.currentTarget.value)}>
        <option value="">any</option>
        {props.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </p>
  );
}

function named(devices: WatchDevice[]): string {
  const names = devices.slice(0, SHOWN).map((d) => `${d.host_name}/${d.device_id}`);
  return names.join(", ") + (devices.length > SHOWN ? `, and ${devices.length - SHOWN} more` : "");
}

export function RunOn(props: Props) {
  const all: WatchDevice[] = props.hosts.flatMap((h) => [...h.devices.values()]);
  const devices = [...(props.hosts.find((h) => h.state.host_name === props.host)?.devices.values() ?? [])];
  const { fields, setFields } = props;
  const matched = matching(all, selectorOf(fields));
  const knownTags = distinct(all.flatMap((d) => d.tags ?? []));
  return (
    <>
      {props.selectorOffered && (
        <fieldset>
          <legend>Run on</legend>
          <label>
            <input type="radio" name="mode" checked={props.mode === "device"} onChange={() => props.setMode("device")} /> a
            chosen device
          </label>
          <label>
            <input type="radio" name="mode" checked={props.mode === "selector"} onChange={() => props.setMode("selector")} />{" "}
            any matching device
          </label>
        </fieldset>
      )}
      {props.mode === "device" ? (
        <>
          <p class="field">
            <label for="host">Host</label>
            <select id="host" value={props.host} onChange={(e) => props.setHost(e.currentTarget.value)}>
              {props.hosts.map((h) => (
                <option key={h.state.host_name} value={h.state.host_name}>
                  {h.state.host_name}
                  {h.state.reachable ? "" : " (unreachable)"}
                </option>
              ))}
            </select>
          </p>
          <p class="field">
            <label for="device">Device</label>
            <select id="device" value={props.device} onChange={(e) => props.setDevice(e.currentTarget.value)}>
              {devices.map((d) => (
                <option key={d.device_id} value={d.device_id}>
                  {d.name} ({d.device_id}, {d.state})
                </option>
              ))}
            </select>
          </p>
        </>
      ) : (
        <fieldset aria-describedby="matched">
          <legend>Device selector</legend>
          <Choice id="sel-model" label="Model" value={fields.model} options={distinct(all.map((d) => d.model))} set={(model) => setFields({ ...fields, model })} />
          <Choice id="sel-driver" label="Driver" value={fields.driver} options={distinct(all.map((d) => d.driver))} set={(driver) => setFields({ ...fields, driver })} />
          <p class="field">
            <label for="sel-tags">Tags (all of them, comma-separated)</label>
            <input id="sel-tags" type="text" value={fields.tags} aria-describedby="sel-tags-help" onInput={(e) => setFields({ ...fields, tags: e.currentTarget.value })} />
            <span id="sel-tags-help" class="muted">
              {knownTags.length ? `known: ${knownTags.join(", ")}` : "no device has tags"}
            </span>
          </p>
          <Choice id="sel-host" label="On host" value={fields.host} options={props.hosts.map((h) => h.state.host_name)} set={(host) => setFields({ ...fields, host })} />
          <p id="matched" class="muted" role="status">
            {matched.length === 1 ? "1 device matches" : `${matched.length} devices match`}
            {matched.length ? `: ${named(matched)}` : ""}; the first free one runs it.
          </p>
        </fieldset>
      )}
    </>
  );
}

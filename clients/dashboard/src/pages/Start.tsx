// Start a testcase, campaign or navigation from the library on a device; land on its page.
import { useEffect, useState } from "preact/hooks";

import { ApiError, describe, getJson, postJson } from "../api/http";
import type {
  DefinitionSummary,
  ExecutionAccepted,
  InputSpec,
  NavigationTree,
  TestcaseDefinition,
} from "../api/types";
import { Notice } from "../components/Notice";
import { useLab } from "../lab/hooks";
import { executionPath, navigate, useLocation } from "../router";
import { initial, typed, type Values } from "../start/inputs";

type Kind = "testcase" | "campaign" | "navigation";
const CATALOGUE: Record<Kind, string> = { testcase: "testcases", campaign: "campaigns", navigation: "trees" };

function InputField({ spec, value, set }: { spec: InputSpec; value: string | boolean; set: (v: string | boolean) => void }) {
  const id = `input-${spec.name}`;
  const help = spec.description ? `${id}-help` : undefined;
  const type = spec.type ?? "any";
  return (
    <p class="field">
      <label for={id}>
        {spec.name}
        {spec.required ? " (required)" : ""} <span class="muted">{type}</span>
      </label>
      {type === "boolean" ? (
        <input id={id} type="checkbox" checked={value === true} aria-describedby={help} onChange={(e) => set(e.currentTarget.checked)} />
      ) : type === "integer" || type === "number" ? (
        <input
          id={id}
          type="number"
          step={type === "integer" ? 1 : "any"}
          required={spec.required ?? false}
          value={String(value)}
          aria-describedby={help}
          onInput={(e) => set(e.currentTarget.value)}
        />
      ) : (
        <input
          id={id}
          type="text"
          required={spec.required ?? false}
          value={String(value)}
          aria-describedby={help}
          onInput={(e) => set(e.currentTarget.value)}
        />
      )}
      {help && (
        <span id={help} class="muted">
          {spec.description}
        </span>
      )}
    </p>
  );
}

function problems(error: unknown): string {
  if (error instanceof ApiError && Array.isArray(error.body.details)) {
    const fields = (error.body.details as { loc?: unknown[]; msg?: string }[])
      .map((d) => `${(d.loc ?? []).join(".")}: ${d.msg ?? ""}`)
      .join("; ");
    return `${error.body.message}${fields ? ` — ${fields}` : ""}`;
  }
  return describe(error);
}

export function Start() {
  const location = useLocation();
  const lab = useLab();
  const [kind, setKind] = useState<Kind>("testcase");
  const [host, setHost] = useState(location.searchParams.get("host") ?? "");
  const [device, setDevice] = useState(location.searchParams.get("device") ?? "");
  const [definitions, setDefinitions] = useState<DefinitionSummary[]>([]);
  const [definition, setDefinition] = useState("");
  const [inputs, setInputs] = useState<InputSpec[]>([]);
  const [values, setValues] = useState<Values>({});
  const [nodes, setNodes] = useState<{ id: string; label: string }[]>([]);
  const [target, setTarget] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  const hosts = [...lab.hosts.values()];
  const chosenHost = host || hosts.find((h) => h.state.reachable)?.state.host_name || "";
  const devices = [...(lab.hosts.get(chosenHost)?.devices.values() ?? [])];
  const chosenDevice = device || devices[0]?.device_id || "";

  useEffect(() => {
    if (!chosenHost) return;
    setDefinitions([]);
    setDefinition("");
    getJson<DefinitionSummary[]>(`/server/library/${CATALOGUE[kind]}`, { host_name: chosenHost })
      .then((found) => {
        setDefinitions(found);
        setDefinition(found[0]?.id ?? "");
      })
      .catch((e: unknown) => setError(describe(e)));
  }, [kind, chosenHost]);

  useEffect(() => {
    setInputs([]);
    setValues({});
    setNodes([]);
    setTarget("");
    if (!definition || !chosenHost) return;
    const path = `/server/library/${CATALOGUE[kind]}/${encodeURIComponent(definition)}`;
    if (kind === "testcase") {
      getJson<TestcaseDefinition>(path, { host_name: chosenHost })
        .then((found) => {
          setInputs(found.inputs ?? []);
          setValues(initial(found.inputs ?? []));
        })
        .catch((e: unknown) => setError(describe(e)));
    } else if (kind === "navigation") {
      getJson<NavigationTree>(path, { host_name: chosenHost })
        .then((tree) => {
          const found = (tree.nodes ?? []).map((n) => ({ id: n.id, label: n.label || n.id }));
          setNodes(found);
          setTarget(found[0]?.id ?? "");
        })
        .catch((e: unknown) => setError(describe(e)));
    }
  }, [kind, definition, chosenHost]);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setError(null);
    const base = { host_name: chosenHost, device_id: chosenDevice };
    let path: string;
    let body: Record<string, unknown>;
    if (kind === "testcase") {
      const given = typed(inputs, values);
      if ("invalid" in given) return setError(given.invalid);
      path = "/server/testcase/execute";
      body = { ...base, testcase_id: definition, inputs: given.inputs };
    } else if (kind === "campaign") {
      path = "/server/campaign/execute";
      body = { ...base, campaign_id: definition };
    } else {
      path = `/server/navigation/execute/${encodeURIComponent(definition)}`;
      body = { ...base, target_node_id: target };
    }
    setSending(true);
    try {
      const accepted = await postJson<ExecutionAccepted>(path, body);
      navigate(executionPath(chosenHost, accepted.execution_id));
    } catch (e) {
      setError(problems(e));
    } finally {
      setSending(false);
    }
  };

  return (
    <>
      <h1>Start</h1>
      <form class="start" onSubmit={submit}>
        <fieldset>
          <legend>What</legend>
          {(["testcase", "campaign", "navigation"] as Kind[]).map((k) => (
            <label key={k}>
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {k}
            </label>
          ))}
        </fieldset>
        <p class="field">
          <label for="host">Host</label>
          <select id="host" value={chosenHost} onChange={(e) => { setHost(e.currentTarget.value); setDevice(""); }}>
            {hosts.map((h) => (
              <option key={h.state.host_name} value={h.state.host_name}>
                {h.state.host_name}
                {h.state.reachable ? "" : " (unreachable)"}
              </option>
            ))}
          </select>
        </p>
        <p class="field">
          <label for="device">Device</label>
          <select id="device" value={chosenDevice} onChange={(e) => setDevice(e.currentTarget.value)}>
            {devices.map((d) => (
              <option key={d.device_id} value={d.device_id}>
                {d.name} ({d.device_id}, {d.state})
              </option>
            ))}
          </select>
        </p>
        <p class="field">
          <label for="definition">{kind === "navigation" ? "Tree" : kind === "campaign" ? "Campaign" : "Testcase"}</label>
          <select id="definition" value={definition} onChange={(e) => setDefinition(e.currentTarget.value)}>
            {definitions.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.id})
              </option>
            ))}
          </select>
        </p>
        {kind === "navigation" && (
          <p class="field">
            <label for="target">Target node</label>
            <select id="target" value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
              {nodes.map((n) => (
                <option key={n.id} value={n.id}>
                  {n.label}
                </option>
              ))}
            </select>
          </p>
        )}
        {inputs.length > 0 && (
          <fieldset>
            <legend>Inputs</legend>
            {inputs.map((spec) => (
              <InputField
                key={spec.name}
                spec={spec}
                value={values[spec.name] ?? ""}
                set={(v) => setValues({ ...values, [spec.name]: v })}
              />
            ))}
          </fieldset>
        )}
        {error && <Notice tone="error">{error}</Notice>}
        <button type="submit" disabled={sending || !definition || !chosenDevice}>
          Start
        </button>
      </form>
    </>
  );
}

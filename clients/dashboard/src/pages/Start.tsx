// Start a testcase, campaign or navigation from the library on a device, or on any device
// matching a selector (a lab request); land on its live page.
import { useEffect, useState } from "preact/hooks";

import { capabilities } from "../api/capabilities";
import { describe, getJson, postJson } from "../api/http";
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
import { InputField, problems } from "../start/InputField";
import { initial, typed, type Values } from "../start/inputs";
import { type Mode, RunOn } from "../start/RunOn";
import { matching, NO_SELECTOR, type SelectorFields, selectorOf } from "../start/selector";

type Kind = "testcase" | "campaign" | "navigation";
const CATALOGUE: Record<Kind, string> = { testcase: "testcases", campaign: "campaigns", navigation: "trees" };

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
  const [mode, setMode] = useState<Mode>("device");
  const [fields, setFields] = useState<SelectorFields>(NO_SELECTOR);
  const [selectorOffered, setSelectorOffered] = useState(false);
  useEffect(() => {
    void capabilities().then((found) => setSelectorOffered(found.deviceSelector));
  }, []);

  const hosts = [...lab.hosts.values()];
  const reachable = hosts.filter((h) => h.state.reachable).map((h) => h.state.host_name);
  const chosenHost = host || reachable[0] || "";
  const devices = [...(lab.hosts.get(chosenHost)?.devices.values() ?? [])];
  const chosenDevice = device || devices[0]?.device_id || "";
  const selector = selectorOf(fields);
  const matched = matching(
    hosts.flatMap((h) => [...h.devices.values()]),
    selector,
  );
  // The library is read from one host (hosts share it): with a selector, one it may run on.
  const libraryHost =
    mode === "device"
      ? chosenHost
      : fields.host || matched.find((d) => reachable.includes(d.host_name))?.host_name || reachable[0] || "";

  useEffect(() => {
    setDefinitions([]);
    setDefinition("");
  }, [kind]);

  // Only the latest answer counts: an earlier read that answers late (the library host
  // changed meanwhile) must not undo the user's choice.
  useEffect(() => {
    if (!libraryHost) return;
    let latest = true;
    getJson<DefinitionSummary[]>(`/server/library/${CATALOGUE[kind]}`, { host_name: libraryHost })
      .then((found) => {
        if (!latest) return;
        setDefinitions(found);
        setDefinition((chosen) => (found.some((d) => d.id === chosen) ? chosen : (found[0]?.id ?? "")));
      })
      .catch((e: unknown) => latest && setError(describe(e)));
    return () => {
      latest = false;
    };
  }, [kind, libraryHost]);

  useEffect(() => {
    setInputs([]);
    setValues({});
    setNodes([]);
    setTarget("");
    if (!definition || !libraryHost) return;
    let latest = true;
    const path = `/server/library/${CATALOGUE[kind]}/${encodeURIComponent(definition)}`;
    if (kind === "testcase") {
      getJson<TestcaseDefinition>(path, { host_name: libraryHost })
        .then((found) => {
          if (!latest) return;
          setInputs(found.inputs ?? []);
          setValues(initial(found.inputs ?? []));
        })
        .catch((e: unknown) => latest && setError(describe(e)));
    } else if (kind === "navigation") {
      getJson<NavigationTree>(path, { host_name: libraryHost })
        .then((tree) => {
          if (!latest) return;
          const found = (tree.nodes ?? []).map((n) => ({ id: n.id, label: n.label || n.id }));
          setNodes(found);
          setTarget(found[0]?.id ?? "");
        })
        .catch((e: unknown) => latest && setError(describe(e)));
    }
    return () => {
      latest = false;
    };
  }, [kind, definition, libraryHost]);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    setError(null);
    const base = mode === "device" ? { host_name: chosenHost, device_id: chosenDevice } : { device_selector: selector };
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
      navigate(executionPath(mode === "device" ? chosenHost : null, accepted.execution_id));
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
        <RunOn
          mode={mode}
          setMode={setMode}
          selectorOffered={selectorOffered}
          hosts={hosts}
          host={chosenHost}
          setHost={(h) => {
            setHost(h);
            setDevice("");
          }}
          device={chosenDevice}
          setDevice={setDevice}
          fields={fields}
          setFields={setFields}
        />
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
        <button type="submit" disabled={sending || !definition || (mode === "device" ? !chosenDevice : matched.length === 0)}>
          Start
        </button>
      </form>
    </>
  );
}

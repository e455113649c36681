// One execution: status, steps, live log, evidence, screenshots, result; Cancel.
import { useEffect, useRef, useState } from "preact/hooks";

import { blobUrl, describe, postJson } from "../api/http";
import { ACTIVE, type ExecutionView } from "../api/types";
import { Badge, outcome } from "../components/Badge";
import { Notice } from "../components/Notice";
import { Progress } from "../components/Progress";
import { CampaignItems, NavigationPath } from "../execution/Details";
import { Evidence } from "../execution/Evidence";
import { useExecution } from "../execution/follow";
import { Screenshots } from "../execution/Screenshots";
import { Steps } from "../execution/Steps";
import { dateTime, duration, words } from "../format";
import { useLab } from "../lab/hooks";

// The kinds with a JUnit report (schemas/kinds.py REPORTED).
const REPORTED = new Set(["campaign", "testcase"]);

interface Outcome {
  success?: boolean;
  message?: string;
  items?: Parameters<typeof CampaignItems>[0]["items"];
  path?: { id: string; label: string }[];
}

function Log({ lines }: { lines: string[] }) {
  const box = useRef<HTMLPreElement>(null);
  const [follow, setFollow] = useState(true);
  useEffect(() => {
    if (follow && box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [lines.length, follow]);
  return (
    <section aria-labelledby="log">
      <h2 id="log">Log</h2>
      <label>
        <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.currentTarget.checked)} /> Follow
        the end
      </label>
      <pre class="log" ref={box} tabIndex={0} aria-label="Execution log">
        {lines.length ? lines.join("\n") : "(no log lines yet)"}
      </pre>
    </section>
  );
}

function Actions(props: { hostName: string | null; view: ExecutionView; replace: (v: ExecutionView) => void }) {
  const { view, replace } = props;
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const query = { host_name: props.hostName }; // none for a lab execution: the lab's routes
  const cancel = async (): Promise<void> => {
    setBusy(true);
    try {
      replace(await postJson<ExecutionView>(`/server/executions/${encodeURIComponent(view.execution_id)}/cancel`, undefined, query));
      setMessage("Cancel requested: the execution stops at its next check.");
    } catch (error) {
      setMessage(describe(error));
    } finally {
      setBusy(false);
    }
  };
  const junit = async (): Promise<void> => {
    try {
      const href = await blobUrl(`/server/${view.kind}/execution/${encodeURIComponent(view.execution_id)}/junit`, query);
      const link = document.createElement("a");
      link.href = href;
      link.download = `${view.execution_id}.junit.xml`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(href), 10_000);
    } catch (error) {
      setMessage(describe(error));
    }
  };
  const active = ACTIVE.has(view.status);
  return (
    <div class="actions">
      {active && (
        <button type="button" class="danger" onClick={cancel} disabled={busy}>
          Cancel
        </button>
      )}
      {REPORTED.has(view.kind) && !active && (
        <button type="button" onClick={junit}>
          JUnit report
        </button>
      )}
      {message && <Notice tone="info">{message}</Notice>}
    </div>
  );
}

/** A lab execution's place in the queue, live from the watch; the view's until it shows. */
function usePosition(view: ExecutionView | null): number | null | undefined {
  const lab = useLab();
  if (!view || view.host_name) return view?.queue_position;
  const queued = lab.queue?.items.find((item) => item.execution_id === view.execution_id);
  return queued?.queue_position ?? view.queue_position;
}

export function Execution({ hostName, executionId }: { hostName: string | null; executionId: string }) {
  const { view, log, error, live, replace } = useExecution(hostName, executionId);
  const position = usePosition(view);
  if (!view) {
    return (
      <>
        <h1>Execution {executionId}</h1>
        {error ? <Notice tone="error">{error}</Notice> : <p role="status">Loading…</p>}
      </>
    );
  }
  const result = (view.result ?? null) as Outcome | null;
  const active = ACTIVE.has(view.status);
  const shown = active ? view.status : outcome(view.status, result?.success);
  return (
    <>
      <h1>
        {words(view.kind)} {view.device_id ? `on ${view.device_id}` : "waiting for a device"}
      </h1>
      <section class="execution-head" aria-label="Status">
        <p class="status-line" data-testid="status">
          <Badge value={shown} /> <Progress value={view.progress} label="Progress" />
          {active && <span class="muted">{live ? "live" : "not live"}</span>}
        </p>
        <p class="message" aria-live="polite">
          {view.message}
        </p>
        {error && <Notice tone="error">{error}</Notice>}
        <dl class="facts">
          <dt>Host</dt>
          <dd data-testid="host">{view.host_name || "not chosen yet (lab queue)"}</dd>
          {hostName === null && (
            <>
              <dt>Device</dt>
              <dd data-testid="device">{view.device_id || "any free device matching its selector"}</dd>
            </>
          )}
          <dt>Execution</dt>
          <dd>
            <code>{view.execution_id}</code>
          </dd>
          <dt>Created</dt>
          <dd>{dateTime(view.created_at)}</dd>
          <dt>Started</dt>
          <dd>{dateTime(view.started_at)}</dd>
          <dt>Finished</dt>
          <dd>{dateTime(view.finished_at)}</dd>
          <dt>Elapsed</dt>
          <dd>{duration(view.elapsed_ms)}</dd>
          {position != null && ACTIVE.has(view.status) && (
            <>
              <dt>Queue position</dt>
              <dd data-testid="queue-position">
                {position}
                {view.host_name ? ` on ${view.device_id}` : " in the lab queue"}
              </dd>
            </>
          )}
        </dl>
        <Actions hostName={hostName} view={view} replace={replace} />
      </section>
      {view.error && (
        <section aria-labelledby="failure" class="failure">
          <h2 id="failure">Error</h2>
          <p>
            <code>{view.error.code}</code> {view.error.message}
          </p>
        </section>
      )}
      {result && result.success === false && (
        <section aria-labelledby="failure" class="failure">
          <h2 id="failure">Failed</h2>
          <p>{result.message || view.message}</p>
        </section>
      )}
      <section aria-labelledby="steps">
        <h2 id="steps">Steps</h2>
        <Steps steps={view.steps ?? []} current={view.current_step_id} />
      </section>
      {result?.items && <CampaignItems items={result.items} />}
      {result?.path && result.path.length > 0 && <NavigationPath path={result.path} />}
      {result && <Evidence result={result} />}
      {view.artifacts && (
        <Screenshots hostName={hostName} executionId={view.execution_id} artifacts={view.artifacts} />
      )}
      <Log lines={log} />
      {result && (
        <details>
          <summary>Result as JSON</summary>
          <pre class="json">{JSON.stringify(result, null, 2)}</pre>
        </details>
      )}
    </>
  );
}

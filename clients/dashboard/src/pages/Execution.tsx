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

function Actions({ view, replace }: { view: ExecutionView; replace: (v: ExecutionView) => void }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const query = { host_name: view.host_name };
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
      const href = await blobUrl(`/server/campaign/execution/${encodeURIComponent(view.execution_id)}/junit`, query);
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
      {view.kind === "campaign" && !active && (
        <button type="button" onClick={junit}>
          JUnit report
        </button>
      )}
      {message && <Notice tone="info">{message}</Notice>}
    </div>
  );
}

export function Execution({ hostName, executionId }: { hostName: string; executionId: string }) {
  const { view, log, error, live, replace } = useExecution(hostName, executionId);
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
        {words(view.kind)} on {view.device_id}
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
          <dd>{view.host_name}</dd>
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
          {view.queue_position != null && (
            <>
              <dt>Queue position</dt>
              <dd>{view.queue_position}</dd>
            </>
          )}
        </dl>
        <Actions view={view} replace={replace} />
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
        <Screenshots hostName={view.host_name} executionId={view.execution_id} artifacts={view.artifacts} />
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

// Wire types: generated from the proxy's OpenAPI document (clients/typescript), one source.
import type { components } from "../../../typescript/src/schema";

type S = components["schemas"];
export type ExecutionView = S["ExecutionView"] & {
  // Listed in the view once executions keep artifacts (issue 13); absent before.
  artifacts?: Artifact[];
};
export type ExecutionStatus = S["ExecutionStatus"];
export type ExecutionKind = S["ExecutionKind"];
export type StepView = S["StepView"];
export type ErrorBody = S["ErrorBody"];
export type ExecutionAccepted = S["ExecutionAccepted"];
export type ExecutionListing = S["ExecutionListing"];
export type HostView = S["HostView"];
export type TestcaseDefinition = S["TestcaseDefinition"];
export type CampaignDefinition = S["CampaignDefinition"];
export type NavigationTree = S["NavigationTree"];
export type InputSpec = S["InputSpec"];
export type LabSnapshot = S["LabSnapshot"];
export type WatchHost = S["WatchHost"];
export type WatchHostState = Omit<WatchHost, "devices">; // the `host` event
export type WatchDevice = S["WatchDevice"];
export type WatchExecution = S["WatchExecution"];
export type ExecutionEvent =
  | S["StatusEvent"]
  | S["ProgressEvent"]
  | S["StepStartedEvent"]
  | S["StepFinishedEvent"]
  | S["LogEvent"]
  | S["TruncatedEvent"];

// The library's catalogue answers (relayed by the proxy as the host's, so not in its document).
export interface DefinitionSummary {
  id: string;
  name: string;
  description?: string;
}

// A screenshot or other file an execution kept, as the view lists it (schemas/artifacts.py).
export interface Artifact {
  name: string;
  media_type: string;
  step_id: string;
  created_at: string;
  bytes: number;
  url: string;
}

// The lab history (issue 14), typed here until the proxy on main documents it.
export interface HistoryItem {
  host_name: string;
  execution_id: string;
  kind: ExecutionKind;
  device_id: string;
  model?: string | null;
  tags?: string[];
  definition_id?: string | null;
  status: ExecutionStatus;
  success?: boolean | null;
  error_code?: string | null;
  message?: string;
  created_at: string;
  started_at?: string | null;
  finished_at?: string | null;
  elapsed_ms?: number | null;
}
export interface HistoryPage {
  items: HistoryItem[];
  next_cursor?: string | null;
}
export interface HistoryStatsRow {
  key: string;
  bucket_start: string;
  runs: number;
  passed: number;
  failed: number;
  errors: number;
  other: number;
  pass_rate: number | null;
}
export interface HistoryStats {
  group: "testcase" | "device";
  bucket: "hour" | "day";
  rows: HistoryStatsRow[];
}

export const ACTIVE: ReadonlySet<ExecutionStatus> = new Set(["queued", "running"]);
export const KINDS: readonly ExecutionKind[] = [
  "action",
  "verification",
  "navigation",
  "block",
  "testcase",
  "campaign",
];
export const STATUSES: readonly ExecutionStatus[] = [
  "queued",
  "running",
  "completed",
  "error",
  "cancelled",
  "timed_out",
  "interrupted",
];

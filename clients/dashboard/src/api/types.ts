// Wire types: generated from the proxy's OpenAPI document (clients/typescript), one source.
import type { components } from "../../../typescript/src/schema";

type S = components["schemas"];
export type ExecutionView = S["ExecutionView"];
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
export type DeviceSelector = S["DeviceSelector"];
export type LabSnapshot = S["LabSnapshot"];
export type LabQueuePage = S["LabQueuePage"];
export type WatchHost = S["WatchHost"];
export type WatchHostState = Omit<WatchHost, "devices">; // the `host` event
export type WatchDevice = S["WatchDevice"];
export type WatchExecution = S["WatchExecution"];
export type Artifact = S["ArtifactView"];
export type HistoryItem = S["HistoryItem"];
export type HistoryPage = S["HistoryPage"];
export type HistoryStats = S["HistoryStats"];
export type HistoryStatsRow = S["HistoryStatsRow"];
export type ExecutionEvent =
  | S["StatusEvent"]
  | S["ProgressEvent"]
  | S["StepStartedEvent"]
  | S["StepFinishedEvent"]
  | S["LogEvent"]
  | S["ArtifactEvent"]
  | S["TruncatedEvent"];

// The library's catalogue answers: the proxy relays them as the host's, so its document
// does not describe them (schemas/library.py `DefinitionSummary` on the host's).
export interface DefinitionSummary {
  id: string;
  name: string;
  description?: string;
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

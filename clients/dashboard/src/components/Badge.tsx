// A state as text, with a symbol and a colour that only repeat what the text says.
import { words } from "../format";

const SYMBOLS: Record<string, string> = {
  idle: "○",
  busy: "▶",
  running: "▶",
  queued: "…",
  stuck: "⚠",
  offline: "✕",
  unknown: "?",
  quarantined: "⛔",
  draining: "↘",
  online: "●",
  completed: "✓",
  passed: "✓",
  failed: "✗",
  error: "⚠",
  cancelled: "⊘",
  timed_out: "⌛",
  interrupted: "↯",
  pending: "·",
  skipped: "»",
};

export function Badge({ value, label }: { value: string; label?: string }) {
  return (
    <span class={`badge badge-${value}`} data-state={value}>
      <span aria-hidden="true">{SYMBOLS[value] ?? "•"}</span> {label ?? words(value)}
    </span>
  );
}

/** A finished execution's outcome: completed splits into passed and failed. */
export function outcome(status: string, success: boolean | null | undefined): string {
  if (status !== "completed") return status;
  return success === false ? "failed" : success === true ? "passed" : "completed";
}

import type { StepView } from "../api/types";
import { Badge } from "../components/Badge";
import { duration } from "../format";

export function Steps({ steps, current }: { steps: StepView[]; current?: string | null }) {
  if (steps.length === 0) return <p class="muted">No steps reported.</p>;
  return (
    <ol class="steps">
      {steps.map((step) => (
        <li
          key={step.id}
          class={`step step-${step.state ?? "pending"}`}
          aria-current={step.id === current ? "step" : undefined}
          data-step={step.id}
        >
          <Badge value={step.state ?? "pending"} />
          <span class="step-label">{step.label || step.id}</span>
          <span class="step-duration">{duration(step.duration_ms)}</span>
          {step.message && <span class="step-message">{step.message}</span>}
        </li>
      ))}
    </ol>
  );
}

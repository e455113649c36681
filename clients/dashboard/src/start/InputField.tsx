// A testcase input as a form field of its declared type, and a refused start's message.
import { ApiError, describe } from "../api/http";
import type { InputSpec } from "../api/types";

export function InputField({ spec, value, set }: { spec: InputSpec; value: string | boolean; set: (v: string | boolean) => void }) {
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

export function problems(error: unknown): string {
  if (error instanceof ApiError && Array.isArray(error.body.details)) {
    const fields = (error.body.details as { loc?: unknown[]; msg?: string }[])
      .map((d) => `${(d.loc ?? []).join(".")}: ${d.msg ?? ""}`)
      .join("; ");
    return `${error.body.message}${fields ? ` — ${fields}` : ""}`;
  }
  return describe(error);
}


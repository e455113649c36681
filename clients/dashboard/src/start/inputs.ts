// A testcase's declared inputs as form values, and back as the request's typed values.
import type { InputSpec } from "../api/types";

export type Values = Record<string, string | boolean>;

export function initial(inputs: InputSpec[]): Values {
  const values: Values = {};
  for (const input of inputs) {
    const value = input.default;
    if (input.type === "boolean") values[input.name] = value === true;
    else if (value === null || value === undefined) values[input.name] = "";
    else values[input.name] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return values;
}

/** Typed inputs for the start request, or the name of the first one that is not valid. */
export function typed(inputs: InputSpec[], values: Values): { inputs: Record<string, unknown> } | { invalid: string } {
  const found: Record<string, unknown> = {};
  for (const input of inputs) {
    const raw = values[input.name];
    if (input.type === "boolean") {
      found[input.name] = raw === true;
      continue;
    }
    const text = typeof raw === "string" ? raw.trim() : "";
    if (text === "") {
      if (input.required) return { invalid: `${input.name} is required` };
      continue; // the testcase's default applies
    }
    if (input.type === "integer" || input.type === "number") {
      const number = Number(text);
      if (!Number.isFinite(number) || (input.type === "integer" && !Number.isInteger(number))) {
        return { invalid: `${input.name} must be ${input.type === "integer" ? "an integer" : "a number"}` };
      }
      found[input.name] = number;
    } else if (input.type === "any") {
      try {
        found[input.name] = JSON.parse(text);
      } catch {
        found[input.name] = text; // plain text is a string
      }
    } else {
      found[input.name] = text;
    }
  }
  return { inputs: found };
}

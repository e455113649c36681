// Every check of a result with what it expected and what it saw, whatever the kind:
// verification batches, navigation steps, testcase blocks, campaign items.
export interface Check {
  where: string;
  type: string;
  command: string;
  expected: string;
  observed: string;
  success: boolean;
  message: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function labelOf(node: { [key: string]: Json }): string | null {
  for (const key of ["label", "name", "node_id", "testcase_id"]) {
    const value = node[key];
    if (typeof value === "string" && value) return value;
  }
  const source = node["source"];
  const target = node["target"];
  if (source && target && typeof source === "object" && typeof target === "object") {
    const from = (source as { label?: string }).label;
    const to = (target as { label?: string }).label;
    if (from && to) return `${from} → ${to}`;
  }
  return null;
}

export function checks(result: unknown): Check[] {
  const found: Check[] = [];
  const walk = (node: Json, where: string[]): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, where);
      return;
    }
    if (node === null || typeof node !== "object") return;
    if (typeof node["expected"] === "string" && typeof node["observed"] === "string") {
      found.push({
        where: where.join(" › "),
        type: String(node["type"] ?? ""),
        command: String(node["command"] ?? ""),
        expected: node["expected"],
        observed: node["observed"],
        success: node["success"] === true,
        message: String(node["message"] ?? ""),
      });
      return;
    }
    const label = labelOf(node);
    for (const value of Object.values(node)) walk(value, label ? [...where, label] : where);
  };
  walk(result as Json, []);
  return found;
}

// What this proxy offers, read from its OpenAPI document: pages show what exists and
// say what is missing (the lab history, artifacts, device selectors) instead of failing.
export interface Capabilities {
  history: boolean;
  stats: boolean;
  artifacts: boolean;
  deviceSelector: boolean;
}

let loaded: Promise<Capabilities> | null = null;

export function capabilities(): Promise<Capabilities> {
  loaded ??= fetch("/openapi.json", { headers: { Accept: "application/json" } })
    .then((response) => (response.ok ? response.json() : { paths: {} }))
    .then((doc: { paths?: Record<string, unknown>; components?: unknown }) => {
      const paths = Object.keys(doc.paths ?? {});
      return {
        history: paths.includes("/server/history"),
        stats: paths.includes("/server/history/stats"),
        artifacts: paths.some((p) => p.includes("/artifacts/")),
        deviceSelector: JSON.stringify(doc.components ?? {}).includes('"device_selector"'),
      };
    })
    .catch(() => ({ history: false, stats: false, artifacts: false, deviceSelector: false }));
  return loaded;
}

import type { ComponentChildren } from "preact";

/** A message in a live region: errors as alerts, the rest read when they change. */
export function Notice({ tone, children }: { tone: "error" | "info"; children: ComponentChildren }) {
  return (
    <p class={`notice notice-${tone}`} role={tone === "error" ? "alert" : "status"}>
      {children}
    </p>
  );
}

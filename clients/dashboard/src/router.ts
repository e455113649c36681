// Client-side routes (the proxy serves the app at each of them: proxy_service/dashboard).
import { useEffect, useState } from "preact/hooks";

export type Route =
  | { page: "wall" }
  | { page: "executions" }
  | { page: "execution"; hostName: string | null; executionId: string } // null: a lab id
  | { page: "history" }
  | { page: "start" }
  | { page: "missing" };

export function parse(pathname: string): Route {
  if (pathname === "/") return { page: "wall" };
  if (pathname === "/executions") return { page: "executions" };
  if (pathname === "/history") return { page: "history" };
  if (pathname === "/start") return { page: "start" };
  const one = /^\/executions\/([^/]+)\/([^/]+)$/.exec(pathname);
  if (one?.[1] && one[2]) {
    return {
      page: "execution",
      hostName: decodeURIComponent(one[1]),
      executionId: decodeURIComponent(one[2]),
    };
  }
  const lab = /^\/executions\/([^/]+)$/.exec(pathname);
  if (lab?.[1]) return { page: "execution", hostName: null, executionId: decodeURIComponent(lab[1]) };
  return { page: "missing" };
}

/** The page of an execution on a host, or of a lab execution (`hostName` null). */
export function executionPath(hostName: string | null, executionId: string): string {
  const id = encodeURIComponent(executionId);
  return hostName === null ? `/executions/${id}` : `/executions/${encodeURIComponent(hostName)}/${id}`;
}

const listeners = new Set<() => void>();

export function navigate(href: string, replace = false): void {
  if (replace) history.replaceState(null, "", href);
  else history.pushState(null, "", href);
  for (const listener of listeners) listener();
}

addEventListener("popstate", () => {
  for (const listener of listeners) listener();
});

export function useLocation(): URL {
  const [location, setLocation] = useState(() => new URL(window.location.href));
  useEffect(() => {
    const update = (): void => setLocation(new URL(window.location.href));
    listeners.add(update);
    return () => listeners.delete(update);
  }, []);
  return location;
}

/** Links inside the app change the page without a reload; modified clicks behave as usual. */
export function follow(event: MouseEvent): void {
  const anchor = (event.target as Element | null)?.closest("a");
  if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const href = new URL(anchor.href);
  if (href.origin !== location.origin || parse(href.pathname).page === "missing") return;
  event.preventDefault();
  navigate(href.pathname + href.search);
}

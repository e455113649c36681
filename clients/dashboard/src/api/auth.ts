// The API key: asked once per browser session (sessionStorage), sent on every call.
const STORAGE = "lab-dashboard.api-key";

type Listener = (needed: boolean) => void;
const listeners = new Set<Listener>();
let needed = false;

export function apiKey(): string | null {
  return sessionStorage.getItem(STORAGE);
}

export function setApiKey(key: string): void {
  sessionStorage.setItem(STORAGE, key);
  needed = false;
  for (const listener of listeners) listener(needed);
}

/** The proxy answered 401: forget the key we had and ask for one. */
export function keyRefused(): void {
  sessionStorage.removeItem(STORAGE);
  if (needed) return;
  needed = true;
  for (const listener of listeners) listener(needed);
}

export function keyNeeded(): boolean {
  return needed;
}

export function onKeyNeeded(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function authHeaders(): Record<string, string> {
  const key = apiKey();
  return key ? { Authorization: `Bearer ${key}` } : {};
}

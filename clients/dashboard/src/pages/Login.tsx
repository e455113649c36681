// The proxy asks for an API key: asked once per browser session, kept in sessionStorage.
import { useState } from "preact/hooks";

import { setApiKey } from "../api/auth";

export function Login() {
  const [key, setKey] = useState("");
  return (
    <>
      <h1>API key needed</h1>
      <p>
        This proxy asks for an API key (<code>PROXY_API_KEYS</code>). It is kept for this browser
        session only and sent with every call.
      </p>
      <form
        class="login"
        onSubmit={(event) => {
          event.preventDefault();
          if (key.trim()) setApiKey(key.trim());
        }}
      >
        <p class="field">
          <label for="api-key">API key</label>
          <input
            id="api-key"
            type="password"
            autocomplete="current-password"
            required
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
          />
        </p>
        <button type="submit">Sign in</button>
      </form>
    </>
  );
}

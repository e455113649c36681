// The build goes into the proxy package, which serves it at / (proxy_service/dashboard).
import { fileURLToPath } from "node:url";

import { defineConfig } from "vite";

export default defineConfig({
  base: "/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: fileURLToPath(new URL("../../proxy_service/dashboard/static", import.meta.url)),
    emptyOutDir: true,
    assetsDir: "assets",
    sourcemap: false,
    // Everything is local to the proxy; no module preload polyfill fetching anything else.
    modulePreload: { polyfill: false },
  },
});

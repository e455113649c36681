// waitForExecution still returns the result when the event stream is broken: it long-polls.
// Usage: node dist/tests/wait-fallback.js <proxy-url> <host-name> <device-id>
import { createOrchestratorClient, waitForExecution } from "../src/index.js";

async function main(): Promise<number> {
  const [baseUrl, hostName, deviceId] = process.argv.slice(2);
  if (!baseUrl || !hostName || !deviceId) return 2;
  let refused = 0;
  // A network path that breaks event streams, as some corporate proxies do.
  const brokenStreams: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.includes("/events")) {
      refused += 1;
      throw new TypeError("stream refused");
    }
    return fetch(input, init);
  };
  const client = createOrchestratorClient({ baseUrl });
  const { data: started } = await client.POST("/server/action/executeBatch", {
    body: {
      host_name: hostName,
      device_id: deviceId,
      actions: [{ command: "press_key", params: { key: "HOME" }, wait_time_ms: 200 }],
    },
  });
  if (!started) return 2;
  const view = await waitForExecution(client, {
    baseUrl,
    hostName,
    executionId: started.execution_id,
    fetch: brokenStreams,
  });
  console.log(JSON.stringify({ status: view.status, refused }));
  return view.status === "completed" && refused === 1 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);

// Start an action batch through the proxy and wait for its result; exit 0 when it passed.
// Usage: node dist/examples/start-and-wait.js <proxy-url> <host-name> <device-id>
import { createOrchestratorClient, waitForExecution, type Schemas } from "../src/index.js";

async function main(): Promise<number> {
  const [baseUrl, hostName, deviceId] = process.argv.slice(2);
  if (!baseUrl || !hostName || !deviceId) {
    console.error("usage: start-and-wait <proxy-url> <host-name> <device-id>");
    return 2;
  }
  const client = createOrchestratorClient({ baseUrl });
  const { data: started, error } = await client.POST("/server/action/executeBatch", {
    body: {
      host_name: hostName,
      device_id: deviceId,
      actions: [{ command: "press_key", params: { key: "GUIDE" }, wait_time_ms: 100 }],
    },
  });
  if (error !== undefined) {
    console.error(`${error.error}: ${error.message}`);
    return 2;
  }
  const events: string[] = [];
  const view = await waitForExecution(client, {
    baseUrl,
    hostName,
    executionId: started.execution_id,
    onEvent: (event) => events.push(event.type),
  });
  const result = view.result as { success: boolean } | null | undefined;
  const summary: { status: Schemas["ExecutionStatus"]; success: boolean | null; events: string[] } = {
    status: view.status,
    success: result?.success ?? null,
    events,
  };
  console.log(JSON.stringify(summary));
  return view.status === "completed" && result?.success ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);

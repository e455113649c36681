// Every start carries an Idempotency-Key by default, so repeating it returns the same execution.
// Usage: node dist/tests/idempotent-start.js <proxy-url> <host-name> <device-id>
import { createOrchestratorClient } from "../src/index.js";

async function main(): Promise<number> {
  const [baseUrl, hostName, deviceId] = process.argv.slice(2);
  if (!baseUrl || !hostName || !deviceId) return 2;
  const keys: (string | null)[] = [];
  const recording: typeof fetch = async (input, init) => {
    if (input instanceof Request) keys.push(input.headers.get("Idempotency-Key"));
    return fetch(input, init);
  };
  const client = createOrchestratorClient({ baseUrl, fetch: recording });
  const body = {
    host_name: hostName,
    device_id: deviceId,
    actions: [{ command: "press_key", params: { key: "HOME" } }],
  };
  const first = await client.POST("/server/action/executeBatch", { body });
  // What a retry after a 502 does: the same start with the key the first one carried.
  const again = await client.POST("/server/action/executeBatch", {
    body,
    headers: { "Idempotency-Key": keys[0] ?? "" },
  });
  const other = await client.POST("/server/action/executeBatch", { body });
  console.log(
    JSON.stringify({
      keyed: keys.every((key) => typeof key === "string" && key.length > 0),
      repeated: again.response.status === 200 && again.data?.execution_id === first.data?.execution_id,
      fresh: keys[2] !== keys[0] && other.data?.execution_id !== first.data?.execution_id,
    }),
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);

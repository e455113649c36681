// What a kind adds to its result: a campaign's items, a navigation's path.
import { Badge } from "../components/Badge";
import { duration } from "../format";

interface Item {
  name: string;
  testcase_id: string;
  status: string;
  duration_ms?: number;
  message?: string;
}

export function CampaignItems({ items }: { items: Item[] }) {
  return (
    <section aria-labelledby="items">
      <h2 id="items">Campaign items</h2>
      <table class="items">
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Testcase</th>
            <th scope="col">Outcome</th>
            <th scope="col">Duration</th>
            <th scope="col">Message</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.name}>
              <td>{item.name}</td>
              <td>{item.testcase_id}</td>
              <td>
                <Badge value={item.status} />
              </td>
              <td>{duration(item.duration_ms)}</td>
              <td>{item.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function NavigationPath({ path }: { path: { id: string; label: string }[] }) {
  return (
    <section aria-labelledby="path">
      <h2 id="path">Path</h2>
      <ol class="path">
        {path.map((node, index) => (
          <li key={`${node.id}-${index}`}>{node.label || node.id}</li>
        ))}
      </ol>
    </section>
  );
}

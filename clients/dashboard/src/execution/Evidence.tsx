import { Badge } from "../components/Badge";
import { checks } from "./evidence";

export function Evidence({ result }: { result: unknown }) {
  const found = checks(result);
  if (found.length === 0) return null;
  return (
    <section aria-labelledby="evidence">
      <h2 id="evidence">Evidence</h2>
      <table class="evidence">
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col">Where</th>
            <th scope="col">Expected</th>
            <th scope="col">Observed</th>
            <th scope="col">Outcome</th>
          </tr>
        </thead>
        <tbody>
          {found.map((check, index) => (
            <tr key={index}>
              <td>
                {check.type} {check.command}
              </td>
              <td>{check.where}</td>
              <td>{check.expected}</td>
              <td>{check.observed}</td>
              <td>
                <Badge value={check.success ? "passed" : "failed"} />
                {check.message && <span class="step-message"> {check.message}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

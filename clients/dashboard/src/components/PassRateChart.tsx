// Pass rate over time, one line per testcase or device (uPlot, bundled from npm).
import "uplot/dist/uPlot.min.css";

import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

import type { HistoryStats } from "../api/types";
import { dateTime } from "../format";

// Distinct hues, and each line has its own dash pattern: told apart without colour too.
const COLOURS = ["#1f5fa8", "#b3541e", "#2e7d32", "#7b1fa2", "#c62828", "#00838f", "#6d4c41"];
const DASHES = [[], [8, 4], [2, 3], [10, 3, 2, 3], [4, 4], [12, 6], [1, 2]];

export function pivot(stats: HistoryStats): { keys: string[]; xs: number[]; ys: (number | null)[][] } {
  const xs = [...new Set(stats.rows.map((r) => Date.parse(r.bucket_start) / 1000))].sort((a, b) => a - b);
  const keys = [...new Set(stats.rows.map((r) => r.key))];
  const at = new Map(xs.map((x, i) => [x, i]));
  const ys = keys.map(() => xs.map((): number | null => null));
  for (const row of stats.rows) {
    const series = ys[keys.indexOf(row.key)];
    const index = at.get(Date.parse(row.bucket_start) / 1000);
    if (series && index !== undefined) series[index] = row.pass_rate === null ? null : row.pass_rate * 100;
  }
  return { keys, xs, ys };
}

export function PassRateChart({ stats }: { stats: HistoryStats }) {
  const box = useRef<HTMLDivElement>(null);
  const { keys, xs, ys } = pivot(stats);
  useEffect(() => {
    if (!box.current || xs.length === 0) return;
    const chart = new uPlot(
      {
        width: Math.max(320, box.current.clientWidth),
        height: 280,
        scales: { y: { range: [0, 100] } },
        axes: [{}, { label: "pass rate %", values: (_, ticks) => ticks.map((t) => `${t} %`) }],
        series: [
          { label: stats.bucket },
          ...keys.map((key, i) => ({
            label: key,
            stroke: COLOURS[i % COLOURS.length],
            dash: DASHES[i % DASHES.length],
            width: 2,
            points: { show: true },
            spanGaps: true,
          })),
        ],
      },
      [xs, ...ys],
      box.current,
    );
    return () => chart.destroy();
  }, [stats]);
  if (xs.length === 0) return <p>No finished runs in this range.</p>;
  return (
    <figure class="chart">
      <div ref={box} role="img" aria-label={`Pass rate per ${stats.group} per ${stats.bucket}; the table below has the figures`} />
      <figcaption>
        <details>
          <summary>The figures as a table</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">{stats.group}</th>
                <th scope="col">{stats.bucket} from</th>
                <th scope="col">runs</th>
                <th scope="col">passed</th>
                <th scope="col">failed</th>
                <th scope="col">errors</th>
                <th scope="col">pass rate</th>
              </tr>
            </thead>
            <tbody>
              {stats.rows.map((row) => (
                <tr key={`${row.key}-${row.bucket_start}`}>
                  <td>{row.key}</td>
                  <td>{dateTime(row.bucket_start)}</td>
                  <td>{row.runs}</td>
                  <td>{row.passed}</td>
                  <td>{row.failed}</td>
                  <td>{row.errors}</td>
                  <td>{row.pass_rate === null ? "—" : `${Math.round(row.pass_rate * 100)} %`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}

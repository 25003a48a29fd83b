import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import { errorMessage } from '../api/client';
import type { OperationDurations } from '../api/types';
import { secondsText } from '../lib/format';

interface DurationsPanelProps {
  durations: OperationDurations | undefined;
  isLoading: boolean;
  error?: unknown;
  /** The window the figures cover, as sent to the API ("24h"). */
  window?: string;
  /** Chart width in CSS pixels (the side column's width). */
  width?: number;
}

/**
 * Operation durations (p50 and p95 per operation, computed by the server over the window) as a bar chart, with the
 * same figures in a table for anyone who would rather read, and the cluster slot queue: operations waiting for a slot,
 * slots in use and capacity. Only the operations the API reports are drawn: the dashboard keeps no list of its own.
 */
export function DurationsPanel({ durations, isLoading, error, window = '24h', width = 340 }: DurationsPanelProps) {
  const ops = durations?.operations ?? [];
  const queue = durations?.queue;
  return (
    <section className="panel durations" aria-labelledby="durations-heading">
      <h2 id="durations-heading">Operations (last {window})</h2>
      {queue && (
        <dl className="counters queue" aria-label="Cluster slots">
          <div className="counter" data-metric="waiting">
            <dt>Waiting for a slot</dt>
            <dd>{queue.waiting}</dd>
          </div>
          <div className="counter" data-metric="slots">
            <dt>Slots in use</dt>
            <dd>
              {queue.inUse} / {queue.capacity}
            </dd>
          </div>
        </dl>
      )}
      {error && !durations ? (
        <p className="field-error">Cannot load operation durations: {errorMessage(error)}</p>
      ) : isLoading && !durations ? (
        <p className="state state-loading" role="status">
          Loading durations…
        </p>
      ) : ops.length === 0 ? (
        <p className="state state-empty">No finished operations in the last {window}.</p>
      ) : (
        <figure className="durations-chart">
          <div role="img" aria-label={`Operation durations: ${ops.map((o) => `${o.operation} p50 ${secondsText(o.p50Seconds)}, p95 ${secondsText(o.p95Seconds)}`).join('; ')}`}>
            <BarChart width={width} height={200} data={ops} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="operation" tick={{ fontSize: 12 }} />
              <YAxis unit=" s" width={48} tick={{ fontSize: 12 }} />
              <Tooltip formatter={(v) => secondsText(Number(v))} />
              <Legend />
              <Bar dataKey="p50Seconds" name="p50" fill="#2456c7" isAnimationActive={false} />
              <Bar dataKey="p95Seconds" name="p95" fill="#8a5a00" isAnimationActive={false} />
            </BarChart>
          </div>
          <figcaption>
            <table className="durations-table">
              <caption className="visually-hidden">Operation durations</caption>
              <thead>
                <tr>
                  <th scope="col">Operation</th>
                  <th scope="col">Runs</th>
                  <th scope="col">p50</th>
                  <th scope="col">p95</th>
                </tr>
              </thead>
              <tbody>
                {ops.map((o) => (
                  <tr key={o.operation} data-operation={o.operation}>
                    <th scope="row">{o.operation}</th>
                    <td className="num">{o.count}</td>
                    <td className="num">{secondsText(o.p50Seconds)}</td>
                    <td className="num">{secondsText(o.p95Seconds)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </figcaption>
        </figure>
      )}
    </section>
  );
}

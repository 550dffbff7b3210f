/**
 * One load run, in its own process so the load generator never competes with the
 * benchmark's bookkeeping: `node bench/load.ts '<json spec>'` runs autocannon and
 * prints its result as JSON on the last line of stdout.
 *
 * `refreshTokens` turns the run into a rotation chain: each request takes a live
 * refresh token from the pool and puts back the successor its response carries.
 */
import autocannon from "autocannon";

export interface LoadSpec {
  url: string;
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  durationSeconds: number;
  refreshTokens?: string[];
}

export interface LoadResult {
  /** Responses received. */
  requests: number;
  /** Requests sent, including those still in flight when the run ended (their work counts too). */
  sent: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

const spec = JSON.parse(process.argv[2] ?? "{}") as LoadSpec;
const pool = [...(spec.refreshTokens ?? [])];

const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.durationSeconds,
  method: spec.method,
  headers: spec.headers,
  body: spec.body,
  requests: spec.refreshTokens
    ? [
        {
          method: "POST",
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({ refresh_token: pool.shift() ?? "" }),
          }),
          onResponse: (status, body) => {
            if (status === 200) pool.push((JSON.parse(body) as { refresh_token: string }).refresh_token);
          },
        },
      ]
    : undefined,
});

const output: LoadResult = {
  requests: result.requests.total,
  sent: (result.requests as { sent?: number }).sent ?? result.requests.total,
  requestsPerSecond: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
  errors: result.errors + result.timeouts + result.non2xx,
};
console.log(JSON.stringify(output));

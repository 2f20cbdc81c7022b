import autocannon from "autocannon";

/**
 * Runs autocannon with one request template, counts the answers by status, and returns the JSON
 * summary both load generators print (requests, duration, statuses, errors, latency quantiles).
 */
export async function autocannonSummary(options: autocannon.Options, request: autocannon.Request) {
  const statuses: Record<string, number> = {};
  // autocannon ends a run of a fixed amount on its once-a-second ticker: the last answer tells the end
  let lastAnswerAt = Date.now();
  const result = await autocannon({
    ...options,
    requests: [
      {
        ...request,
        onResponse: (status) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
          lastAnswerAt = Date.now();
        },
      },
    ],
  });
  return {
    requests: result.requests.total,
    durationMs: result.duration * 1000,
    lastAnswerAt,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
  };
}

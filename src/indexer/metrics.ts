import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The indexer's Prometheus metrics, on a registry of its own. */
export class IndexerMetrics {
  readonly registry = new Registry();
  readonly requestDuration = new Histogram({
    name: "trackroot_indexer_request_duration_seconds",
    help: "HTTP request latency by route and status",
    labelNames: ["route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly verifications = new Counter({
    name: "trackroot_indexer_verifications_total",
    help: "Proof bundles served to verifiers (counted per code for clone detection)",
    registers: [this.registry],
  });
  readonly indexedBlock = new Gauge({
    name: "trackroot_indexer_block",
    help: "The last block fully indexed",
    registers: [this.registry],
  });
  readonly pendingContent = new Gauge({
    name: "trackroot_indexer_content_pending",
    help: "Releases and commitments whose content is not fetched and checked yet",
    registers: [this.registry],
  });
  readonly anomalies = new Gauge({
    name: "trackroot_indexer_anomalies",
    help: "Anomalies found on the ledger (clone alerts not included)",
    registers: [this.registry],
  });
  readonly loopErrors = new Counter({
    name: "trackroot_indexer_loop_errors_total",
    help: "Failed indexing steps (chain, content store or database), each retried",
    labelNames: ["stage"] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: "trackroot_indexer_" });
  }
}

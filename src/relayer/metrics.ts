import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The relayer's Prometheus metrics, on a registry of its own (several relayers can share a process in tests). */
export class RelayerMetrics {
  readonly registry = new Registry();
  readonly accepted = new Counter({
    name: "trackroot_relayer_entries_accepted_total",
    help: "Captures and handovers durably stored",
    labelNames: ["kind"] as const,
    registers: [this.registry],
  });
  readonly acceptedEvents = new Counter({
    name: "trackroot_relayer_events_accepted_total",
    help: "EPCIS events (and handovers) durably stored",
    registers: [this.registry],
  });
  readonly duplicates = new Counter({
    name: "trackroot_relayer_duplicates_total",
    help: "Submissions already stored, answered with their existing id",
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: "trackroot_relayer_entries_rejected_total",
    help: "Submissions refused, by HTTP status",
    labelNames: ["route", "status"] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: "trackroot_relayer_queue_depth_events",
    help: "Events stored and not yet in a batch",
    registers: [this.registry],
  });
  readonly batchEvents = new Histogram({
    name: "trackroot_relayer_batch_events",
    help: "Events per batch built",
    buckets: [1, 10, 100, 1000, 5000, 10_000, 50_000],
    registers: [this.registry],
  });
  readonly commitLatency = new Histogram({
    name: "trackroot_relayer_commit_latency_seconds",
    help: "From a batch being built to the chain showing its commitment",
    buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  readonly chainErrors = new Counter({
    name: "trackroot_relayer_chain_errors_total",
    help: "Failed steps of the pipeline (chain, content store or database): retried, or halting it when permanent",
    labelNames: ["step"] as const,
    registers: [this.registry],
  });
  readonly halted = new Gauge({
    name: "trackroot_relayer_pipeline_halted",
    help: "1 when the pipeline stopped on a permanent fault (see /health and the fatal log), else 0",
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: "trackroot_relayer_http_request_duration_seconds",
    help: "HTTP request latency, by route and status",
    labelNames: ["route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: "trackroot_relayer_" });
  }
}

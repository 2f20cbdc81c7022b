import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** The gateway's Prometheus metrics, on a registry of its own. */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly acknowledged = new Counter({
    name: "trackroot_gateway_captures_acknowledged_total",
    help: "Captures stored in the outbox and answered 202",
    registers: [this.registry],
  });
  readonly acknowledgedEvents = new Counter({
    name: "trackroot_gateway_events_acknowledged_total",
    help: "EPCIS events in the captures acknowledged",
    registers: [this.registry],
  });
  readonly outbox = new Gauge({
    name: "trackroot_gateway_outbox_captures",
    help: "Captures in the outbox, by status (pending: to forward; forwarded: awaiting commitment)",
    labelNames: ["status"] as const,
    registers: [this.registry],
  });
  readonly requestDuration = new Histogram({
    name: "trackroot_gateway_request_duration_seconds",
    help: "HTTP request latency by route and status",
    labelNames: ["route", "status"] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry });
  }
}

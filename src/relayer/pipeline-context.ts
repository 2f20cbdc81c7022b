import type { Ledger } from "../chain/ledger";
import type { ContentStore } from "../content/content-store";
import type { BatchQueue } from "./batch-queue";
import type { RelayerMetrics } from "./metrics";
import type { RelayerStore } from "./relayer-store";

/** Boundaries between the pipeline's durable steps, named for crash tests and logs. */
export type PipelineStep = "batch.built" | "batch.published" | "tx.sent" | "commit.seen" | "batch.committed";

/** What the batcher, publisher, submitter and watcher share. */
export interface PipelineContext {
  store: RelayerStore;
  content: ContentStore;
  ledger: Ledger;
  queue: BatchQueue;
  /** the relayer's participant id (its key signs the commitments) */
  relayer: number;
  /** most entries per batch */
  maxEntries: number;
  /** most events per batch (an entry larger than this alone still makes a batch) */
  maxEvents: number;
  /** a transaction pending this long is sent again under its nonce with higher fees */
  replaceAfterMs: number;
  metrics?: RelayerMetrics;
  log: (event: string, detail: Record<string, unknown>) => void;
  now: () => number;
  /** called at each boundary, before what follows it is recorded (crash tests stop the process here) */
  onStep?: (step: PipelineStep, sequence: number) => void;
}

/** A capture job in the shape of the EPCIS 2.0 REST capture interface (GET /capture/{captureID}). */
export interface CaptureJob {
  captureID: string;
  createdAt: string;
  finishedAt?: string;
  running: boolean;
  success: boolean;
  captureErrorBehaviour: "rollback" | "proceed";
  errors: unknown[];
  /** trackroot's own: where the capture stands on its way to the chain */
  trackroot: {
    status: "pending" | "forwarded" | "committed" | "failed";
    /** the capture's id at the relayers once signed (its EIP-712 digest) */
    digest?: string;
    relayers: string[];
    receipt?: unknown;
  };
}

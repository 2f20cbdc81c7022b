/** Options every command sees (declared on the root program). */
export interface GlobalOptions {
  /** machine-readable output */
  json?: boolean;
  /** stack traces for unexpected errors */
  verbose?: boolean;
}

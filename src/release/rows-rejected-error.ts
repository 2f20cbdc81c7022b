import { ValidationError } from "../core/errors";
import type { RowProblem } from "../core/orders/erp-file";

/** An import refused as a whole: every problem of every row, found before anything was sent. */
export class RowsRejectedError extends ValidationError {
  constructor(
    readonly file: string,
    readonly problems: RowProblem[],
    rows: number,
  ) {
    super("file", file, `${new Set(problems.map((p) => p.line)).size} of ${rows} rows rejected, nothing sent`);
    this.message += "\n" + problems.map((p) => `  line ${p.line}: ${p.error.message}`).join("\n");
  }
}

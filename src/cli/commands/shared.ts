import { InvalidArgumentError } from "commander";
import type { CliContext } from "../context";

export type Options = Record<string, unknown>;

/** Prints a result: its JSON with --json, else the human line(s). */
export function emit(ctx: CliContext, value: unknown, human: string): void {
  if (ctx.json) ctx.io.out(JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
  else if (human !== "") ctx.io.out(human);
}

/** A commander parser for a positive integer option named `field`. */
export const positiveInt = (field: string) => (value: string) => {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError(`${field}: a positive integer (got ${JSON.stringify(value)})`);
  }
  return Number(value);
};

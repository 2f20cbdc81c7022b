import { readFile } from "node:fs/promises";
import { ValidationError } from "../core/errors";

/** Where a command writes: stdout for results, stderr for diagnostics. Tests capture both. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
};

/** Reads and parses a JSON file; a missing file or bad JSON is the user's error naming the file. */
export async function readJsonFile(path: string, field = "file"): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new ValidationError(field, path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ValidationError(field, path, `is not JSON: ${(e as Error).message}`);
  }
}

import { readFile, stat } from "node:fs/promises";
import { ValidationError } from "../core/errors";

/** Where a command writes: stdout for results, stderr for diagnostics. Tests capture both. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** replaces the terminal's status line (a progress bar); absent when stderr is not a terminal */
  status?(text: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(line + "\n"),
  err: (line) => process.stderr.write(line + "\n"),
  ...(process.stderr.isTTY ? { status: (text: string) => process.stderr.write(`\r\x1b[K${text}`) } : {}),
};

/** A text file named on the command line; a missing one is the user's error naming the option. */
export async function readText(path: string, field = "file"): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    throw new ValidationError(field, path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/** A binary file named on the command line, refused unread when it is over `maxBytes`. */
export async function readBytes(path: string, field: string, maxBytes: number): Promise<Uint8Array> {
  try {
    const { size } = await stat(path);
    if (size > maxBytes) throw new ValidationError(field, path, `is ${size} bytes, over the ${maxBytes} allowed`);
    return new Uint8Array(await readFile(path));
  } catch (e) {
    if (e instanceof ValidationError) throw e;
    throw new ValidationError(field, path, `cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
}

/** Reads and parses a JSON file; a missing file or bad JSON is the user's error naming the file. */
export async function readJsonFile(path: string, field = "file"): Promise<unknown> {
  const text = await readText(path, field);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ValidationError(field, path, `is not JSON: ${(e as Error).message}`);
  }
}

import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { ValidationError } from "../core/errors";

/**
 * <out>/release.json: how far a release got. Written last at each stage (after the files it
 * vouches for), atomically, so a re-run resumes from the last finished stage and never draws a
 * second set of codes for the same release.
 */
export const ReleaseStateSchema = z.object({
  version: z.literal(1),
  order: z.string().regex(/^\d+$/),
  gtin: z.string().regex(/^\d{14}$/),
  count: z.number().int().positive(),
  root: z.string().regex(/^0x[0-9a-f]{64}$/),
  stage: z.enum(["generated", "published", "released"]),
  leafCid: z.string().optional(),
  batch: z.string().optional(),
  transaction: z.string().optional(),
  block: z.number().int().optional(),
});
export type ReleaseState = z.infer<typeof ReleaseStateSchema>;

export const STATE_FILE = "release.json";

export async function readReleaseState(dir: string): Promise<ReleaseState | undefined> {
  const path = join(dir, STATE_FILE);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return undefined;
  }
  const parsed = ReleaseStateSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new ValidationError(
      `${STATE_FILE}.${parsed.error.issues[0].path.join(".")}`,
      path,
      parsed.error.issues[0].message,
    );
  }
  return parsed.data;
}

export async function writeReleaseState(dir: string, state: ReleaseState): Promise<void> {
  const path = join(dir, STATE_FILE);
  await writeFile(`${path}.tmp`, JSON.stringify(state, null, 2) + "\n");
  await rename(`${path}.tmp`, path);
}

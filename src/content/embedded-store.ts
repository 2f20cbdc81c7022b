import { mkdir, readFile, rename, writeFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { concatBytes } from "../core/bytes";
import { NotFoundError } from "../core/errors";
import type { ContentStore } from "./content-store";
import { importEsm } from "./esm";
import { importBytes, parseCid, verifyContent, type Blocks } from "./unixfs";

/** Whether something is at `path` (missing or unreadable: absent). */
const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

type Exporter = typeof import("ipfs-unixfs-exporter");

/**
 * The default content store: UnixFS blocks as files under `<dir>/blocks`, the same blocks and CIDs a
 * Kubo node makes, so publishing to IPFS later (or pinning the directory's CIDs) changes nothing.
 * Each block is written to a temporary name and renamed, so a crash never leaves a torn block.
 */
export class EmbeddedContentStore implements ContentStore {
  private readonly blocksDir: string;

  constructor(dir: string) {
    this.blocksDir = join(dir, "blocks");
  }

  async put(bytes: Uint8Array): Promise<string> {
    await mkdir(this.blocksDir, { recursive: true });
    return importBytes(bytes, this.blocks());
  }

  async get(cid: string): Promise<Uint8Array> {
    const canonical = await parseCid(cid);
    if (!(await this.has(canonical))) throw new NotFoundError(`no content ${canonical} in ${this.blocksDir}`);
    const { exporter } = await importEsm<Exporter>("ipfs-unixfs-exporter");
    const entry = await exporter(canonical, this.blocks() as never);
    const parts: Uint8Array[] = [];
    for await (const part of entry.content()) parts.push(part as Uint8Array);
    const bytes = concatBytes(parts);
    return verifyContent(canonical, bytes, `the embedded store (${this.blocksDir})`);
  }

  async has(cid: string): Promise<boolean> {
    return exists(this.pathOf(await parseCid(cid)));
  }

  private pathOf(cid: string): string {
    return join(this.blocksDir, cid);
  }

  private blocks(): Blocks {
    return {
      put: async (cid, bytes) => {
        const path = this.pathOf(String(cid));
        if (!(await exists(path))) {
          const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
          await writeFile(tmp, bytes);
          await rename(tmp, path);
        }
        return cid;
      },
      get: async (cid) => {
        try {
          return new Uint8Array(await readFile(this.pathOf(String(cid))));
        } catch {
          throw new NotFoundError(`block ${String(cid)} is missing from ${this.blocksDir}`);
        }
      },
      has: (cid) => exists(this.pathOf(String(cid))),
    };
  }
}

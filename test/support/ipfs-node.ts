import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./chain-node";
import { ROOT, startNodeProcess } from "./child-process";

/** A js-ipfs node (ipfs-core 0.18, the engine of ipfs@0.66) in its own process, offline, with a fresh repo. */
export async function startIpfsNode(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const repo = mkdtempSync(join(tmpdir(), "trackroot-ipfs-"));
  const node = await startNodeProcess({
    name: "ipfs node",
    args: [join(ROOT, "scripts", "ipfs-node.mjs"), repo, String(port)],
    ready: "ipfs api ready",
  });
  return { url: `http://127.0.0.1:${port}`, stop: node.stop };
}

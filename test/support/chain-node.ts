import { createServer } from "node:net";
import { join } from "node:path";
import { ROOT, startNodeProcess } from "./child-process";

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** A `hardhat node` in its own process (started by its binary path, so killing it stops it). */
export async function startHardhatNode(): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const cli = join(ROOT, "node_modules", "hardhat", "internal", "cli", "cli.js");
  const node = await startNodeProcess({
    name: "hardhat node",
    args: [cli, "node", "--hostname", "127.0.0.1", "--port", String(port)],
    ready: "Started HTTP and WebSocket JSON-RPC server",
  });
  return { url: `http://127.0.0.1:${port}`, pid: node.child.pid ?? 0, stop: node.stop };
}

/** anvil's binary from the npm package (started directly: killing an npx wrapper leaves the node running). */
export const ANVIL = join(ROOT, "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");

/** anvil on a free port, mining each transaction at once, hardhat's accounts and chain id 31337. */
export async function startAnvilNode(
  options: { extraArgs?: string[] } = {},
): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const node = await startNodeProcess({
    name: "anvil",
    command: ANVIL,
    args: ["--host", "127.0.0.1", "--port", String(port), "--chain-id", "31337", ...(options.extraArgs ?? [])],
    ready: "Listening on",
    timeoutMs: 30_000,
  });
  return { url: `http://127.0.0.1:${port}`, stop: node.stop };
}

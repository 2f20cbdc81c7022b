/**
 * `trackroot codes release --count N` end to end, as a brand runs it: a separate CLI process
 * against a separate `hardhat node`, content in the embedded store (or an IPFS node with --ipfs).
 * Prints the process's wall time, the release's own stage timings, peak RSS and the file sizes.
 *   npm run bench:release -- [--count 1000000] [--runs 3] [--ipfs]
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encryptKeystore } from "../../src/chain/keystore";
import { runCli } from "../../src/cli/main";
import { startHardhatNode } from "../../test/support/chain-node";
import { ROOT } from "../../test/support/child-process";
import { startIpfsNode } from "../../test/support/ipfs-node";

const DEPLOYER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const GTIN = "10614141073464";

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

async function main() {
  const count = arg("--count", 1_000_000);
  const runs = arg("--runs", 3);
  const useIpfs = process.argv.includes("--ipfs");
  const node = await startHardhatNode();
  const ipfs = useIpfs
    ? await startIpfsNode().catch(async (e: unknown) => {
        await node.stop();
        throw e;
      })
    : undefined;
  const dir = mkdtempSync(join(tmpdir(), "trackroot-bench-release-"));
  try {
    writeFileSync(join(dir, "brand.keystore.json"), await encryptKeystore(DEPLOYER_KEY, "bench", 1024));
    const env: Record<string, string> = {
      TRACKROOT_RPC_URL: node.url,
      TRACKROOT_KEYSTORE: "brand.keystore.json",
      TRACKROOT_KEYSTORE_PASSWORD: "bench",
      TRACKROOT_DATA_DIR: "data",
      TRACKROOT_DEPLOYMENTS_DIR: "deployments",
      ...(ipfs ? { TRACKROOT_IPFS_API_URL: ipfs.url } : {}),
    };
    const cli = async (...argv: string[]) => {
      const err: string[] = [];
      const code = await runCli(argv, { io: { out: () => undefined, err: (l) => err.push(l) }, env, cwd: dir });
      if (code !== 0) throw new Error(`${argv.join(" ")}: ${err.join("\n")}`);
    };
    await cli("deploy");
    await cli("participant", "add", "--kind", "brand", "--gln", "0614141000005", "--name", "Acme", "--key", DEPLOYER);
    await cli("prefix", "assign", "--prefix", "0614141", "--brand", "1");
    console.log(`codes release --count ${count}, ${runs} runs, content: ${ipfs ? "js-ipfs node" : "embedded store"}`);
    console.log(
      "| run | wall ms (process) | release ms | generate | write | publish | chain | peak RSS | codes.csv | tree.json | leaves.bin |",
    );
    console.log("|---|---|---|---|---|---|---|---|---|---|---|");
    const walls: number[] = [];
    for (let run = 1; run <= runs; run++) {
      await cli("order", "create", "--gtin", GTIN, "--quantity", String(count), "--lot", `B${run}`);
      const out = join(dir, `release-${run}`);
      const started = performance.now();
      // /usr/bin/time -v is not on every machine: the child reports its own peak RSS
      const child = spawnSync(
        process.execPath,
        [
          "-e",
          `process.on("exit",()=>process.stderr.write("maxrss "+process.resourceUsage().maxRSS+"\\n"));process.argv.splice(1,0,"trackroot");require(${JSON.stringify(join(ROOT, "bin", "trackroot.js"))})`,
          "--",
          "--json",
          "codes",
          "release",
          "--order",
          String(run),
          "--count",
          String(count),
          "--out",
          out,
        ],
        { cwd: dir, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 1 << 26 },
      );
      const wall = performance.now() - started;
      if (child.status !== 0) throw new Error(`release failed: ${child.stderr}`);
      const result = JSON.parse(child.stdout.trim().split("\n").pop()!);
      const rss = Number(/maxrss (\d+)/.exec(child.stderr)?.[1] ?? 0) / 1024;
      const t = result.timings as Record<string, number>;
      const size = (f: string) => `${(statSync(join(out, f)).size / 1048576).toFixed(1)} MiB`;
      walls.push(wall);
      console.log(
        `| ${run} | ${wall.toFixed(0)} | ${result.ms.toFixed(0)} | ${t.generate.toFixed(0)} | ${t.write.toFixed(0)} | ${t.publish.toFixed(0)} | ${t.release.toFixed(0)} | ${rss.toFixed(0)} MiB | ${size("codes.csv")} | ${size("tree.json")} | ${size("leaves.bin")} |`,
      );
      rmSync(out, { recursive: true, force: true });
    }
    walls.sort((a, b) => a - b);
    console.log(`median wall time ${walls[walls.length >> 1].toFixed(0)} ms (target <= 10,000 ms)`);
  } finally {
    await Promise.all([node.stop(), ipfs?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

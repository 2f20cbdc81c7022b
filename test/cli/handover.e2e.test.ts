import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import type { Hex } from "viem";
import { encryptKeystore } from "../../src/chain/keystore";
import { Ledger } from "../../src/chain/ledger";
import { RelayerClient } from "../../src/client/relayer-client";
import { EmbeddedContentStore } from "../../src/content/embedded-store";
import { verifyCommitmentContent } from "../../src/core/custody/commitment-content";
import { signedReadHeaders } from "../../src/client/signed-read";
import { runCli } from "../../src/cli/main";
import { startHardhatNode } from "../support/chain-node";
import { ENGINES } from "../support/databases";
import { unit } from "../support/captures";
import { cliIn, KEYS, RELAYER_ID, setupRelayerLedger, type RelayerLedger } from "../support/relayer-ledger";
import { startRelayerProcess, type RelayerProcess } from "../support/relayer-process";

/** a second device of the pharmacy's dock, and a custodian that is party to nothing here */
const DOCK_DEVICE = "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356" as Hex;
const BYSTANDER = "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97" as Hex;
const PHARMACY_GLN = "0614141000029";

for (const engine of ENGINES)
  describe(`e2e: trackroot handover, two companies on two machines through the relayer's mailbox (${engine.name})`, function () {
    this.timeout(240_000);
    const dir = mkdtempSync(join(tmpdir(), "trackroot-cli-handover-"));
    let node: Awaited<ReturnType<typeof startHardhatNode>>;
    let chain: RelayerLedger;
    let relayer: RelayerProcess;

    /** The relayer's database: a SQLite file, or a PostgreSQL schema of its own. */
    async function relayerDb(): Promise<Record<string, string>> {
      const o = await engine.options();
      return o.url ? { DATABASE_URL: o.url } : { TRACKROOT_RELAYER_DB: join(dir, "relayer.sqlite") };
    }

    before(async () => {
      node = await startHardhatNode();
      chain = await setupRelayerLedger(node.url, dir);
      const dock = privateKeyToAccount(DOCK_DEVICE).address;
      await cliIn(dir, node.url, ["key", "add", "--participant", "3", "--key", dock]);
      await cliIn(dir, node.url, [
        "participant",
        "add",
        "--kind",
        "custodian",
        "--gln",
        "0614141000043",
        "--name",
        "Bystander Logistics",
        "--key",
        privateKeyToAccount(BYSTANDER).address,
      ]);
      for (const [name, key] of [
        ["custodian", KEYS.custodian],
        ["pharmacy", KEYS.pharmacy],
        ["dock", DOCK_DEVICE],
        ["bystander", BYSTANDER],
      ] as const) {
        writeFileSync(join(dir, `${name}.json`), await encryptKeystore(key, "pw", 1024));
      }
      relayer = await startRelayerProcess({
        rpcUrl: node.url,
        chain,
        contentDir: join(dir, "content"),
        env: {
          ...(await relayerDb()),
          TRACKROOT_BATCH_MAX_WAIT_MS: "100",
        },
      });
    });
    after(async () => {
      await relayer?.stop();
      await node?.stop();
    });

    async function cli(keystore: string, ...argv: string[]) {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(["--json", ...argv], {
        io: { out: (l) => out.push(l), err: (l) => err.push(l) },
        env: {
          TRACKROOT_RPC_URL: node.url,
          TRACKROOT_KEYSTORE: `${keystore}.json`,
          TRACKROOT_KEYSTORE_PASSWORD: "pw",
          TRACKROOT_DEPLOYMENTS_DIR: "deployments",
          TRACKROOT_RELAYER_URL: relayer.url,
        },
        cwd: dir,
      });
      const text = out.join("\n");
      return { code, json: text ? JSON.parse(text) : undefined, err: err.join("\n") };
    }
    let shipments = 0;
    /** The custodian proposes `items` to the pharmacy; resolves with the proposal id. */
    async function propose(items: string[], ...extra: string[]): Promise<string> {
      const file = `items-${++shipments}.txt`;
      writeFileSync(join(dir, file), items.join("\n") + "\n");
      const r = await cli(
        "custodian",
        "handover",
        "propose",
        "--to",
        PHARMACY_GLN,
        "--items",
        file,
        "--shipment",
        `DESADV-${shipments}`,
        ...extra,
      );
      expect(r.code, r.err).to.equal(0);
      expect(r.json.status).to.equal("proposed");
      return r.json.id;
    }
    const file = (name: string, items: string[]) => {
      writeFileSync(join(dir, name), JSON.stringify(items));
      return name;
    };

    it("lists a proposal in the receiver's inbox, accepted from another device of the receiver, then committed", async () => {
      const items = [unit("H1"), unit("H2")];
      const id = await propose(items);
      const inbox = await cli("pharmacy", "handover", "inbox");
      expect(inbox.json.proposals.map((p: { id: string }) => p.id)).to.include(id);
      const shown = await cli("dock", "handover", "show", id);
      expect(shown.json.proposal.items).to.deep.equal(items);
      // counted at the dock: the same two units, in another order and as EPC URNs for one
      const accepted = await cli(
        "dock",
        "handover",
        "accept",
        id,
        "--received",
        file("counted.json", ["urn:epc:id:sgtin:0614141.107346.H2", unit("H1")]),
      );
      expect(accepted.code, accepted.err).to.equal(0);
      expect(accepted.json).to.include({ status: "accepted", captureID: id });
      await new RelayerClient({ url: relayer.url }).waitCommitted([id], { timeoutMs: 30_000 });
      // the published content holds it as a valid format-3 handover from participant 1 to participant 3
      const ledger = new Ledger({ rpcUrl: node.url, deployment: chain.deployment });
      const [head] = await ledger.commitmentLog.read.head([RELAYER_ID]);
      const c = await ledger.commitmentLog.read.commitment([RELAYER_ID, head]);
      const verdict = await verifyCommitmentContent(
        await new EmbeddedContentStore(join(dir, "content")).get(c.contentCid),
        {
          chainId: 31337,
          commitmentLog: ledger.commitmentLog.address,
          relayer: RELAYER_ID,
          sequence: Number(head),
          root: c.root,
          eventCount: c.eventCount,
        },
        async (key) => {
          const [participant, kind, active] = await ledger.registry.read.keyStanding([key]);
          return { participant, kind, active };
        },
      );
      const entry = verdict.entries.find((e) => e.digest === id);
      expect(entry).to.deep.include({ valid: true, sender: 1, receiver: 3, items });
      expect(entry?.kind === "handover" && entry.receiverKey).to.equal(privateKeyToAccount(DOCK_DEVICE).address);
      // and the sender sees what became of it
      const sent = await cli("custodian", "handover", "inbox", "--sent", "--status", "accepted");
      expect(sent.json.proposals.map((p: { id: string }) => p.id)).to.include(id);
    });

    it("shows the sender a rejection with its reason", async () => {
      const id = await propose([unit("H3")]);
      const r = await cli("pharmacy", "handover", "reject", id, "--reason", "pallet wrapped open, seal 4471 broken");
      expect(r.code, r.err).to.equal(0);
      const sent = await cli("custodian", "handover", "show", id);
      expect(sent.json).to.include({ status: "rejected", reason: "pallet wrapped open, seal 4471 broken" });
    });

    it("lets no third party read the inbox, see a proposal, or accept it", async () => {
      const id = await propose([unit("H4")]);
      const show = await cli("bystander", "handover", "show", id);
      expect(show.code).to.equal(1);
      expect(show.err).to.match(/403/);
      const accept = await cli("bystander", "handover", "accept", id);
      expect(accept.code).to.equal(1);
      // the pharmacy's inbox by its id, asked by another participant's key
      const path = "/handovers/proposals?to=3";
      const headers = await signedReadHeaders({
        account: privateKeyToAccount(BYSTANDER),
        service: "trackroot-relayer",
        path,
      });
      expect((await fetch(new URL(path, relayer.url), { headers })).status).to.equal(403);
      expect((await fetch(new URL("/handovers/proposals?to=me", relayer.url))).status).to.equal(401);
      expect((await cli("pharmacy", "handover", "show", id)).json.status).to.equal("proposed");
    });

    it("refuses an accept after the deadline, and one after a withdraw", async () => {
      const late = await propose([unit("H5")], "--deadline", String(Math.floor(Date.now() / 1000) + 3));
      await new Promise((r) => setTimeout(r, 4000));
      const expired = await cli("pharmacy", "handover", "accept", late);
      expect(expired.code).to.equal(1);
      expect(expired.err).to.match(/409.*expired/);
      expect((await cli("pharmacy", "handover", "show", late)).json.status).to.equal("expired");

      const id = await propose([unit("H6")]);
      const withdrawn = await cli("custodian", "handover", "withdraw", id, "--reason", "wrong truck");
      expect(withdrawn.code, withdrawn.err).to.equal(0);
      const after = await cli("pharmacy", "handover", "accept", id);
      expect(after.code).to.equal(1);
      expect(after.err).to.match(/409.*withdrawn/);
    });

    it("refuses an accept whose received items differ, naming the missing and the extra ones", async () => {
      const id = await propose([unit("H7"), unit("H8")]);
      const r = await cli(
        "pharmacy",
        "handover",
        "accept",
        id,
        "--received",
        file("short.json", [unit("H7"), unit("H9")]),
      );
      expect(r.code).to.equal(1);
      expect(r.err).to.include("received").and.include(unit("H8")).and.include(unit("H9"));
      expect((await cli("pharmacy", "handover", "show", id)).json.status).to.equal("proposed");
    });

    it("serves a signed accept or inbox request once: a replay is refused", async () => {
      const path = "/handovers/proposals?to=me";
      const pharmacy = privateKeyToAccount(KEYS.pharmacy);
      const headers = await signedReadHeaders({ account: pharmacy, service: "trackroot-relayer", path });
      expect((await fetch(new URL(path, relayer.url), { headers })).status).to.equal(200);
      expect((await fetch(new URL(path, relayer.url), { headers })).status).to.equal(401);

      const id = await propose([unit("H10")]);
      // a reject signed once, sent twice: the second finds the signature used
      const rejectPath = `/handovers/proposals/${id}/reject`;
      const body = new TextEncoder().encode(JSON.stringify({ reason: "not ours" }));
      const signed = await signedReadHeaders({
        account: pharmacy,
        service: "trackroot-relayer",
        method: "POST",
        path: rejectPath,
        body,
      });
      const send = (b: Uint8Array) =>
        fetch(new URL(rejectPath, relayer.url), {
          method: "POST",
          headers: { ...signed, "content-type": "application/json" },
          body: Buffer.from(b),
        });
      // the same headers over another body do not verify: the body is signed
      expect((await send(new TextEncoder().encode(JSON.stringify({ reason: "changed" })))).status).to.equal(401);
      expect((await send(body)).status).to.equal(200);
      expect((await send(body)).status).to.equal(401);
    });
  });

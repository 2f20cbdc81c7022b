import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ledger } from "../../src/chain/ledger";
import { encryptKeystore } from "../../src/chain/keystore";
import { runCli } from "../../src/cli/main";
import { EmbeddedContentStore } from "../../src/content/embedded-store";
import { startHardhatNode } from "../support/chain-node";
import { epcisDocument, objectEvent } from "../support/captures";
import { KEYS, RELAYER_ID, setupRelayerLedger, type RelayerLedger } from "../support/relayer-ledger";
import { startRelayerProcess, type RelayerProcess } from "../support/relayer-process";

describe("e2e: trackroot capture signs a document with the participant's keystore and sends it to the relayer", function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), "trackroot-cli-capture-"));
  const contentDir = join(dir, "content");
  let node: Awaited<ReturnType<typeof startHardhatNode>>;
  let chain: RelayerLedger;
  let relayer: RelayerProcess;

  before(async () => {
    node = await startHardhatNode();
    chain = await setupRelayerLedger(node.url, dir);
    writeFileSync(join(dir, "custodian.json"), await encryptKeystore(KEYS.custodian, "pw", 1024));
    writeFileSync(join(dir, "auditor.json"), await encryptKeystore(KEYS.auditor, "pw", 1024));
    relayer = await startRelayerProcess({
      rpcUrl: node.url,
      chain,
      contentDir,
      env: { TRACKROOT_RELAYER_DB: join(dir, "relayer.sqlite"), TRACKROOT_BATCH_MAX_WAIT_MS: "100" },
    });
  });
  after(async () => {
    await relayer?.stop();
    await node?.stop();
  });

  async function cli(argv: string[], keystore = "custodian.json", relayerUrl = relayer.url) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, {
      io: { out: (l) => out.push(l), err: (l) => err.push(l) },
      env: {
        TRACKROOT_RPC_URL: node.url,
        TRACKROOT_KEYSTORE: keystore,
        TRACKROOT_KEYSTORE_PASSWORD: "pw",
        TRACKROOT_DEPLOYMENTS_DIR: "deployments",
        TRACKROOT_RELAYER_URL: relayerUrl,
      },
      cwd: dir,
    });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return name;
  };

  it("captures a document and waits until it is committed, and the relayer publishes the file's exact text", async () => {
    // spacing no serializer would write: the published content must carry these very bytes
    const text = JSON.stringify(epcisDocument([objectEvent(["CLI1"]), objectEvent(["CLI2"])]), null, 3).replace(
      /"action": "OBSERVE"/g,
      '"action"  :   "OBSERVE"',
    );
    const r = await cli(["capture", file("doc.json", text), "--wait"]);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.match(/^0x[0-9a-f]{64} committed in batch \d+, block \d+, transaction 0x[0-9a-f]{64}$/);
    const ledger = new Ledger({ rpcUrl: node.url, deployment: chain.deployment });
    const [head] = await ledger.commitmentLog.read.head([RELAYER_ID]);
    const c = await ledger.commitmentLog.read.commitment([RELAYER_ID, head]);
    const published = new TextDecoder().decode(await new EmbeddedContentStore(contentDir).get(c.contentCid));
    expect(published).to.include(`"document":${text.trim()}`);
  });

  it("prints the capture id and its status as JSON, and reads the status back by id", async () => {
    const r = await cli([
      "--json",
      "capture",
      file("doc2.json", JSON.stringify(epcisDocument([objectEvent(["CLI3"])]))),
    ]);
    expect(r.code, r.err).to.equal(0);
    const ack = JSON.parse(r.out) as { captureID: string; duplicate: boolean; status: string };
    expect(ack).to.include({ duplicate: false, status: "queued" });
    const status = await cli(["--json", "capture", "status", ack.captureID]);
    expect(status.code, status.err).to.equal(0);
    expect(JSON.parse(status.out).captureID).to.equal(ack.captureID);
  });

  const refusals: {
    name: string;
    argv: () => string[];
    keystore?: string;
    relayerUrl?: string;
    code: number;
    err: RegExp;
  }[] = [
    {
      name: "a document signed with the auditor's keystore (auditors record nothing)",
      argv: () => ["capture", file("doc3.json", JSON.stringify(epcisDocument([objectEvent(["CLI4"])])))],
      keystore: "auditor.json",
      code: 1,
      err: /relayer refused POST \/capture \(403\): submitter: .* \(auditor\); relayer and auditor keys record nothing/,
    },
    {
      name: "a document naming a member twice, before anything is sent",
      argv: () => ["capture", file("dup.json", '{"type":"EPCISDocument","type":"x"}')],
      code: 1,
      err: /\/type: is given twice in one object/,
    },
    {
      name: "a schema-invalid event, with the relayer's pointer",
      argv: () => [
        "capture",
        file("bad.json", JSON.stringify(epcisDocument([{ ...objectEvent(["CLI5"]), eventTime: "yesterday" }]))),
      ],
      code: 1,
      err: /relayer refused POST \/capture \(400\): .*eventTime/,
    },
    {
      name: "no file",
      argv: () => ["capture"],
      code: 1,
      err: /file: give the EPCIS document to capture/,
    },
    {
      name: "a relayer that cannot be reached",
      argv: () => ["capture", file("doc4.json", JSON.stringify(epcisDocument([objectEvent(["CLI6"])])))],
      relayerUrl: "http://127.0.0.1:9",
      code: 2,
      err: /the relayer at http:\/\/127\.0\.0\.1:9 cannot be reached/,
    },
    {
      name: "a malformed capture id",
      argv: () => ["capture", "status", "0x12"],
      code: 1,
      err: /id: must be 0x \+ 64 hex digits/,
    },
  ];
  for (const r of refusals) {
    it(`exits ${r.code} for ${r.name}, saying why`, async () => {
      const out = await cli(r.argv(), r.keystore, r.relayerUrl);
      expect(out.code, out.err + out.out).to.equal(r.code);
      expect(out.err).to.match(r.err);
    });
  }
});

import { expect } from "chai";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { runCli } from "../../src/cli/main";
import { encryptKeystore } from "../../src/chain/keystore";
import { readDeployment } from "../../src/chain/deployment";
import { Ledger } from "../../src/chain/ledger";
import { IpfsContentStore } from "../../src/content/ipfs-store";
import { decodeLeafFile } from "../../src/core/merkle/leaf-file";
import { startHardhatNode } from "../support/chain-node";
import { ROOT } from "../support/child-process";
import { startIpfsNode } from "../support/ipfs-node";
import productVector from "../vectors/product-record.json";

// hardhat node's first account: the deployer, governor and (after `participant add --key`) the brand's key
const DEPLOYER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const GTIN = "10614141073464";

describe("e2e: a brand's release through the trackroot CLI against a separate hardhat node and IPFS node", function () {
  this.timeout(300_000);
  let node: Awaited<ReturnType<typeof startHardhatNode>>;
  let ipfs: Awaited<ReturnType<typeof startIpfsNode>>;
  const dir = mkdtempSync(join(tmpdir(), "trackroot-e2e-"));
  let env: Record<string, string>;

  const ledgerOf = () => new Ledger({ rpcUrl: node.url, deployment: readDeploymentSync() });
  const readDeploymentSync = () => JSON.parse(readFileSync(join(dir, "deployments", "31337.json"), "utf8"));

  async function cli(...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { io: { out: (l) => out.push(l), err: (l) => err.push(l) }, env, cwd: dir });
    return { code, out, err, json: () => JSON.parse(out[out.length - 1]) };
  }

  before(async () => {
    [node, ipfs] = await Promise.all([startHardhatNode(), startIpfsNode()]);
    writeFileSync(join(dir, "brand.keystore.json"), await encryptKeystore(DEPLOYER_KEY, "correct horse", 1024));
    env = {
      TRACKROOT_RPC_URL: node.url,
      TRACKROOT_KEYSTORE: "brand.keystore.json",
      TRACKROOT_KEYSTORE_PASSWORD: "correct horse",
      TRACKROOT_DATA_DIR: "data",
      TRACKROOT_DEPLOYMENTS_DIR: "deployments",
      TRACKROOT_LINK_ORIGIN: "https://id.acme.example",
      TRACKROOT_IPFS_API_URL: ipfs.url,
    };
    for (const argv of [
      ["deploy"],
      ["participant", "add", "--kind", "brand", "--gln", "0614141000005", "--name", "Acme", "--key", DEPLOYER],
      ["prefix", "assign", "--prefix", "0614141", "--brand", "1"],
      [
        "order",
        "create",
        "--gtin",
        GTIN,
        "--quantity",
        "10000",
        "--lot",
        "L42",
        "--expiry",
        "2027-06-30",
        "--erp-ref",
        "PO-1",
      ],
    ]) {
      const r = await cli(...argv);
      expect(r.code, `${argv.join(" ")}: ${r.err.join("\n")}`).to.equal(0);
    }
  });
  after(async () => Promise.all([node?.stop(), ipfs?.stop()]));

  it("releases 10,000 codes whose root, leaf file and codes all check out on-chain", async () => {
    const out = join(dir, "release-1");
    const r = await cli("--json", "codes", "release", "--order", "1", "--count", "10000", "--out", out);
    expect(r.code, r.err.join("\n")).to.equal(0);
    const result = r.json();
    expect(result).to.include({ stage: "released", count: 10000, batch: "1", resumed: false });

    const deployment = await readDeployment(join(dir, "deployments", "31337.json"));
    const ledger = new Ledger({ rpcUrl: node.url, deployment });
    const batch = await ledger.serials.read.batch([1n]);
    expect(batch.root).to.equal(result.root);
    expect(batch.count).to.equal(10000n);
    expect(batch.contentCid).to.equal(result.leafCid);

    // the leaf file resolves by its CID on the IPFS node and recomputes the root
    const leafFile = await new IpfsContentStore({ url: ipfs.url }).get(batch.contentCid);
    expect(decodeLeafFile(leafFile).root).to.equal(batch.root);

    // codes.csv: one line per code, Digital Links on the brand's origin with the lot
    const lines = readFileSync(join(out, "codes.csv"), "utf8").trim().split("\n");
    expect(lines[0]).to.equal("gtin,serial,url");
    expect(lines).to.have.length(10001);
    const [gtin, serial, url] = lines[1].split(",");
    expect(gtin).to.equal(GTIN);
    expect(url).to.equal(`https://id.acme.example/01/${GTIN}/10/L42/21/${serial}`);

    // the tree dump loads in @openzeppelin/merkle-tree; a sample of codes verifies on-chain
    const tree = StandardMerkleTree.load(JSON.parse(readFileSync(join(out, "tree.json"), "utf8")));
    expect(tree.root).to.equal(batch.root);
    for (const i of [1, 2, 777, 5000, 10000]) {
      const s = lines[i].split(",")[1];
      const proof = tree.getProof(i - 1);
      expect(
        await ledger.serials.read.verifyCode([1n, BigInt(GTIN), s, proof as `0x${string}`[]]),
        `code ${i}`,
      ).to.equal(true);
    }
    expect(
      await ledger.serials.read.verifyCode([1n, BigInt(GTIN), "NOTACODE123", tree.getProof(0) as `0x${string}`[]]),
    ).to.equal(false);
  });

  it("refuses to release past the plan before generating anything", async () => {
    const out = join(dir, "release-past-plan");
    const r = await cli("codes", "release", "--order", "1", "--count", "1", "--out", out);
    expect(r.code).to.equal(1);
    expect(r.err.join("\n")).to.match(/order 1 has 0 of 10000 codes left; 1 requested/);
    expect(existsSync(join(out, "codes.csv"))).to.equal(false);
  });

  it("resumes an interrupted release with the same codes, never drawing a second set", async () => {
    expect((await cli("order", "create", "--gtin", GTIN, "--quantity", "500", "--lot", "L43")).code).to.equal(0);
    const out = join(dir, "release-2");
    const first = await cli(
      "--json",
      "codes",
      "release",
      "--order",
      "2",
      "--count",
      "500",
      "--out",
      out,
      "--stop-after",
      "generate",
    );
    expect(first.code, first.err.join("\n")).to.equal(0);
    expect(first.json()).to.include({ stage: "generated" });
    const codes = readFileSync(join(out, "codes.csv"), "utf8");
    const second = await cli("--json", "codes", "release", "--order", "2", "--count", "500", "--out", out);
    expect(second.code, second.err.join("\n")).to.equal(0);
    expect(second.json()).to.include({ stage: "released", resumed: true, root: first.json().root });
    expect(readFileSync(join(out, "codes.csv"), "utf8")).to.equal(codes);
    const shown = await cli("--json", "order", "show", "2");
    expect(shown.json()).to.include({ planned: "500", released: "500", remaining: "0" });
    expect(shown.json().batches).to.have.length(1);
  });

  it("names the field for a wrong keystore password", async () => {
    const saved = env.TRACKROOT_KEYSTORE_PASSWORD;
    env.TRACKROOT_KEYSTORE_PASSWORD = "wrong";
    const r = await cli("order", "create", "--gtin", GTIN, "--quantity", "5", "--lot", "L1");
    env.TRACKROOT_KEYSTORE_PASSWORD = saved;
    expect(r.code).to.equal(1);
    expect(r.err.join("\n")).to.match(/keystorePassword: does not decrypt/);
  });

  it("refuses an order for a GTIN under another brand's prefix, naming the owner", async () => {
    const other = await cli("participant", "add", "--kind", "brand", "--gln", "0012345000010", "--name", "Other");
    expect(other.code, other.err.join("\n")).to.equal(0);
    expect((await cli("prefix", "assign", "--prefix", "0012345", "--brand", "2")).code).to.equal(0);
    const r = await cli("order", "create", "--gtin", "00012345678905", "--quantity", "5", "--lot", "L1");
    expect(r.code).to.equal(1);
    expect(r.err.join("\n")).to.match(/gtin: its company prefix belongs to participant 2, not 1/);
    const unowned = await cli("order", "create", "--gtin", "00099999999990", "--quantity", "5", "--lot", "L1");
    expect(unowned.err.join("\n")).to.match(/gtin: no brand holds its company prefix/);
  });

  it("imports an ERP file only once every row is right, and a re-import opens nothing twice", async () => {
    const before = (await cli("--json", "order", "show", "2")).code;
    expect(before).to.equal(0);
    const rows = [
      "erp_ref,gtin,quantity,lot,expiry,producer,description",
      `PO-10,${GTIN},100,L10,2027-01-31,,fine`,
      `PO-11,${GTIN.slice(0, -1)}5,100,L11,,,check digit`,
      `PO-12,${GTIN},0,L12,,,zero`,
      `PO-13,${GTIN},100,L13,2027-02-30,,no such day`,
      `PO-14,${GTIN},100,L14,,0614141999996,unknown producer GLN`,
      `PO-15,00012345678905,100,L15,,,another brand's GTIN`,
      `PO-1,${GTIN},100,L16,,,already opened by order create`,
    ];
    writeFileSync(join(dir, "erp-bad.csv"), rows.join("\n"));
    const bad = await cli("order", "import", "erp-bad.csv");
    expect(bad.code).to.equal(1);
    const message = bad.err.join("\n");
    expect(message).to.match(/5 of 7 rows rejected, nothing sent/);
    for (const expected of [
      /line 3: gtin: check digit should be 4/,
      /line 4: quantity: must be greater than 0/,
      /line 5: expiry: not a day of 2027-02/,
      /line 6: producer: no participant has this GLN/,
      /line 7: gtin: its company prefix belongs to participant 2/,
    ]) {
      expect(message).to.match(expected);
    }
    const [orders] = await ledgerOf().serials.read.counts();
    expect(orders).to.equal(2n, "nothing was opened");

    writeFileSync(join(dir, "erp.csv"), [rows[0], rows[1], `PO-16,${GTIN},50,L16,271231,1,`, rows[7]].join("\n"));
    const good = await cli("--json", "order", "import", "erp.csv");
    expect(good.code, good.err.join("\n")).to.equal(0);
    expect(good.json().opened.map((o: { line: number; order: string }) => [o.line, o.order])).to.deep.equal([
      [2, "3"],
      [3, "4"],
    ]);
    expect(good.json().existing).to.deep.equal([{ line: 4, erpRef: "PO-1", order: "1" }]);
    expect(good.json().ignoredColumns).to.deep.equal(["description"]);
    const shown = (await cli("--json", "order", "show", "4")).json();
    expect(shown).to.include({ planned: "50", lot: "L16", expiry: 20271231 });

    const again = await cli("--json", "order", "import", "erp.csv");
    expect(again.code).to.equal(0);
    expect(again.json().opened).to.deep.equal([]);
    expect(again.json().existing.map((o: { order: string }) => o.order)).to.deep.equal(["3", "4", "1"]);
    expect((await ledgerOf().serials.read.counts())[0]).to.equal(4n);
  });

  it("finishes a release killed by a signal mid-way with the same codes", async () => {
    const out = join(dir, "release-killed");
    const child = spawn(
      process.execPath,
      [join(ROOT, "bin", "trackroot.js"), "codes", "release", "--order", "3", "--count", "100", "--out", out],
      { cwd: dir, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    // the moment the codes are generated and written, and before the leaf file is published
    await new Promise<void>((resolve, reject) => {
      let err = "";
      child.stderr.on("data", (d: Buffer) => {
        err += d.toString();
        if (err.includes("publish:")) {
          child.kill("SIGKILL");
          resolve();
        }
      });
      child.on("exit", () => reject(new Error(`the release ended before it could be killed: ${err}`)));
    });
    await new Promise((resolve) => child.once("exit", resolve));
    expect(child.signalCode).to.equal("SIGKILL");
    const interrupted = JSON.parse(readFileSync(join(out, "release.json"), "utf8"));
    expect(interrupted.stage).to.be.oneOf(["generated", "published"]);
    const codes = readFileSync(join(out, "codes.csv"), "utf8");
    expect(existsSync(join(out, "codes.csv.tmp"))).to.equal(false);

    const rerun = await cli("--json", "codes", "release", "--order", "3", "--count", "100", "--out", out);
    expect(rerun.code, rerun.err.join("\n")).to.equal(0);
    expect(rerun.json()).to.include({ stage: "released", resumed: true, root: interrupted.root });
    expect(readFileSync(join(out, "codes.csv"), "utf8")).to.equal(codes);
    expect((await cli("--json", "order", "show", "3")).json()).to.include({ released: "100", remaining: "0" });
  });

  it("writes a QR label per code when asked, resuming a finished release to add them", async () => {
    const out = join(dir, "release-labels");
    const r = await cli("--json", "codes", "release", "--order", "4", "--count", "12", "--out", out, "--labels", "svg");
    expect(r.code, r.err.join("\n")).to.equal(0);
    const serials = readFileSync(join(out, "codes.csv"), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",")[1]);
    expect(readdirSync(join(out, "labels")).sort()).to.deep.equal(serials.map((s) => `${s}.svg`).sort());
    const svg = readFileSync(join(out, "labels", `${serials[0]}.svg`), "utf8");
    expect(svg).to.match(/^<svg[^>]*viewBox/);
    expect(svg).to.include(`(21) ${serials[0]}`);
    const png = await cli("codes", "release", "--order", "4", "--count", "12", "--out", out, "--labels", "png");
    expect(png.code, png.err.join("\n")).to.equal(0);
    const file = readFileSync(join(out, "labels", `${serials[0]}.png`));
    expect(file.subarray(1, 4).toString()).to.equal("PNG");
    const bad = await cli("codes", "release", "--order", "4", "--count", "12", "--out", out, "--labels", "pdf");
    expect(bad.code).to.equal(1);
    expect(bad.err.join("\n")).to.match(/labels: one of svg, png/);
    // the labels on printable A4 sheets too: a whole PDF, one page for twelve labels
    const sheet = await cli(
      "codes",
      "release",
      "--order",
      "4",
      "--count",
      "12",
      "--out",
      out,
      "--labels",
      "datamatrix",
      "--sheet",
    );
    expect(sheet.code, sheet.err.join("\n")).to.equal(0);
    const pdf = readFileSync(join(out, "labels.pdf"), "latin1");
    expect(pdf.startsWith("%PDF-1.4")).to.equal(true);
    expect(pdf.trimEnd().endsWith("%%EOF")).to.equal(true);
    expect(pdf).to.include("/Count 1");
    const alone = await cli("codes", "release", "--order", "4", "--count", "12", "--out", out, "--sheet");
    expect(alone.code).to.equal(1);
    expect(alone.err.join("\n")).to.include("sheet").and.include("takes --labels");
  });

  it("voids listed codes of a batch once, refusing strangers and repeats line by line", async () => {
    const lines = readFileSync(join(dir, "release-1", "codes.csv"), "utf8")
      .trim()
      .split("\n");
    writeFileSync(join(dir, "void.csv"), [lines[0], lines[5], lines[6], lines[7]].join("\n"));
    const r = await cli(
      "--json",
      "codes",
      "void",
      "--batch",
      "1",
      "--codes",
      "void.csv",
      "--reason",
      "misprinted roll",
    );
    expect(r.code, r.err.join("\n")).to.equal(0);
    expect(r.json()).to.include({ count: 3, batch: "1" });
    const ledger = ledgerOf();
    expect((await ledger.serials.read.batch([1n])).voided).to.equal(3n);
    expect((await ledger.serials.read.order([1n])).voided).to.equal(3n);

    // a Digital Link scanned off a label, a code voided before and a serial the batch never had
    const url = lines[6].split(",")[2];
    writeFileSync(join(dir, "void-2.txt"), [lines[8].split(",")[2], url, "NOTINTHEBATCH1"].join("\n"));
    const again = await cli("codes", "void", "--batch", "1", "--codes", "void-2.txt", "--reason", "again");
    expect(again.code).to.equal(1);
    expect(again.err.join("\n")).to.match(/line 2: serial: was voided before/);
    expect(again.err.join("\n")).to.match(/line 3: serial: is not a code of batch 1/);
    expect((await ledger.serials.read.batch([1n])).voided).to.equal(3n);
  });

  it("recalls a batch with a published reason and lifts the recall", async () => {
    const r = await cli("--json", "recall", "--batch", "1", "--reason", "contaminated lot");
    expect(r.code, r.err.join("\n")).to.equal(0);
    const ledger = ledgerOf();
    expect(await ledger.serials.read.batchStatus([1n])).to.equal(2); // Recalled
    const notice = JSON.parse(
      new TextDecoder().decode(await new IpfsContentStore({ url: ipfs.url }).get(r.json().noticeCid)),
    );
    expect(notice).to.include({ type: "trackroot.recall.v1", scope: "batch", id: "1", reason: "contaminated lot" });
    const twice = await cli("recall", "--batch", "1", "--reason", "again");
    expect(twice.code).to.equal(1);
    expect(twice.err.join("\n")).to.match(/batch 1 is already recalled/);
    const lift = await cli("recall", "lift", "--batch", "1");
    expect(lift.code, lift.err.join("\n")).to.equal(0);
    expect(await ledger.serials.read.batchStatus([1n])).to.equal(1); // Active
    const both = await cli("recall", "--order", "1", "--batch", "1", "--reason", "x");
    expect(both.code).to.equal(1);
    expect(both.err.join("\n")).to.match(/exactly one of --order or --batch/);
    const missing = await cli("recall", "--order", "99", "--reason", "x");
    expect(missing.code).to.equal(1);
    expect(missing.err.join("\n")).to.match(/SerialRegistryUnknownOrder\(99\)/);
  });

  it("publishes a GTIN's product record, shows it checked against its CID, keeps each version, and refuses a bad one naming the field", async () => {
    const record = { ...productVector.record, "gs1:gtin": GTIN };
    writeFileSync(join(dir, "product.json"), JSON.stringify(record, null, 2));
    const first = await cli("--json", "product", "set", GTIN, "product.json");
    expect(first.code, first.err.join("\n")).to.equal(0);
    expect(first.json()).to.include({ gtin: GTIN, version: 1, cid: productVector.cid });
    // the record is on the IPFS node as its canonical bytes, and the chain names it
    const stored = await new IpfsContentStore({ url: ipfs.url }).get(productVector.cid);
    expect(new TextDecoder().decode(stored)).to.equal(productVector.canonical);
    expect(await ledgerOf().serials.read.productRecord([BigInt(GTIN)])).to.deep.equal([productVector.cid, 1]);

    const renamed = {
      ...record,
      "gs1:productName": [{ "@value": "Paracetamol Acme 500 mg (new pack)", "@language": "en" }],
    };
    writeFileSync(join(dir, "product-2.json"), JSON.stringify(renamed));
    const second = await cli("--json", "product", "set", GTIN, "product-2.json");
    expect(second.code, second.err.join("\n")).to.equal(0);
    expect(second.json().version).to.equal(2);

    const shown = await cli("product", "show", GTIN);
    expect(shown.code, shown.err.join("\n")).to.equal(0);
    expect(shown.out.join("\n")).to.include("version 2 of 2").and.include("Paracetamol Acme 500 mg (new pack)");
    const old = await cli("--json", "product", "show", GTIN, "--version", "1");
    expect(old.code, old.err.join("\n")).to.equal(0);
    expect(old.json()).to.deep.include({ version: 1, versions: 2, cid: productVector.cid, record });

    // refused before anything is published: a bad field, another GTIN, another brand's prefix
    writeFileSync(
      join(dir, "bad.json"),
      JSON.stringify({ ...record, "gs1:image": [{ "@id": "http://x.example/a.png" }] }),
    );
    const bad = await cli("product", "set", GTIN, "bad.json");
    expect(bad.code).to.equal(1);
    expect(bad.err.join("\n")).to.include("/gs1:image/0/@id").and.include("an https URL");
    const mismatch = await cli("product", "set", "04012345111118", "product.json");
    expect(mismatch.code).to.equal(1);
    expect(mismatch.err.join("\n")).to.include("another GTIN than 04012345111118");
    writeFileSync(join(dir, "other.json"), JSON.stringify({ ...record, "gs1:gtin": "04012345111118" }));
    const foreign = await cli("product", "set", "04012345111118", "other.json");
    expect(foreign.code).to.equal(1);
    expect(foreign.err.join("\n")).to.match(/SerialRegistryNotPrefixOwner|prefix/);
    expect(await ledgerOf().serials.read.productRecord([4012345111118n])).to.deep.equal(["", 0]);
    const none = await cli("product", "show", "04012345111118");
    expect(none.code).to.not.equal(0);
    expect(none.err.join("\n")).to.include("no product record was published for GTIN 04012345111118");
  });

  it("publishes a product's picture with its record, named in it by CID, and refuses a picture it cannot show", async () => {
    const record = { ...productVector.record, "gs1:gtin": GTIN };
    writeFileSync(join(dir, "product.json"), JSON.stringify(record));
    writeFileSync(join(dir, "picture.png"), Buffer.from(productVector.picture.base64, "base64"));
    const published = await cli("--json", "product", "set", GTIN, "product.json", "--image", "picture.png");
    expect(published.code, published.err.join("\n")).to.equal(0);
    expect(published.json()).to.include({ image: productVector.picture.cid, cid: productVector.picture.recordCid });
    // the picture is on the IPFS node, and the record the chain names names it first
    const ipfsStore = new IpfsContentStore({ url: ipfs.url });
    expect(Buffer.from(await ipfsStore.get(productVector.picture.cid)).toString("base64")).to.equal(
      productVector.picture.base64,
    );
    const shown = await cli("--json", "product", "show", GTIN);
    expect(shown.json().record["gs1:image"]).to.deep.equal(productVector.picture.record["gs1:image"]);

    // refused before anything is published: a picture that is no PNG, JPEG or WebP, and a record
    // naming by content a picture no one gave
    const before = await ledgerOf().serials.read.productRecord([BigInt(GTIN)]);
    const notPicture = await cli("product", "set", GTIN, "product.json", "--image", "product.json");
    expect(notPicture.code).to.equal(1);
    expect(notPicture.err.join("\n")).to.include("image").and.include("a PNG, JPEG or WebP picture");
    const absent = `ipfs://bafkrei${"a".repeat(52)}`;
    writeFileSync(join(dir, "unheld.json"), JSON.stringify({ ...record, "gs1:image": [{ "@id": absent }] }));
    const unheld = await cli("product", "set", GTIN, "unheld.json");
    expect(unheld.code).to.equal(1);
    expect(unheld.err.join("\n")).to.include("/gs1:image/0/@id").and.include("--image");
    const missingFile = await cli("product", "set", GTIN, "product.json", "--image", "nowhere.png");
    expect(missingFile.code).to.equal(1);
    expect(missingFile.err.join("\n")).to.include("--image").and.include("ENOENT");
    expect(await ledgerOf().serials.read.productRecord([BigInt(GTIN)])).to.deep.equal(before);
  });

  it("reports licensed codes per producer, product and month, as a table and as CSV", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const r = await cli("--json", "report", "licenses", "--from", today, "--to", today);
    expect(r.code, r.err.join("\n")).to.equal(0);
    const rows = r.json();
    expect(rows).to.have.length(1);
    expect(rows[0]).to.include({ producer: 1, producerName: "Acme", gtin: GTIN, period: today.slice(0, 7) });
    // orders 1 (10,000), 2 (500), 3 (100) and 4 (12) in four batches, 3 codes voided
    expect(rows[0]).to.include({ batches: 4, released: "10612", voided: "3", net: "10609" });
    const csv = await cli("report", "licenses", "--from", today, "--to", today, "--csv");
    expect(csv.out.join("\n").split("\n")).to.deep.equal([
      "producer,producer_name,producer_gln,gtin,period,batches,released,voided,net",
      `1,Acme,0614141000005,${GTIN},${today.slice(0, 7)},4,10612,3,10609`,
    ]);
    const empty = await cli("--json", "report", "licenses", "--from", "2020-01-01", "--to", "2020-12-31");
    expect(empty.json()).to.deep.equal([]);
    const backwards = await cli("report", "licenses", "--from", "2026-02-01", "--to", "2026-01-01");
    expect(backwards.code).to.equal(1);
    expect(backwards.err.join("\n")).to.match(/to: must not be before --from/);
  });

  it("names the field of a malformed option before touching the chain", async () => {
    const bad = await cli("order", "create", "--gtin", "10614141073465", "--quantity", "5", "--lot", "L1");
    expect(bad.code).to.equal(1);
    expect(bad.err.join("\n")).to.match(/gtin/i);
    const zero = await cli("codes", "release", "--order", "1", "--count", "0", "--out", join(dir, "x"));
    expect(zero.code).to.equal(1);
    expect(zero.err.join("\n")).to.match(/count: a positive integer/);
  });
});

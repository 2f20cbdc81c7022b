import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { runCli } from "../../src/cli/main";

const VECTORS = join(__dirname, "..", "data", "epcis-event-hash");
const BIN = join(__dirname, "..", "..", "bin", "trackroot.js");

/** Runs the CLI in-process and captures its output. */
async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { io: { out: (l) => out.push(l), err: (l) => err.push(l) } });
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), "trackroot-cli-"));
const write = (name: string, content: unknown) => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === "string" ? content : JSON.stringify(content));
  return p;
};

describe("cli epcis", () => {
  for (const name of ["ReferenceEventHashAlgorithm", "ReferenceEventHashAlgorithm2", "ReferenceEventHashAlgorithm3"]) {
    it(`prints the reference hashes of ${name} one per line, in document order`, async () => {
      const expected = readFileSync(join(VECTORS, `${name}.hashes`), "utf8")
        .trim()
        .split(/\r?\n/);
      const r = await cli("epcis", "hash", join(VECTORS, `${name}.jsonld`));
      expect(r.code).to.equal(0);
      expect(r.out).to.deep.equal(expected);
    });
  }

  it("prints indexed hashes with --json", async () => {
    const r = await cli("--json", "epcis", "hash", join(VECTORS, "ReferenceEventHashAlgorithm.jsonld"));
    expect(r.code).to.equal(0);
    const parsed = JSON.parse(r.out[0]) as { index: number; eventHash: string }[];
    expect(parsed[0]).to.include({ index: 0 });
    expect(parsed[0].eventHash).to.match(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
  });

  it("validates a good document with exit 0", async () => {
    const r = await cli("epcis", "validate", join(VECTORS, "ReferenceEventHashAlgorithm.jsonld"));
    expect(r).to.deep.include({ code: 0, err: [] });
    expect(r.out[0]).to.match(/^valid: \d+ events?$/);
  });

  it("prints every schema error with its event index and pointer and exits 1", async () => {
    const doc = JSON.parse(readFileSync(join(VECTORS, "ReferenceEventHashAlgorithm.jsonld"), "utf8"));
    doc.epcisBody.eventList[0].eventTime = "yesterday";
    doc.epcisBody.eventList[0].action = "SHAKE";
    const r = await cli("epcis", "validate", write("bad.json", doc));
    expect(r.code).to.equal(1);
    expect(r.err.some((l) => l.startsWith("event 0 /epcisBody/eventList/0/eventTime:"))).to.equal(true);
    expect(r.err.some((l) => l.startsWith("event 0 /epcisBody/eventList/0/action:"))).to.equal(true);
  });

  for (const name of ["ReferenceEventHashAlgorithm", "epcisDocWithVariousEventTypes", "persistentDisposition"]) {
    it(`prints the reference hashes of ${name}.xml, as of its JSON-LD twin`, async () => {
      const expected = readFileSync(join(VECTORS, `${name}.hashes`), "utf8")
        .trim()
        .split(/\r?\n/);
      const r = await cli("epcis", "hash", join(VECTORS, `${name}.xml`));
      expect(r).to.deep.include({ code: 0, out: expected });
    });
  }

  it("validates an EPCIS 2.0 and an EPCIS 1.2 XML document against GS1's XSD, naming what was not mapped", async function () {
    this.timeout(30_000);
    const two = await cli("epcis", "validate", join(VECTORS, "epcisEventWithCURIEs.xml"));
    expect(two).to.deep.include({ code: 0, err: [], out: ["valid: 1 event (EPCIS 2.0 XML)"] });
    const old = await cli(
      "--json",
      "epcis",
      "validate",
      join(__dirname, "..", "data", "gs1-xml", "1.2", "ObjectEvent.xml"),
    );
    expect(old.code).to.equal(0);
    const report = JSON.parse(old.out[0]);
    expect(report).to.deep.include({ valid: true, binding: "xml-1.2", xsd: [], issues: [] });
    expect(report.notMapped.map((n: { path: string }) => n.path)).to.deep.equal([
      "/EPCISDocument/EPCISBody/EventList/ObjectEvent[2]/myField",
    ]);
    const broken = readFileSync(join(VECTORS, "epcisEventWithCURIEs.xml"), "utf8").replace("OBSERVE", "LOOK");
    const bad = await cli("epcis", "validate", write("bad-action.xml", broken));
    expect(bad.code).to.equal(1);
    expect(bad.err[0]).to.match(/^xsd line 11: .*action/);
  });

  it("validates every one of GS1's XML examples (capture jobs and master data documents by their XSD alone)", async function () {
    this.timeout(60_000);
    const gs1 = join(__dirname, "..", "data", "gs1-xml");
    for (const binding of ["2.0", "1.2"]) {
      for (const f of readdirSync(join(gs1, binding)).filter((x) => x.endsWith(".xml"))) {
        const r = await cli("epcis", "validate", join(gs1, binding, f));
        expect(r.code, `${f}: ${r.err.join("; ")}`).to.equal(0);
        expect(r.out[0], f).to.match(/^valid: /);
      }
    }
    const job = await cli("epcis", "validate", join(gs1, "2.0", "CaptureJob__Example-CaptureJobRunning.xml"));
    expect(job.out).to.deep.equal(["valid: EPCISCaptureJob (EPCIS 2.0 XML), no events"]);
    const sensors = await cli(
      "--json",
      "epcis",
      "validate",
      join(gs1, "2.0", "WithSensorData__SensorDataExamples.xml"),
    );
    const report = JSON.parse(sensors.out[0]);
    expect(report.valid).to.equal(true);
    expect(report.jsonLdIssues.map((i: { pointer: string }) => i.pointer)).to.deep.equal([
      "/epcisBody/eventList/8/sensorElementList/0/sensorReport/0",
      "/epcisBody/eventList/8/sensorElementList/0/sensorReport/1",
    ]);
  });

  it("converts between the bindings both ways, every hash kept", async function () {
    this.timeout(30_000);
    const xml = join(dir, "converted.xml");
    const json = join(dir, "converted.jsonld");
    expect(
      (await cli("epcis", "convert", join(VECTORS, "epcisDocWithVariousEventTypes.jsonld"), "--to", "xml", "-o", xml))
        .code,
    ).to.equal(0);
    expect((await cli("epcis", "convert", xml, "--to", "json", "-o", json)).code).to.equal(0);
    const expected = readFileSync(join(VECTORS, "epcisDocWithVariousEventTypes.hashes"), "utf8").trim().split(/\r?\n/);
    expect((await cli("epcis", "hash", xml)).out).to.deep.equal(expected);
    expect((await cli("epcis", "hash", json)).out).to.deep.equal(expected);
    expect((await cli("epcis", "validate", xml)).code).to.equal(0);
    expect((await cli("epcis", "validate", json)).code).to.equal(0);
  });

  const userErrors: [string, string[], RegExp][] = [
    ["a missing file", ["epcis", "hash", join(dir, "absent.json")], /^error: file: cannot be read \(ENOENT\)/],
    [
      "a file that is neither JSON nor XML",
      ["epcis", "validate", write("text.json", "{ nope")],
      /^error: file: is neither XML nor JSON/,
    ],
    ["XML that is not well-formed", ["epcis", "hash", write("bad.xml", "<epcis:EPCISDocument")], /not well-formed XML/],
    [
      "a conversion to no binding",
      ["epcis", "convert", join(VECTORS, "persistentDisposition.xml"), "--to", "csv"],
      /--to.*csv/,
    ],
    ["a document without events", ["epcis", "hash", write("empty.json", { epcisBody: {} })], /eventList/],
    ["a JSON array", ["epcis", "hash", write("array.json", [1])], /an EPCIS document is a JSON object/],
    ["an unknown command", ["epcis", "shake"], /unknown command 'shake'/],
    ["a missing argument", ["epcis", "hash"], /missing required argument 'file'/],
  ];
  for (const [what, argv, message] of userErrors) {
    it(`exits 1 with one clear line for ${what}`, async () => {
      const r = await cli(...argv);
      expect(r.code).to.equal(1);
      expect(r.err.join("\n")).to.match(message);
    });
  }

  it("runs as the bin, with the exit code of the outcome", async function () {
    this.timeout(60_000);
    const run = promisify(execFile);
    const ok = await run(process.execPath, [
      BIN,
      "epcis",
      "hash",
      join(VECTORS, "ReferenceEventHashAlgorithm2.jsonld"),
    ]);
    expect(ok.stdout.trim().split("\n")).to.deep.equal(
      readFileSync(join(VECTORS, "ReferenceEventHashAlgorithm2.hashes"), "utf8").trim().split(/\r?\n/),
    );
    const bad = await run(process.execPath, [BIN, "epcis", "validate", join(dir, "absent.json")]).catch((e) => e);
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.match(/file: cannot be read/);
  });
});

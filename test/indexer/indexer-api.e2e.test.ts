import { randomBytes } from "node:crypto";
import { expect } from "chai";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { privateKeyToAccount } from "viem/accounts";
import type { Hex } from "viem";
import { Ledger } from "../../src/chain/ledger";
import { chainRootReader } from "../../src/chain/chain-roots";
import type { JsonValue } from "../../src/core/epcis/event-hash";
import { verifyBundle } from "../../src/core/proof/verify-bundle";
import { requestMessage, tokenHash } from "../../src/indexer/consortium-auth";
import { IndexerStore } from "../../src/indexer/indexer-store";
import type { RunningIndexer } from "../../src/indexer/main";
import { webhookSignature } from "../../src/indexer/webhooks";
import { openDatabase } from "../../src/store/database";
import type { IndexerTables } from "../../src/store/indexer-schema";
import { startCaughtUpIndexer } from "../support/caught-up-indexer";
import { startHardhatNode } from "../support/chain-node";
import { epcisDocument, unit } from "../support/captures";
import { ENGINES } from "../support/databases";
import { getFrom } from "../../src/stack/get-from";
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { documentEventHashes } from "../../src/core/epcis/event-hash";
import { readXmlDocument } from "../../src/core/epcis/xml-binding";
import { XsdValidator } from "../../src/xml/xsd-validator";
import { setupIndexerLedger } from "../support/indexer-ledger";
import { cliIn, KEYS } from "../support/relayer-ledger";

const GTIN = "10614141073464";
const SSCC = "https://id.gs1.org/00/106141412345678908";
const PARIS = "geo:48.8566,2.3522";
const TOKYO = "geo:35.6762,139.6503";
const TOKEN = "consortium-test-token";
const SECRET = "webhook-secret-for-tests";
const T0 = Date.parse("2026-11-01T08:00:00.000Z");
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

function event(fields: { [k: string]: JsonValue }): { [k: string]: JsonValue } {
  return { eventTimeZoneOffset: "+00:00", ...fields };
}
const commissioning = (epcs: string[], time: string, place = PARIS) =>
  event({
    type: "ObjectEvent",
    eventTime: time,
    epcList: epcs,
    action: "ADD",
    bizStep: "commissioning",
    disposition: "active",
    readPoint: { id: place },
  });
const observe = (epcs: string[], time: string, place: string, bizStep = "shipping") =>
  event({
    type: "ObjectEvent",
    eventTime: time,
    epcList: epcs,
    action: "OBSERVE",
    bizStep,
    disposition: "in_transit",
    readPoint: { id: place },
  });

/** A document whose context also defines the `example` prefix. */
const withPrefix = (doc: { [k: string]: JsonValue }) => ({
  ...doc,
  "@context": [...(doc["@context"] as JsonValue[]), { example: "https://ns.example.com/epcis/" }],
});

const PROXY_TOKEN = "indexer-e2e-proxy-token";
const METRICS_TOKEN = "indexer-e2e-metrics-token";

describe("e2e: the indexer's lifecycle, anomalies and HTTP API against a hardhat node", function () {
  this.timeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), "trackroot-indexer-api-"));
  let node: Awaited<ReturnType<typeof startHardhatNode>>;
  let ledger: Awaited<ReturnType<typeof setupIndexerLedger>>;
  let indexer: RunningIndexer;
  let hooks: Server;
  const received: { body: string; headers: IncomingMessage["headers"] }[] = [];
  let s: string[];

  before(async () => {
    node = await startHardhatNode();
    ledger = await setupIndexerLedger(node.url, dir, 20);
    s = ledger.serials;
    const { captureEntry, handoverEntry, commit } = ledger;
    // 1: the brand (participant 5) commissions three units and a unit it never released, and packs two into a case
    await commit([
      await captureEntry(
        withPrefix(
          epcisDocument([
            commissioning([unit(s[0]), unit(s[1]), unit(s[2])], at(0)),
            commissioning([unit("ZZFAKE1")], at(0)),
            event({
              type: "AggregationEvent",
              eventTime: at(1),
              parentID: SSCC,
              childEPCs: [unit(s[0]), unit(s[1])],
              action: "ADD",
              bizStep: "packing",
              readPoint: { id: PARIS },
              // a user extension, whose prefix only the capture's own context defines
              "example:packer": "line 4",
            }),
          ]),
        ),
        KEYS.governor,
      ),
    ]);
    // 2: the case goes to the distributor (1); the distributor hands over a unit the brand still holds;
    // the brand commissions s0 again; the case is seen in Tokyo an hour after Paris; s2 is destroyed and then seen
    await commit([
      await handoverEntry([SSCC], KEYS.governor, KEYS.custodian),
      await handoverEntry([unit(s[2])], KEYS.custodian, KEYS.pharmacy),
      await captureEntry(epcisDocument([commissioning([unit(s[0])], at(30))]), KEYS.governor),
      await captureEntry(epcisDocument([observe([SSCC], at(61), TOKYO)]), KEYS.custodian),
      await captureEntry(
        epcisDocument([
          event({
            type: "ObjectEvent",
            eventTime: at(90),
            epcList: [unit(s[2])],
            action: "DELETE",
            bizStep: "destroying",
            readPoint: { id: PARIS },
          }),
          observe([unit(s[2])], at(91), PARIS),
        ]),
        KEYS.governor,
      ),
    ]);

    // a webhook receiver that fails the first delivery of each anomaly, then accepts
    const seen = new Set<string>();
    hooks = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const id = String(req.headers["trackroot-webhook-id"]);
        if (!seen.has(id)) {
          seen.add(id);
          res.statusCode = 500;
          return res.end();
        }
        received.push({ body, headers: req.headers });
        res.end("ok");
      });
    }).listen(0, "127.0.0.1");
    await new Promise((r) => hooks.once("listening", r));
    const hookPort = (hooks.address() as { port: number }).port;

    indexer = await startCaughtUpIndexer({
      rpcUrl: node.url,
      deploymentPath: ledger.chain.deploymentPath,
      dir,
      env: {
        TRACKROOT_INDEXER_TOKENS: `4:${tokenHash(TOKEN)}`,
        TRACKROOT_WEBHOOK_URLS: `http://127.0.0.1:${hookPort}/hook`,
        TRACKROOT_WEBHOOK_SECRET: SECRET,
        TRACKROOT_WEBHOOK_BACKOFF_MS: "20",
        TRACKROOT_CLONE_MAX_VERIFICATIONS: "4",
        TRACKROOT_CLONE_MAX_REGIONS: "3",
        TRACKROOT_PUBLIC_RATE_PER_SECOND: "1",
        TRACKROOT_PUBLIC_BURST: "40",
        // as npm start runs it: the site on loopback is trusted, and only with the proxy token
        TRACKROOT_TRUSTED_PROXIES: "127.0.0.1,::1",
        TRACKROOT_PROXY_TOKEN: PROXY_TOKEN,
        TRACKROOT_METRICS_TOKEN: METRICS_TOKEN,
      },
    });
  });
  after(async () => {
    await indexer?.stop();
    hooks?.close();
    await node?.stop();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${indexer.url}${path}`, { headers });
  const member = { Authorization: `Bearer ${TOKEN}` };
  const signedHeaders = async (key: Hex, path: string, timestamp = Math.floor(Date.now() / 1000)) => {
    const account = privateKeyToAccount(key);
    const nonce = `0x${randomBytes(16).toString("hex")}`;
    const signature = await account.signMessage({ message: requestMessage("GET", path, timestamp, nonce) });
    return {
      "Trackroot-Key": account.address,
      "Trackroot-Timestamp": String(timestamp),
      "Trackroot-Nonce": nonce,
      "Trackroot-Signature": signature,
    };
  };
  const signed = async (key: Hex, path: string, timestamp?: number) =>
    get(path, await signedHeaders(key, path, timestamp));

  it("finds every planted anomaly, each once, and nothing on the clean codes", async () => {
    const res = await get("/v1/anomalies", member);
    expect(res.status).to.equal(200);
    const { anomalies } = (await res.json()) as { anomalies: { kind: string; epc: string }[] };
    const found = anomalies.map((a) => `${a.kind} ${a.epc}`).sort();
    expect(found).to.deep.equal(
      [
        `commission_outside_release ${unit("ZZFAKE1")}`,
        `double_commission ${unit(s[0])}`,
        `event_after_end ${unit(s[2])}`,
        `handover_by_non_holder ${unit(s[2])}`,
        `impossible_travel ${SSCC}`,
      ].sort(),
    );
  });

  it("shows a packed unit held by its case's holder (inherited custody) with its history", async () => {
    const view = (await (await get(`/v1/codes/${GTIN}/${s[1]}`)).json()) as {
      status: string;
      holder: { id: number; name: string };
      containers: string[];
      history: { cause: string; epc: string }[];
      release: { batchId: number; lot: string };
    };
    expect(view.status).to.equal("packed");
    expect(view.holder).to.include({ id: 1, name: "Distributor" });
    expect(view.containers).to.deep.equal([SSCC]);
    expect(view.release).to.include({ batchId: 1, lot: "L1" });
    expect(view.history.map((h) => `${h.cause} ${h.epc === SSCC ? "case" : "unit"}`)).to.deep.equal([
      "commissioned unit",
      "packed unit",
      "handed_over case",
      "observed case",
    ]);
    const destroyed = (await (await get(`/v1/codes/${GTIN}/${s[2]}`)).json()) as { status: string };
    expect(destroyed.status).to.equal("decommissioned");
    const unknown = (await (await get(`/v1/codes/${GTIN}/NOSUCH1`)).json()) as { status: string; release: unknown };
    expect(unknown).to.deep.include({ status: "unknown", release: null });
  });

  it("serves proof bundles the chain confirms, counts one client once and ignores the regions a request declares", async () => {
    const reader = chainRootReader(new Ledger({ rpcUrl: node.url, deployment: ledger.chain.deployment }));
    let last: Response | undefined;
    for (const region of ["Europe/Paris", "Asia/Tokyo", "America/Lima", "Europe/Paris", "Africa/Lagos"]) {
      last = await get(`/v1/codes/${GTIN}/${s[3]}/proof?region=${encodeURIComponent(region)}`);
      expect(last.status).to.equal(200);
    }
    expect(last!.headers.get("trackroot-verifications")).to.equal("1");
    expect(last!.headers.get("trackroot-regions")).to.equal("0");
    expect(last!.headers.get("trackroot-clone-warning")).to.equal("false");
    const verdict = await verifyBundle(await last!.json(), reader);
    expect(verdict.verdict).to.equal("genuine");
  });

  it("raises a clone alert when distinct clients verify one code past the threshold", async () => {
    let last: Awaited<ReturnType<typeof getFrom>> | undefined;
    // four clients on four loopback addresses: real sockets, no forwarded header trusted
    for (let i = 2; i <= 5; i++) last = await getFrom(`${indexer.url}/v1/codes/${GTIN}/${s[3]}/proof`, `127.0.0.${i}`);
    expect(last!.status).to.equal(200);
    expect(last!.headers["trackroot-verifications"]).to.equal("5");
    expect(last!.headers["trackroot-clone-warning"]).to.equal("true");
    const fresh = await get(`/v1/codes/${GTIN}/${s[4]}/proof`);
    expect(fresh.headers.get("trackroot-clone-warning")).to.equal("false");
    const { anomalies } = (await (await get("/v1/anomalies?kind=cloned_code", member)).json()) as {
      anomalies: { epc: string; regions: number }[];
    };
    expect(anomalies.map((a) => a.epc)).to.deep.equal([unit(s[3])]);
  });

  it("pushes each anomaly to the webhook, signed, retrying after a failure", async () => {
    await until(async () => received.length >= 6);
    const kinds = received.map((r) => (JSON.parse(r.body) as { kind: string }).kind).sort();
    expect(kinds).to.include.members(["cloned_code", "double_commission", "impossible_travel"]);
    for (const r of received) {
      const signature = String(r.headers["trackroot-webhook-signature"]);
      const t = Number(/t=(\d+)/.exec(signature)?.[1]);
      expect(signature).to.equal(webhookSignature(SECRET, t, r.body));
      expect(webhookSignature("another-secret-entirely", t, r.body)).to.not.equal(signature);
    }
  });

  it("answers the EPCIS event query with filters and pages", async () => {
    const q = (params: string) => get(`/v1/events?${params}`, member);
    const byEpc = (await (await q(`MATCH_epc=${encodeURIComponent(unit(s[0]))}`)).json()) as {
      type: string;
      epcisBody: { queryResults: { resultsBody: { eventList: { bizStep: string }[] } } };
    };
    expect(byEpc.type).to.equal("EPCISQueryDocument");
    expect(byEpc.epcisBody.queryResults.resultsBody.eventList.map((e) => e.bizStep)).to.deep.equal([
      "commissioning",
      "packing",
      "commissioning",
    ]);
    // the legacy URN spelling of a business step finds the same events
    const first = await q("EQ_bizStep=urn:epcglobal:cbv:bizstep:commissioning&perPage=2");
    const link = first.headers.get("link");
    expect(link).to.match(/rel="next"/);
    const page1 = (await first.json()) as typeof byEpc;
    const next = /<([^>]+)>/.exec(link!)![1];
    const page2 = (await (await get(next, member)).json()) as typeof byEpc;
    expect(page1.epcisBody.queryResults.resultsBody.eventList).to.have.length(2);
    expect(page2.epcisBody.queryResults.resultsBody.eventList).to.have.length(1);
    const late = (await (
      await q(`GE_eventTime=${encodeURIComponent(at(60))}&EQ_readPoint=${encodeURIComponent(PARIS)}`)
    ).json()) as typeof byEpc;
    expect(late.epcisBody.queryResults.resultsBody.eventList.map((e) => e.bizStep)).to.deep.equal([
      "destroying",
      "shipping",
    ]);
    const bad = await q("EQ_eventType=ObjectEvent");
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { pointer: string }).pointer).to.equal("EQ_eventType");
  });

  describe("the EPCIS 2.0 REST query interface", () => {
    type QueryDocument = {
      type: string;
      epcisBody: { queryResults: { resultsBody: { eventList: { [k: string]: JsonValue }[] } } };
    };
    const openapi = JSON.parse(readFileSync(join(__dirname, "../data/gs1-openapi/epcis-openapi.json"), "utf8"));
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: "https://gs1.example/epcis-openapi", components: openapi.components });
    const conforms = ajv.compile({ $ref: "https://gs1.example/epcis-openapi#/components/schemas/epcisQueryDocument" });
    const events = async (path: string, headers: Record<string, string> = {}) => {
      const res = await get(path, { ...member, ...headers });
      expect(res.status, `${path}: ${res.status}`).to.equal(200);
      expect(res.headers.get("gs1-epcis-version")).to.equal("2.0.0");
      expect(res.headers.get("gs1-cbv-version")).to.equal("2.0.0");
      const doc = (await res.json()) as QueryDocument;
      expect(conforms(doc), JSON.stringify(conforms.errors?.slice(0, 3))).to.equal(true);
      return { list: doc.epcisBody.queryResults.resultsBody.eventList, link: res.headers.get("link") };
    };
    const steps = (list: { [k: string]: JsonValue }[]) => list.map((e) => e.bizStep);

    it("answers /events with the query language, ordered and cut as asked, in GS1's OpenAPI shape", async () => {
      const asc = await events("/events?EQ_bizStep=commissioning|packing&orderBy=eventTime&orderDirection=ASC");
      const times = asc.list.map((e) => Date.parse(String(e.eventTime)));
      expect(times).to.deep.equal([...times].sort((a, b) => a - b));
      expect(new Set(steps(asc.list))).to.deep.equal(new Set(["commissioning", "packing"]));
      const desc = await events("/events?EQ_bizStep=commissioning|packing&orderBy=eventTime");
      expect(desc.list.map((e) => e.eventTime)).to.deep.equal(asc.list.map((e) => e.eventTime).reverse());
      expect((await events("/events?EQ_bizStep=commissioning&eventCountLimit=1")).list).to.have.length(1);
      const urn = await events("/events?EQ_bizStep=urn:epcglobal:cbv:bizstep:commissioning");
      expect(urn.list).to.deep.equal((await events("/events?EQ_bizStep=commissioning")).list);
      const none = await events(`/events?GE_eventTime=${encodeURIComponent(at(100_000))}`);
      expect(none.list).to.deep.equal([]);
      const tooMany = await get("/events?EQ_bizStep=commissioning&maxEventCount=1", member);
      expect(tooMany.status).to.equal(413);
      expect(((await tooMany.json()) as { type: string }).type).to.equal("epcisException:QueryTooLargeException");
    });

    it("narrows by the resource path as the parameter would", async () => {
      const cases: [string, string][] = [
        ["/bizSteps/commissioning/events", "/events?EQ_bizStep=commissioning"],
        ["/eventTypes/ObjectEvent/events", "/events?eventType=ObjectEvent"],
        [`/readPoints/${encodeURIComponent(PARIS)}/events`, `/events?EQ_readPoint=${encodeURIComponent(PARIS)}`],
        ["/dispositions/in_transit/events", "/events?EQ_disposition=in_transit"],
        [`/epcs/${encodeURIComponent(unit(s[0]))}/events`, `/events?MATCH_anyEPC=${encodeURIComponent(unit(s[0]))}`],
      ];
      for (const [resource, query] of cases) {
        const a = await events(resource);
        expect(a.list.length, resource).to.be.greaterThan(0);
        expect(a.list, resource).to.deep.equal((await events(query)).list);
      }
      const types = (await events("/eventTypes/ObjectEvent/events")).list.map((e) => e.type);
      expect(new Set(types)).to.deep.equal(new Set(["ObjectEvent"]));
      const held = await events(`/epcs/${encodeURIComponent(unit(s[0]))}/events`);
      expect(steps(held.list)).to.include.members(["commissioning", "packing"]);
    });

    it("pages with Link and nextPageToken, a token good only for its own query", async () => {
      const all = (await events("/events?eventType=ObjectEvent&perPage=1000")).list;
      const seen: { [k: string]: JsonValue }[] = [];
      let path: string | undefined = "/events?eventType=ObjectEvent&perPage=2";
      while (path) {
        const page = await events(path);
        seen.push(...page.list);
        path = page.link ? /<([^>]+)>; rel="next"/.exec(page.link)![1] : undefined;
      }
      expect(seen).to.deep.equal(all);
      const first = await events("/events?eventType=ObjectEvent&perPage=2");
      const token = new URL(/<([^>]+)>/.exec(first.link!)![1], "http://x").searchParams.get("nextPageToken")!;
      const replayed = await get(`/events?EQ_bizStep=shipping&nextPageToken=${token}`, member);
      expect(replayed.status).to.equal(400);
      expect(((await replayed.json()) as { pointer: string }).pointer).to.equal("nextPageToken");
    });

    it("answers in the XML binding on Accept: application/xml, valid under GS1's XSD, the same events", async () => {
      const json = (await events("/events?EQ_bizStep=commissioning")).list;
      const res = await get("/events?EQ_bizStep=commissioning", { ...member, Accept: "application/xml" });
      expect(res.status).to.equal(200);
      expect(res.headers.get("content-type")).to.match(/^application\/xml/);
      const xml = await res.text();
      expect(await XsdValidator.load().validate(xml, "2.0")).to.deep.equal([]);
      const back = readXmlDocument(xml).document;
      expect(documentEventHashes(back)).to.deep.equal(
        documentEventHashes({ "@context": [], epcisBody: { eventList: json } } as { [k: string]: JsonValue }),
      );
    });

    it("keeps a user extension's namespace in both bindings of the answer", async () => {
      const [packing] = (await events("/events?EQ_bizStep=packing")).list;
      expect(packing["example:packer"]).to.equal("line 4");
      expect(packing["@context"]).to.deep.equal([{ example: "https://ns.example.com/epcis/" }]);
      const res = await get("/events?EQ_bizStep=packing", { ...member, Accept: "application/xml" });
      expect(res.status).to.equal(200);
      const xml = await res.text();
      expect(xml).to.include('xmlns:example="https://ns.example.com/epcis/"');
      expect(xml).to.include("<example:packer>line 4</example:packer>");
      expect(await XsdValidator.load().validate(xml, "2.0")).to.deep.equal([]);
    });

    it("gives Digital Links on GS1-EPC-Format: Always_Digital_Link, and says what it cannot give", async () => {
      const dl = await events("/events?EQ_bizStep=commissioning", { "GS1-EPC-Format": "Always_Digital_Link" });
      for (const e of dl.list)
        for (const epc of e.epcList as string[]) expect(epc).to.match(/^https:\/\/id\.gs1\.org\//);
      const refused: [Record<string, string>, number][] = [
        [{ Accept: "text/csv" }, 406],
        [{ "GS1-EPC-Format": "Always_EPC_URN" }, 406],
        [{ "GS1-EPC-Format": "Sometimes" }, 400],
      ];
      for (const [headers, status] of refused)
        expect((await get("/events", { ...member, ...headers })).status, JSON.stringify(headers)).to.equal(status);
    });

    it("finds one event by its CBV 2.0 hash, refuses what is not the query language naming it, and answers OPTIONS", async () => {
      const [first] = (await events("/events?EQ_bizStep=commissioning&perPage=1")).list;
      const [hash] = documentEventHashes({ epcisBody: { eventList: [first] } } as { [k: string]: JsonValue });
      const one = await get(`/events/${encodeURIComponent(hash)}`, member);
      expect(one.status).to.equal(200);
      expect(((await one.json()) as { eventTime: string }).eventTime).to.equal(first.eventTime);
      expect(
        (await get(`/events/${encodeURIComponent("urn:uuid:00000000-0000-0000-0000-000000000000")}`, member)).status,
      ).to.equal(404);
      for (const bad of [
        "EQ_colour=red",
        "perPage=0",
        "GE_eventTime=yesterday",
        "orderBy=colour",
        "EQ_bizStep=a&EQ_bizStep=b",
      ]) {
        const res = await get(`/events?${bad}`, member);
        expect(res.status, bad).to.equal(400);
        expect(((await res.json()) as { pointer: string }).pointer, bad).to.equal(bad.split("=")[0]);
      }
      expect((await get("/events")).status, "members only").to.equal(401);
      const options = await fetch(`${indexer.url}/events`, { method: "OPTIONS" });
      expect(options.status).to.equal(204);
      expect(options.headers.get("gs1-epcis-version")).to.equal("2.0.0");
      expect(options.headers.get("allow")).to.equal("GET, OPTIONS");
    });
  });

  describe("EPCIS named queries and subscriptions", () => {
    const send = (method: string, path: string, body?: unknown, headers: Record<string, string> = member) =>
      fetch(`${indexer.url}${path}`, {
        method,
        headers: { ...headers, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    it("names a query, answers its events as /events does, refuses a bad one naming the field, and deletes it", async () => {
      const created = await send("POST", "/queries", {
        name: "commissioned",
        query: { EQ_bizStep: ["commissioning"] },
      });
      expect(created.status).to.equal(201);
      expect(created.headers.get("location")).to.equal("/queries/commissioned");
      expect((await send("POST", "/queries", { name: "commissioned", query: {} })).status, "taken").to.equal(409);
      const byName = (await (await get("/queries/commissioned/events", member)).json()) as {
        epcisBody: { queryResults: { resultsBody: { eventList: unknown[] } } };
      };
      const direct = (await (await get("/events?EQ_bizStep=commissioning", member)).json()) as typeof byName;
      expect(byName.epcisBody.queryResults.resultsBody.eventList).to.deep.equal(
        direct.epcisBody.queryResults.resultsBody.eventList,
      );
      expect(((await (await get("/queries/commissioned", member)).json()) as { query: unknown }).query).to.deep.equal({
        EQ_bizStep: "commissioning",
      });
      const bad: [unknown, string][] = [
        [{ name: "x y", query: {} }, "name"],
        [{ name: "x", query: { EQ_colour: ["red"] } }, "EQ_colour"],
        [{ name: "x", query: { GE_eventTime: ["soon"] } }, "GE_eventTime"],
        [{ name: "x", query: {}, extra: 1 }, "/extra"],
      ];
      for (const [body, field] of bad) {
        const res = await send("POST", "/queries", body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(((await res.json()) as { pointer: string }).pointer).to.equal(field);
      }
      expect((await send("POST", "/queries", { name: "x", query: {} }, {})).status, "members only").to.equal(401);
      expect((await send("DELETE", "/queries/commissioned")).status).to.equal(204);
      expect((await get("/queries/commissioned", member)).status).to.equal(404);
    });

    it("streams each matching event to a subscriber once, signed with its token, retried after a failure", async () => {
      const token = "subscriber-secret-0123456789";
      const got: { body: string; signature: string }[] = [];
      let refusedOnce = false;
      const server = createServer((req, res) => {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          if (!refusedOnce) {
            refusedOnce = true;
            res.statusCode = 503;
            return res.end();
          }
          got.push({ body, signature: String(req.headers["gs1-signature"]) });
          res.end();
        });
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
      try {
        const port = (server.address() as { port: number }).port;
        expect(
          (await send("POST", "/queries", { name: "packed", query: { EQ_bizStep: ["packing"] } })).status,
        ).to.equal(201);
        const refused: [unknown, string][] = [
          [{ dest: "ftp://x", signatureToken: token, stream: true }, "dest"],
          [{ dest: `http://127.0.0.1:${port}/`, signatureToken: "short", stream: true }, "signatureToken"],
          [{ dest: `http://127.0.0.1:${port}/`, signatureToken: token }, "schedule"],
          [{ dest: `http://127.0.0.1:${port}/`, signatureToken: token, schedule: { hour: "25" } }, "schedule.hour"],
        ];
        for (const [body, field] of refused) {
          const res = await send("POST", "/queries/packed/subscriptions", body);
          expect(res.status, JSON.stringify(body)).to.equal(400);
          expect(((await res.json()) as { pointer: string }).pointer).to.equal(field);
        }
        const sub = await send("POST", "/queries/packed/subscriptions", {
          dest: `http://127.0.0.1:${port}/callback`,
          signatureToken: token,
          stream: true,
        });
        expect(sub.status).to.equal(201);
        const { subscriptionID } = (await sub.json()) as { subscriptionID: string };
        expect(sub.headers.get("location")).to.equal(`/queries/packed/subscriptions/${subscriptionID}`);
        const deadline = Date.now() + 30_000;
        while (got.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        expect(got, "a delivery after the refused one").to.have.length(1);
        const [delivery] = got;
        const t = Number(/t=(\d+)/.exec(delivery.signature)?.[1]);
        expect(delivery.signature).to.equal(webhookSignature(token, t, delivery.body));
        const doc = JSON.parse(delivery.body) as {
          epcisBody: {
            queryResults: {
              subscriptionID: string;
              queryName: string;
              resultsBody: { eventList: { bizStep: string }[] };
            };
          };
        };
        expect(doc.epcisBody.queryResults).to.include({ subscriptionID, queryName: "packed" });
        const list = doc.epcisBody.queryResults.resultsBody.eventList;
        expect(list.length).to.be.greaterThan(0);
        expect(new Set(list.map((e) => e.bizStep))).to.deep.equal(new Set(["packing"]));
        // nothing new since: nothing more is sent
        await new Promise((r) => setTimeout(r, 1500));
        expect(got).to.have.length(1);
        const listed = (await (await get("/queries/packed/subscriptions", member)).json()) as {
          lastNotifiedAt?: string;
        }[];
        expect(listed[0].lastNotifiedAt).to.be.a("string");
        expect((await send("DELETE", `/queries/packed/subscriptions/${subscriptionID}`)).status).to.equal(204);
        expect((await send("DELETE", "/queries/packed")).status).to.equal(204);
      } finally {
        await new Promise((r) => server.close(r));
      }
    });
  });

  it("lets in consortium members by token or by a request signed with an active key, and no one else", async () => {
    expect((await get("/v1/orders/1")).status).to.equal(401);
    expect((await get("/v1/orders/1", { Authorization: "Bearer not-issued" })).status).to.equal(401);
    const order = await signed(KEYS.auditor, "/v1/orders/1");
    expect(order.status).to.equal(200);
    expect(await order.json()).to.include({ planned: 20, released: 20, voided: 0, remaining: 0, gtin: GTIN });
    expect((await signed(KEYS.stranger, "/v1/orders/1")).status).to.equal(401);
    expect((await signed(KEYS.revoked, "/v1/orders/1")).status).to.equal(401);
    expect((await signed(KEYS.auditor, "/v1/orders/1", Math.floor(Date.now() / 1000) - 3600)).status).to.equal(401);
    const batch = (await (await get("/v1/batches/1", member)).json()) as { content: { status: string }; count: number };
    expect(batch).to.deep.include({ count: 20, content: { status: "valid", detail: "" } });
    expect((await get("/v1/batches/99", member)).status).to.equal(404);
  });

  it("serves health, metrics and the OpenAPI document", async () => {
    expect((await get("/health")).status).to.equal(200);
    // not public: the operator's token, or nothing
    expect((await get("/metrics")).status).to.equal(401);
    expect((await get("/metrics", member)).status).to.equal(401);
    expect(await (await get("/metrics", { Authorization: `Bearer ${METRICS_TOKEN}` })).text()).to.match(
      /trackroot_indexer_verifications_total 10/,
    );
    const doc = (await (await get("/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).to.include.members(["/v1/codes/{gtin}/{serial}/proof", "/v1/events"]);
  });

  it("rate-limits the public endpoints per client address, whatever X-Forwarded-For claims", async () => {
    let limited: Response | undefined;
    for (let i = 0; i < 60 && !limited; i++) {
      const res = await get(`/v1/codes/${GTIN}/${s[5]}`, { "X-Forwarded-For": `10.0.0.${i}` });
      if (res.status === 429) limited = res;
    }
    expect(limited, "a 429 within 60 requests").to.not.equal(undefined);
    expect(Number(limited!.headers.get("retry-after"))).to.be.greaterThan(0);
  });

  it("takes a forwarded address only from the proxy that shows the proxy token", async () => {
    // through the token, each forwarded visitor has its own bucket: 45 visitors, one request each
    for (let i = 0; i < 45; i++) {
      const res = await get(`/v1/codes/${GTIN}/${s[6]}`, {
        "X-Forwarded-For": `10.1.0.${i}`,
        "Trackroot-Proxy-Token": PROXY_TOKEN,
      });
      expect(res.status, `forwarded visitor ${i}`).to.equal(200);
    }
    // a wrong token is no token: the forwarded address is ignored and the socket's bucket is spent
    let limited = false;
    for (let i = 0; i < 60 && !limited; i++) {
      const res = await get(`/v1/codes/${GTIN}/${s[6]}`, {
        "X-Forwarded-For": `10.2.0.${i}`,
        "Trackroot-Proxy-Token": "not-the-proxy-token-at-all",
      });
      limited = res.status === 429;
    }
    expect(limited).to.equal(true);
  });

  it("answers malformed percent-encoding in a path with a 400 problem, not a 500", async () => {
    for (const path of [`/v1/codes/${GTIN}/%E0%A4%A`, `/v1/codes/%ZZ/X/proof`, "/v1/orders/%"]) {
      const res = await get(path, member);
      expect(res.status, path).to.equal(400);
      expect(res.headers.get("content-type")).to.match(/application\/problem\+json/);
    }
  });

  it("serves a signed read request once: the same headers again are a replay", async () => {
    const headers = await signedHeaders(KEYS.auditor, "/v1/orders/1");
    expect((await get("/v1/orders/1", headers)).status).to.equal(200);
    const again = await get("/v1/orders/1", headers);
    expect(again.status).to.equal(401);
    expect(((await again.json()) as { detail: string }).detail).to.match(/already used/);
  });

  it("lets each participant read only its brand's codes, the codes it held and what it submitted", async () => {
    type Page = { epcisBody: { queryResults: { resultsBody: { eventList: { bizStep?: string; type: string }[] } } } };
    const steps = async (key: Hex) => {
      const res = await signed(key, "/v1/events?perPage=100");
      expect(res.status).to.equal(200);
      return ((await res.json()) as Page).epcisBody.queryResults.resultsBody.eventList.map((e) => e.bizStep).sort();
    };
    // the auditor reads everything; the brand its own codes (all of them here)
    const all = await steps(KEYS.auditor);
    expect(all).to.include("destroying");
    expect(await steps(KEYS.governor)).to.deep.equal(all);
    // the distributor held the case with two units: their commissioning and packing, and its own sighting
    expect(await steps(KEYS.custodian)).to.deep.equal(["commissioning", "commissioning", "packing", "shipping"]);
    // the pharmacy never held anything (the handover it signed was refused) and submitted nothing
    expect(await steps(KEYS.pharmacy)).to.deep.equal([]);
    // orders and batches: the brand and the auditor, not the pharmacy
    expect((await signed(KEYS.pharmacy, "/v1/orders/1")).status).to.equal(403);
    expect((await signed(KEYS.pharmacy, "/v1/batches/1")).status).to.equal(403);
    expect((await signed(KEYS.governor, "/v1/orders/1")).status).to.equal(200);
    // anomalies: the pharmacy sees the refused handover it co-signed, and nothing else
    const anomalies = (await (await signed(KEYS.pharmacy, "/v1/anomalies")).json()) as {
      anomalies: { kind: string }[];
    };
    expect(anomalies.anomalies.map((a) => a.kind)).to.deep.equal(["handover_by_non_holder"]);
  });

  it("rebuilds from an empty database to the running index's digest, on SQLite and on PostgreSQL", async () => {
    const cli = (...argv: string[]) => cliIn(dir, node.url, ["--json", ...argv]);
    const sqlite = JSON.parse(await cli("indexer", "rebuild", "--db", join(dir, "rebuilt.sqlite"))) as {
      digest: string;
    };
    const { url } = await ENGINES[1].options();
    const pg = JSON.parse(await cli("indexer", "rebuild", "--database-url", url!)) as { digest: string };
    const again = JSON.parse(await cli("indexer", "rebuild", "--db", join(dir, "rebuilt.sqlite"))) as {
      digest: string;
    };
    const { db, engine } = openDatabase<IndexerTables>({ sqlitePath: join(dir, "indexer.sqlite") });
    const running = await IndexerStore.open(db, engine);
    const live = await running.digest();
    await running.close();
    expect(sqlite.digest).to.match(/^0x[0-9a-f]{64}$/);
    expect(sqlite.digest).to.equal(live);
    expect(pg.digest).to.equal(sqlite.digest);
    expect(again.digest).to.equal(sqlite.digest);
  });
});

async function until(condition: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

import { encodeSegment, formatDigitalLink } from "../core/gs1/digital-link";
import { getFrom } from "./get-from";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { GatewayClient } from "../client/gateway-client";
import type { RelayerClient } from "../client/relayer-client";
import type { JsonValue } from "../core/epcis/event-hash";
import { formatSscc } from "../core/gs1/sscc";
import { parseCodesCsv } from "../release/release-files";
import {
  CAST,
  DEMO_GTIN,
  DEMO_PREFIX,
  DEMO_PRODUCT_RECORD,
  PRODUCER_PREFIX,
  castAccount,
  participantId,
  type CastRole,
} from "./demo-cast";

/** The parties that record through their own gateway (the brand uses the CLI). */
export const GATEWAY_ROLES = ["producer", "north", "south", "pharmacy"] as const;
export type GatewayRole = (typeof GATEWAY_ROLES)[number];
import { aggregation, commissioning, epcisDocument, observation, site, ssccLink, unitLink } from "./demo-events";
import { demoProductPicture } from "./demo-picture";
import type { StackLayout } from "./stack-layout";

/** Runs one `trackroot` command in this process, signing as `role`; resolves with its --json output. */
export type RunCli = (argv: string[], role: CastRole | "governor") => Promise<Record<string, unknown>>;

/** A code to try on the verification site. */
export interface SampleCode {
  serial: string;
  /** the verification site's page for it */
  url: string;
  /** what it is, in a few words */
  note: string;
}

/** What the demo leaves behind for the summary (demo.json). */
export interface DemoRecord {
  version: 1;
  finishedAt: string;
  orders: { erpRef: string; order: number; batch: number; lot: string; codes: number }[];
  samples: Record<"genuine" | "recalled" | "unknown" | "sold" | "cloned" | "counterfeit", SampleCode>;
}

/** The two production orders of the ERP export: 1,000 codes in all, the second lot is recalled later. */
const ORDERS = [
  { erpRef: "PO-2026-1107", lot: "L2611A", quantity: 900 },
  { erpRef: "PO-2026-1108", lot: "L2611B", quantity: 100 },
] as const;
const CASE_SIZE = 100;
/** how often the cloned code is verified: past the indexer's default threshold of 20 */
export const CLONE_VERIFICATIONS = 25;

/**
 * The consortium's first day, through the real interfaces: the governance key deploys and
 * registers the participants, and the brand imports its ERP export and releases the codes, all
 * with the `trackroot` CLI. Runs before the services start.
 */
export async function setUpLedger(options: { cli: RunCli; layout: StackLayout; log: (line: string) => void }) {
  const { cli, layout, log } = options;
  await cli(["deploy"], "governor");
  for (const role of Object.keys(CAST) as CastRole[]) {
    const m = CAST[role];
    await cli(
      ["participant", "add", "--kind", m.kind, "--gln", m.gln, "--name", m.name, "--key", castAccount(role).address],
      "governor",
    );
  }
  await cli(["prefix", "assign", "--prefix", DEMO_PREFIX, "--brand", String(participantId("brand"))], "governor");
  log(
    `deployed the contracts; registered ${Object.keys(CAST).length} participants and ${CAST.brand.name}'s prefix ${DEMO_PREFIX}`,
  );

  // the brand's ERP export, as its planning system writes it (semicolons, its own column names)
  await mkdir(dirname(layout.erpFile), { recursive: true });
  await writeFile(
    layout.erpFile,
    [
      "Order Number;GTIN;Qty;Batch;Expiry;Producer GLN;Plant",
      ...ORDERS.map((o) => `${o.erpRef};${DEMO_GTIN};${o.quantity};${o.lot};2028-10-31;${CAST.producer.gln};Rhein-2`),
    ].join("\n") + "\n",
  );
  const imported = (await cli(["order", "import", layout.erpFile], "brand")) as {
    opened: { erpRef: string; order: string }[];
  };
  const orders: DemoRecord["orders"] = [];
  for (const o of ORDERS) {
    const order = Number(imported.opened.find((r) => r.erpRef === o.erpRef)?.order);
    const release = (await cli(
      [
        "codes",
        "release",
        "--order",
        String(order),
        "--count",
        String(o.quantity),
        "--out",
        layout.releaseDir(o.erpRef),
      ],
      "brand",
    )) as { batch: string };
    orders.push({ erpRef: o.erpRef, order, batch: Number(release.batch), lot: o.lot, codes: o.quantity });
  }
  log(`imported ${ORDERS.length} production orders from the ERP export and released ${sum(orders)} codes`);
  // what the product is, in the brand's words: the page shows it once the chain's CID checks out
  await writeFile(layout.productFile, JSON.stringify(DEMO_PRODUCT_RECORD, null, 2) + "\n");
  await writeFile(layout.productPictureFile, demoProductPicture());
  const record = (await cli(
    ["product", "set", DEMO_GTIN, layout.productFile, "--image", layout.productPictureFile],
    "brand",
  )) as { cid: string; image: string };
  log(`published the product record of GTIN ${DEMO_GTIN} (${record.cid}) with its picture (${record.image})`);
  return orders;
}

const sum = (orders: DemoRecord["orders"]) => orders.reduce((n, o) => n + o.codes, 0);

/** The released codes of an order: serial and Digital Link, from the release's codes.csv. */
async function releasedCodes(layout: StackLayout, erpRef: string): Promise<{ serial: string; url: string }[]> {
  return parseCodesCsv(await readFile(join(layout.releaseDir(erpRef), "codes.csv"), "utf8"));
}

/**
 * The goods' journey, signed by whoever scans or hands over, sent to the relayer: commissioning,
 * packing into cases and a pallet, shipping with co-signed handovers through two distributors to
 * a pharmacy, one unit sold; then the brand recalls the second lot, a "fourth shift" at the
 * producer commissions a code no batch released, and one genuine code is verified again and again
 * as a cloned code would be.
 */
export async function playSupplyChain(options: {
  cli: RunCli;
  layout: StackLayout;
  orders: DemoRecord["orders"];
  /** each recording party's own gateway, as its warehouse system reaches it (with its API token) */
  gateways: Record<GatewayRole, GatewayClient>;
  relayer: RelayerClient;
  /** the verification site, where the samples open and the cloned code is verified */
  siteUrl: string;
  /** resolves once the indexer has applied everything on the chain */
  indexerCaughtUp: () => Promise<void>;
  log: (line: string) => void;
}): Promise<DemoRecord> {
  const { layout, orders, gateways, log } = options;
  const [lotA, lotB] = await Promise.all(orders.map((o) => releasedCodes(layout, o.erpRef)));
  const at = {
    producer: site(CAST.producer.gln),
    north: site(CAST.north.gln),
    south: site(CAST.south.gln),
    pharmacy: site(CAST.pharmacy.gln),
  };

  // the story happened over the last two days; every time is in the past
  const start = Date.now() - 48 * 3_600_000;
  const hour = (h: number) => new Date(start + h * 3_600_000);
  const jobs = new Map<GatewayRole, string[]>(GATEWAY_ROLES.map((r) => [r, []]));
  const handovers: string[] = [];
  // a party's systems post plain EPCIS to its gateway, which signs with the party's key
  const capture = async (role: GatewayRole, events: { [k: string]: JsonValue }[], created: Date) => {
    const job = await gateways[role].capture(epcisDocument(events, created));
    jobs.get(role)?.push(job.captureID);
  };
  // what a party recorded reaches the relayer before the goods leave it: the ledger keeps the story's order
  const forwarded = async (role: GatewayRole) => {
    for (;;) {
      const states = await Promise.all((jobs.get(role) ?? []).map((id) => gateways[role].job(id)));
      const failed = states.find((j) => !j.running && !j.success);
      if (failed) throw new Error(`${role}'s capture ${failed.captureID} failed: ${JSON.stringify(failed.errors)}`);
      if (states.every((j) => j.trackroot.status !== "pending")) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  // two companies, two gateways: the sender proposes, the receiver finds it in its inbox and countersigns
  const handover = async (from: GatewayRole, to: GatewayRole, items: string[], shipmentRef: string, time: Date) => {
    await forwarded(from);
    const proposal = await gateways[from].propose({
      to: CAST[to].gln,
      items,
      shipmentRef,
      eventTime: time.toISOString(),
    });
    const inbox = await gateways[to].inbox({ status: "proposed" });
    if (!inbox.some((p) => p.id === proposal.id)) throw new Error(`${shipmentRef} is not in ${CAST[to].name}'s inbox`);
    const accepted = await gateways[to].accept(proposal.id, items);
    handovers.push(accepted.captureID ?? proposal.id);
  };

  const unitsA = lotA.map((c) => unitLink(DEMO_GTIN, c.serial));
  const unitsB = lotB.map((c) => unitLink(DEMO_GTIN, c.serial));
  const units = [...unitsA, ...unitsB];
  const cases = Array.from({ length: Math.ceil(units.length / CASE_SIZE) }, (_, i) =>
    ssccLink(formatSscc(1, PRODUCER_PREFIX, 1_000 + i)),
  );
  const pallet = ssccLink(formatSscc(3, PRODUCER_PREFIX, 9_000));
  const caseOf = (unit: string) => cases[Math.floor(units.indexOf(unit) / CASE_SIZE)];

  await capture(
    "producer",
    [commissioning(unitsA, hour(0), at.producer), commissioning(unitsB, hour(0.5), at.producer)],
    hour(1),
  );
  await capture(
    "producer",
    [
      ...cases.map((c, i) =>
        aggregation(c, units.slice(i * CASE_SIZE, (i + 1) * CASE_SIZE), "ADD", hour(2), at.producer),
      ),
      aggregation(pallet, cases, "ADD", hour(2.5), at.producer),
      observation([pallet], "shipping", hour(3), at.producer),
    ],
    hour(3),
  );
  await handover("producer", "north", [pallet], "DESADV-RCM-0001", hour(3));
  log(
    `${CAST.producer.name} commissioned ${units.length} units, packed ${cases.length} cases on a pallet, shipped it to ${CAST.north.name}`,
  );

  // NorthLog splits the pallet: cases 1-3 and the lot B case go on to MedWay
  const onward = [cases[0], cases[1], cases[2], caseOf(unitsB[0])];
  await capture(
    "north",
    [
      observation([pallet], "receiving", hour(8), at.north),
      aggregation(pallet, onward, "DELETE", hour(20), at.north),
      observation(onward, "shipping", hour(21), at.north),
    ],
    hour(21),
  );
  await handover("north", "south", onward, "DESADV-NLD-0042", hour(21));
  await capture("south", [observation(onward, "receiving", hour(26), at.south)], hour(26));

  // MedWay delivers one case of each lot to the pharmacy
  const toPharmacy = [cases[0], caseOf(unitsB[0])];
  await capture("south", [observation(toPharmacy, "shipping", hour(30), at.south)], hour(30));
  await handover("south", "pharmacy", toPharmacy, "DESADV-MWW-0107", hour(30));
  await capture("pharmacy", [observation(toPharmacy, "receiving", hour(33), at.pharmacy)], hour(33));
  const sold = unitsA[0];
  await capture("pharmacy", [observation([sold], "retail_selling", hour(40), at.pharmacy)], hour(40));
  log(
    `handed over through ${CAST.north.name} and ${CAST.south.name} to ${CAST.pharmacy.name} (each proposed by the sender's gateway, accepted from the receiver's inbox), one unit sold`,
  );

  // a quality finding on lot B: the brand recalls its batch
  const recalledBatch = orders[1].batch;
  await options.cli(
    [
      "recall",
      "--batch",
      String(recalledBatch),
      "--reason",
      `lot ${orders[1].lot}: out-of-specification dissolution results`,
    ],
    "brand",
  );
  log(`${CAST.brand.name} recalled batch ${recalledBatch} (lot ${orders[1].lot})`);

  // the planted counterfeit: a code shaped like the genuine ones that no batch released
  const released = new Set([...lotA, ...lotB].map((c) => c.serial));
  const counterfeit = forgeSerial(lotA[1].serial, released);
  await capture("producer", [commissioning([unitLink(DEMO_GTIN, counterfeit)], hour(44), at.producer)], hour(44));
  log(`a "fourth shift" at ${CAST.producer.name} commissioned ${counterfeit}, a code outside every batch`);

  await Promise.all(GATEWAY_ROLES.map((r) => gateways[r].waitFinished(jobs.get(r) ?? [], { timeoutMs: 60_000 })));
  await options.relayer.waitCommitted(handovers, { timeoutMs: 60_000 });
  await options.indexerCaughtUp();

  // one genuine code, copied onto many packs: each copy gets scanned, by a different person each
  // (here: a different loopback address each, as the site sees a different visitor's socket)
  const cloned = lotA[CASE_SIZE * 5];
  const proofPath = `/v1/codes/${DEMO_GTIN}/${encodeSegment(cloned.serial)}/proof`;
  for (let i = 0; i < CLONE_VERIFICATIONS; i++) {
    const answer = await getFrom(new URL(proofPath, options.siteUrl).href, `127.0.0.${10 + i}`);
    if (answer.status !== 200) throw new Error(`verifying the cloned code: GET ${proofPath} answered ${answer.status}`);
  }
  log(`the code ${cloned.serial} was verified by ${CLONE_VERIFICATIONS} people, as copies of one label would be`);

  const link = (serial: string) => formatDigitalLink({ origin: options.siteUrl, gtin: DEMO_GTIN, serial });
  const unknown = forgeSerial(lotB[0].serial, new Set([...released, counterfeit]));
  return {
    version: 1,
    finishedAt: new Date().toISOString(),
    orders,
    samples: {
      genuine: { serial: lotA[1].serial, url: lotA[1].url, note: `genuine, at ${CAST.pharmacy.name}` },
      recalled: { serial: lotB[0].serial, url: lotB[0].url, note: `genuine but recalled (lot ${orders[1].lot})` },
      unknown: { serial: unknown, url: link(unknown), note: "never released: unknown" },
      sold: { serial: lotA[0].serial, url: lotA[0].url, note: "genuine, already sold" },
      cloned: { serial: cloned.serial, url: cloned.url, note: `verified by ${CLONE_VERIFICATIONS} people: suspicious` },
      counterfeit: { serial: counterfeit, url: link(counterfeit), note: "commissioned outside every batch" },
    },
  };
}

/** A serial of the same shape as `like` that is not in `taken`. */
function forgeSerial(like: string, taken: ReadonlySet<string>): string {
  const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  for (const a of alphabet) {
    for (const b of alphabet) {
      const candidate = like.slice(0, -2) + a + b;
      if (!taken.has(candidate)) return candidate;
    }
  }
  throw new Error(`every serial like ${like} is taken`);
}

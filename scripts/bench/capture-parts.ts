/**
 * A capture's hashing, side by side in one process: what a gateway signs and a relayer checks for
 * each capture of 100 two-unit events (captures of the gateway bench's shape).
 *   - the anchor: each event's parts one at a time (`eventParts`, the path before captureEventParts);
 *   - `captureEventParts`: the whole capture's parts in one pass of the kernel;
 *   - the whole summary (`captureSummary`: CBV 2.0 event hashes, parts, events tree).
 * Median of 7 rounds over 300 captures each, after a warm-up round.
 *   npm run bench:capture-parts
 */
import type { Hex } from "../../src/core/bytes";
import { captureSummary } from "../../src/client/sign-capture";
import { captureEventParts } from "../../src/core/custody/capture-parts";
import { eventParts } from "../../src/core/custody/disclosure-trees";
import { eventHashBytes, eventsOf, type EpcisEvent } from "../../src/core/epcis/event-hash";
import { epcisDocument, objectEvent } from "../../test/support/captures";

const CAPTURES = 300;
const EVENTS = 100;
const salt = `0x${"5a".repeat(32)}` as Hex;

let serial = 0;
const documents = Array.from({ length: CAPTURES }, () =>
  epcisDocument(Array.from({ length: EVENTS }, () => objectEvent([`B${++serial}`, `B${++serial}`]))),
);
const captures = documents.map((d) => {
  const { events, context, ignore } = eventsOf(d);
  return { events: events as EpcisEvent[], hashes: events.map((e) => eventHashBytes(e, context, ignore)) };
});

/** Milliseconds per capture, the median of the rounds. */
function perCapture(work: () => void): number {
  work();
  const rounds: number[] = [];
  for (let r = 0; r < 7; r++) {
    const t = performance.now();
    work();
    rounds.push((performance.now() - t) / CAPTURES);
  }
  return rounds.sort((a, b) => a - b)[3];
}

const oneByOne = perCapture(() => {
  for (const c of captures) c.events.forEach((e, i) => eventParts(e, c.hashes[i], salt, i));
});
const batched = perCapture(() => {
  for (const c of captures) captureEventParts(c.events, c.hashes, salt);
});
const summary = perCapture(() => {
  for (const d of documents) captureSummary(d, salt);
});
console.log(`captures of ${EVENTS} events (two units each), ms per capture, median of 7 rounds of ${CAPTURES}:\n`);
console.log("| measure | ms per capture |");
console.log("|---|---|");
console.log(`| event parts one at a time (eventParts, anchor) | ${oneByOne.toFixed(2)} |`);
console.log(
  `| event parts in one pass (captureEventParts) | ${batched.toFixed(2)} (${(oneByOne / batched).toFixed(1)}x) |`,
);
console.log(`| the whole summary a gateway signs (captureSummary) | ${summary.toFixed(2)} |`);

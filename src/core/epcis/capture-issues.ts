import type { Hex } from "../bytes";
import { CaptureRejectedError } from "../errors";
import { eventHashBytes, eventsOf, fromNiUri, type EpcisEvent, type JsonValue } from "./event-hash";
import { identifierIssues } from "./identifiers";
import { validateEpcisDocument, type EpcisIssue } from "./validate";

interface Read {
  issues: EpcisIssue[];
  events: EpcisEvent[];
  context: JsonValue | undefined;
  /** the fields the document declares ignored by the hash */
  ignore: string[];
  /** the JSON pointer of the event list */
  pointer: string;
}

/** An eventID that claims to be the CBV 2.0 hash (any other URI is an identifier like any other). */
const HASH_FORM = /^ni:\/\/\/sha-256;/i;

/**
 * Everything wrong with a capture's document, event by event, as the relayer judges it: the EPCIS
 * 2.0 schema, each identifier's syntax, and an eventID of the CBV 2.0 hash form against the
 * event's hash (any other URI, `urn:uuid:` as line systems send, is the submitter's to choose). A
 * fault of the document as a whole (not of one event) throws a CaptureRejectedError at once;
 * `beforeHashing` sees the events first (the relayer checks their count against what was signed).
 */
export function captureDocumentIssues(
  document: unknown,
  beforeHashing?: (events: EpcisEvent[]) => void,
): Read & { hashes: Hex[] } {
  const read = readDocument(document);
  beforeHashing?.(read.events);
  const hashes = read.events.map((e) => eventHashBytes(e, read.context, read.ignore));
  eventIssues(read, (i) => hashes[i]);
  return { ...read, hashes };
}

/** The same judgement, hashing only the events whose eventID is a hash (a gateway's check before its 202). */
export function captureDocumentIssuesUnhashed(document: unknown): Read {
  const read = readDocument(document);
  eventIssues(read, (i) => eventHashBytes(read.events[i], read.context, read.ignore));
  return read;
}

/**
 * The same judgement for a document on its own (`trackroot epcis validate`): every issue, the
 * document's own as well as its events', and how many events it holds.
 */
export function documentIssues(document: unknown): { issues: EpcisIssue[]; eventCount: number } {
  const issues = validateEpcisDocument(document as JsonValue);
  if (issues.some((i) => i.eventIndex === undefined)) return { issues, eventCount: 0 };
  const read = { issues, ...eventsOf(document as { [k: string]: JsonValue }) };
  eventIssues(read, (i) => eventHashBytes(read.events[i], read.context, read.ignore));
  return { issues: read.issues, eventCount: read.events.length };
}

function readDocument(document: unknown): Read {
  const issues = validateEpcisDocument(document as JsonValue);
  if (issues.some((i) => i.eventIndex === undefined)) throw new CaptureRejectedError(issues);
  const { events, context, ignore, pointer } = eventsOf(document as { [k: string]: JsonValue });
  return { issues, events, context, ignore, pointer };
}

function eventIssues({ issues, events, pointer }: Read, hashOf: (index: number) => Hex): void {
  const flagged = new Set(issues.map((issue) => issue.pointer));
  events.forEach((event, i) => {
    for (const issue of identifierIssues(event, i, pointer)) if (!flagged.has(issue.pointer)) issues.push(issue);
    const id = event.eventID;
    if (typeof id !== "string" || !HASH_FORM.test(id)) return;
    const hash = hashOf(i);
    let stated: Hex | undefined;
    try {
      // the hex as the reference writes it (lower case); an upper-case twin names the same digest
      stated = fromNiUri(id.replace(/;([0-9A-Fa-f]{64})\?/, (_, hex: string) => `;${hex.toLowerCase()}?`));
    } catch {
      stated = undefined;
    }
    if (stated !== hash) {
      issues.push({
        eventIndex: i,
        pointer: `${pointer}/${i}/eventID`,
        message: `does not match the event's CBV 2.0 hash ni:///sha-256;${hash.slice(2)}?ver=CBV2.0`,
      });
    }
  });
}

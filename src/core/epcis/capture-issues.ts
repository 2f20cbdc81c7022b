import type { Hex } from "../bytes";
import { CaptureRejectedError } from "../errors";
import { eventHashBytes, eventsOf, fromNiUri, type EpcisEvent, type JsonValue } from "./event-hash";
import { identifierIssues } from "./identifiers";
import { validateEpcisDocument, type EpcisIssue } from "./validate";

interface Read {
  issues: EpcisIssue[];
  events: EpcisEvent[];
  context: JsonValue | undefined;
}

/**
 * Everything wrong with a capture's document, event by event, as the relayer judges it: the EPCIS
 * 2.0 schema, each identifier's syntax, and a stated eventID against the event's CBV 2.0 hash. A
 * fault of the document as a whole (not of one event) throws a CaptureRejectedError at once;
 * `beforeHashing` sees the events first (the relayer checks their count against what was signed).
 */
export function captureDocumentIssues(
  document: unknown,
  beforeHashing?: (events: EpcisEvent[]) => void,
): Read & { hashes: Hex[] } {
  const read = readDocument(document);
  beforeHashing?.(read.events);
  const hashes = read.events.map((e) => eventHashBytes(e, read.context));
  eventIssues(read, (i) => hashes[i]);
  return { ...read, hashes };
}

/** The same judgement, hashing only the events that state an eventID (a gateway's check before its 202). */
export function captureDocumentIssuesUnhashed(document: unknown): Read {
  const read = readDocument(document);
  eventIssues(read, (i) => eventHashBytes(read.events[i], read.context));
  return read;
}

function readDocument(document: unknown): Read {
  const issues = validateEpcisDocument(document as JsonValue);
  if (issues.some((i) => i.eventIndex === undefined)) throw new CaptureRejectedError(issues);
  const { events, context } = eventsOf(document as { [k: string]: JsonValue });
  return { issues, events, context };
}

function eventIssues({ issues, events }: Read, hashOf: (index: number) => Hex): void {
  const flagged = new Set(issues.map((issue) => issue.pointer));
  events.forEach((event, i) => {
    for (const issue of identifierIssues(event, i)) if (!flagged.has(issue.pointer)) issues.push(issue);
    if (event.eventID !== undefined) {
      const hash = hashOf(i);
      let stated: Hex | undefined;
      try {
        stated = fromNiUri(String(event.eventID));
      } catch {
        stated = undefined;
      }
      if (stated !== hash) {
        issues.push({
          eventIndex: i,
          pointer: `/epcisBody/eventList/${i}/eventID`,
          message: `does not match the event's CBV 2.0 hash ni:///sha-256;${hash.slice(2)}?ver=CBV2.0`,
        });
      }
    }
  });
}

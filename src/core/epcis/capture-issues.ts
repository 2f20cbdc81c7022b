import type { Hex } from "../bytes";
import { CaptureRejectedError } from "../errors";
import { eventHashBytes, eventsOf, fromNiUri, type EpcisEvent, type JsonValue } from "./event-hash";
import { identifierIssues } from "./identifiers";
import { validateEpcisDocument, type EpcisIssue } from "./validate";

/**
 * Everything wrong with a capture's document, event by event, as the relayer judges it: the EPCIS
 * 2.0 schema, each identifier's syntax, and a stated eventID against the event's CBV 2.0 hash. A
 * fault of the document as a whole (not of one event) throws a CaptureRejectedError at once;
 * `beforeHashing` sees the events first (the relayer checks their count against what was signed).
 */
export function captureDocumentIssues(
  document: unknown,
  beforeHashing?: (events: EpcisEvent[]) => void,
): { issues: EpcisIssue[]; events: EpcisEvent[]; context: JsonValue | undefined; hashes: Hex[] } {
  const issues = validateEpcisDocument(document as JsonValue);
  if (issues.some((i) => i.eventIndex === undefined)) throw new CaptureRejectedError(issues);
  const { events, context } = eventsOf(document as { [k: string]: JsonValue });
  beforeHashing?.(events);
  const hashes = events.map((e) => eventHashBytes(e, context));
  const flagged = new Set(issues.map((issue) => issue.pointer));
  events.forEach((event, i) => {
    for (const issue of identifierIssues(event, i)) if (!flagged.has(issue.pointer)) issues.push(issue);
    if (event.eventID !== undefined) {
      let stated: Hex | undefined;
      try {
        stated = fromNiUri(String(event.eventID));
      } catch {
        stated = undefined;
      }
      if (stated !== hashes[i]) {
        issues.push({
          eventIndex: i,
          pointer: `/epcisBody/eventList/${i}/eventID`,
          message: `does not match the event's CBV 2.0 hash ni:///sha-256;${hashes[i].slice(2)}?ver=CBV2.0`,
        });
      }
    }
  });
  return { issues, events, context, hashes };
}

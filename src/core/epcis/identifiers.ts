import type { EpcisIssue } from "./validate";
import { canonicalDigitalLink } from "./canonical-value";
import type { EpcisEvent } from "./event-hash";

/** EPC fields whose values must be instance or class identifiers. */
const ID_LISTS = ["epcList", "childEPCs", "inputEPCList", "outputEPCList"] as const;
const EPC_URN = /^urn:epc:(id|idpat|class):[a-z0-9]+:[^\s]+$/i;

/** An EPC URN or a GS1 Digital Link with a primary key. */
export function isWellFormedIdentifier(value: unknown): boolean {
  return typeof value === "string" && (EPC_URN.test(value) || canonicalDigitalLink(value) !== undefined);
}

/**
 * Every identifier of an event that is neither an EPC URN nor a GS1 Digital Link, by JSON pointer
 * (`list` is the pointer of the document's event list).
 */
export function identifierIssues(event: EpcisEvent, index: number, list = "/epcisBody/eventList"): EpcisIssue[] {
  const issues: EpcisIssue[] = [];
  const at = `${list}/${index}`;
  for (const field of ID_LISTS) {
    const list = event[field];
    if (!Array.isArray(list)) continue;
    list.forEach((v, i) => {
      if (!isWellFormedIdentifier(v)) {
        issues.push({
          eventIndex: index,
          pointer: `${at}/${field}/${i}`,
          message: `not an EPC URN or GS1 Digital Link: ${JSON.stringify(v)}`,
        });
      }
    });
  }
  if (event.parentID !== undefined && !isWellFormedIdentifier(event.parentID)) {
    issues.push({
      eventIndex: index,
      pointer: `${at}/parentID`,
      message: `not an EPC URN or GS1 Digital Link: ${JSON.stringify(event.parentID)}`,
    });
  }
  return issues;
}

import { CaptureRejectedError } from "../core/errors";
import { readXmlDocument, type XmlMappingNote } from "../core/epcis/xml-binding";
import type { XsdValidator } from "../xml/xsd-validator";

/**
 * A capture in EPCIS XML (2.0, or 1.2 as DSCSA exchanges it): checked against GS1's XSD, then read
 * into the JSON-LD binding, which is what the gateway signs and forwards (so the relayer stores
 * exactly the bytes that were signed). What the JSON-LD model cannot carry is told to the client.
 */
export class XmlIntake {
  constructor(private readonly xsd: XsdValidator) {}

  async toJsonLd(text: string): Promise<{ text: string; notMapped: XmlMappingNote[] }> {
    const { document, binding, notes } = readXmlDocument(text);
    const issues = await this.xsd.validate(text, binding);
    if (issues.length) {
      throw new CaptureRejectedError(
        issues.map((i) => ({
          pointer: i.line ? `line ${i.line}` : "/",
          message: `XSD (EPCIS ${binding}): ${i.message}`,
        })),
      );
    }
    return { text: JSON.stringify(document), notMapped: notes };
  }
}

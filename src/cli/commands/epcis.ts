import { writeFile } from "node:fs/promises";
import { Option, type Command } from "commander";
import { ValidationError } from "../../core/errors";
import type { JsonValue } from "../../core/epcis/event-hash";
import type { XmlMappingNote } from "../../core/epcis/xml-binding";
import type { XsdIssue } from "../../xml/xsd-validator";
import { EXIT } from "../exit-codes";
import { readText, type CliIo } from "../io";
import type { GlobalOptions } from "../options";

/** The core's EPCIS functions (JSON Schema, XML, XSD): loaded by an epcis command alone. */
async function epcisCore() {
  const [hash, issues, xml, schema, writer, xsd] = await Promise.all([
    import("../../core/epcis/event-hash"),
    import("../../core/epcis/capture-issues"),
    import("../../core/epcis/xml-binding"),
    import("../../core/epcis/validate"),
    import("../../core/epcis/xml-writer"),
    import("../../xml/xsd-validator"),
  ]);
  return {
    documentEventHashes: hash.documentEventHashes,
    documentIssues: issues.documentIssues,
    looksLikeXml: xml.looksLikeXml,
    readXmlDocument: xml.readXmlDocument,
    xmlRootOf: xml.xmlRootOf,
    validateEpcisDocument: schema.validateEpcisDocument,
    writeXmlDocument: writer.writeXmlDocument,
    XsdValidator: xsd.XsdValidator,
  };
}
type EpcisCore = Awaited<ReturnType<typeof epcisCore>>;

interface DocumentFile {
  document: { [k: string]: JsonValue };
  /** the XML binding it came in, with what of it the JSON-LD model could not carry */
  xml?: { binding: "2.0" | "1.2"; text: string; notes: XmlMappingNote[] };
}

/** A document file in either binding: JSON (JSON-LD) or XML (EPCIS 2.0 or 1.2), told by its content. */
async function readDocumentFile(core: EpcisCore, path: string): Promise<DocumentFile> {
  const text = await readText(path);
  if (core.looksLikeXml(text)) {
    const { document, binding, notes } = core.readXmlDocument(text);
    return { document, xml: { binding, text, notes } };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ValidationError("file", path, `is neither XML nor JSON: ${(e as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError("file", path, "an EPCIS document is a JSON object");
  }
  return { document: value as { [k: string]: JsonValue } };
}

/** `trackroot epcis hash|validate <file>`: the core's EPCIS functions on a document file. */
export function registerEpcisCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const epcis = program
    .command("epcis")
    .description("EPCIS 2.0 documents: canonical event hashes and schema validation");

  epcis
    .command("hash")
    .description(
      "print the CBV 2.0 event hash (ni:///sha-256;...?ver=CBV2.0) of every event, one per line, in document order",
    )
    .argument("<file>", "an EPCIS document: JSON-LD, or XML (EPCIS 2.0 or 1.2)")
    .action(async (file: string) => {
      const core = await epcisCore();
      const hashes = core.documentEventHashes((await readDocumentFile(core, file)).document);
      const { json } = program.opts<GlobalOptions>();
      if (json) io.out(JSON.stringify(hashes.map((eventHash, index) => ({ index, eventHash }))));
      else for (const h of hashes) io.out(h);
    });

  epcis
    .command("validate")
    .description(
      "check a document as the relayer does (JSON-LD: the EPCIS 2.0 JSON schema read the JSON-LD way; XML: GS1's XSD), then its identifiers and eventIDs of the hash form; exit 0 when valid, else print each error and exit 1",
    )
    .argument("<file>", "an EPCIS document: JSON-LD, or XML (EPCIS 2.0 or 1.2)")
    .action(async (file: string) => {
      const core = await epcisCore();
      const { json } = program.opts<GlobalOptions>();
      const text = await readText(file);
      // GS1's other XML documents (a capture job, a master data document): their XSD is all there is
      if (core.looksLikeXml(text)) {
        const root = core.xmlRootOf(text);
        if (root.binding && root.name !== "EPCISDocument" && root.name !== "EPCISQueryDocument") {
          const xsd = await core.XsdValidator.load().validate(text, root.binding);
          if (json)
            io.out(JSON.stringify({ valid: xsd.length === 0, binding: `xml-${root.binding}`, root: root.name, xsd }));
          else {
            for (const x of xsd) io.err(`xsd${x.line ? ` line ${x.line}` : ""}: ${x.message}`);
            if (xsd.length === 0) io.out(`valid: ${root.name} (EPCIS ${root.binding} XML), no events`);
          }
          if (xsd.length) setExit(EXIT.user);
          return;
        }
      }
      const { document, xml } = await readDocumentFile(core, file);
      const xsd: XsdIssue[] = xml ? await core.XsdValidator.load().validate(xml.text, xml.binding) : [];
      const all = core.documentIssues(document);
      // an XML document is judged by its XSD and the relayer's rules; what only its JSON-LD form
      // breaks (the JSON schema) is told, since capturing it means capturing that form
      const schema = xml
        ? new Set(core.validateEpcisDocument(document).map((i) => `${i.pointer} ${i.message}`))
        : new Set();
      const issues = all.issues.filter((i) => !schema.has(`${i.pointer} ${i.message}`));
      const asJsonLd = all.issues.filter((i) => schema.has(`${i.pointer} ${i.message}`));
      const n = all.eventCount;
      const notes = xml?.notes ?? [];
      const valid = issues.length === 0 && xsd.length === 0;
      if (json) {
        io.out(
          JSON.stringify({
            valid,
            ...(xml ? { binding: `xml-${xml.binding}`, xsd, notMapped: notes, jsonLdIssues: asJsonLd } : {}),
            issues,
          }),
        );
      } else {
        for (const x of xsd) io.err(`xsd${x.line ? ` line ${x.line}` : ""}: ${x.message}`);
        for (const i of issues) {
          io.err(`${i.eventIndex !== undefined ? `event ${i.eventIndex} ` : ""}${i.pointer}: ${i.message}`);
        }
        for (const i of asJsonLd) {
          io.err(
            `as JSON-LD (so not capturable as it is)${i.eventIndex !== undefined ? `, event ${i.eventIndex}` : ""}: ${i.pointer}: ${i.message}`,
          );
        }
        for (const m of notes) {
          io.err(`not mapped${m.eventIndex !== undefined ? `, event ${m.eventIndex}` : ""}: ${m.path}: ${m.message}`);
        }
        if (valid) io.out(`valid: ${n} event${n === 1 ? "" : "s"}${xml ? ` (EPCIS ${xml.binding} XML)` : ""}`);
      }
      if (!valid) setExit(EXIT.user);
    });

  epcis
    .command("convert")
    .description(
      "write a document in the other binding (JSON-LD or EPCIS 2.0 XML), every event's hash kept; an EPCIS 1.2 XML document converts to either",
    )
    .argument("<file>", "an EPCIS document: JSON-LD, or XML (EPCIS 2.0 or 1.2)")
    .addOption(new Option("--to <binding>", "the binding to write").choices(["json", "xml"]).makeOptionMandatory())
    .option("-o, --out <file>", "write here instead of to standard output")
    .action(async (file: string, options: { to: "json" | "xml"; out?: string }) => {
      const core = await epcisCore();
      const { document, xml } = await readDocumentFile(core, file);
      for (const m of xml?.notes ?? [])
        io.err(`not mapped${m.eventIndex !== undefined ? `, event ${m.eventIndex}` : ""}: ${m.path}: ${m.message}`);
      const text = options.to === "xml" ? core.writeXmlDocument(document) : JSON.stringify(document, null, 2) + "\n";
      if (options.out) await writeFile(options.out, text);
      else io.out(text.replace(/\n$/, ""));
    });
}

import type { Command } from "commander";
import { ValidationError } from "../../core/errors";
import { documentEventHashes } from "../../core/epcis/event-hash";
import type { JsonValue } from "../../core/epcis/event-hash";
import { documentIssues } from "../../core/epcis/capture-issues";
import { EXIT } from "../exit-codes";
import { readJsonFile, type CliIo } from "../io";
import type { GlobalOptions } from "../options";

function asDocument(value: unknown, path: string): { [k: string]: JsonValue } {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError("file", path, "an EPCIS document is a JSON object");
  }
  return value as { [k: string]: JsonValue };
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
    .argument("<file>", "an EPCIS 2.0 JSON or JSON-LD document")
    .action(async (file: string) => {
      const hashes = documentEventHashes(asDocument(await readJsonFile(file), file));
      const { json } = program.opts<GlobalOptions>();
      if (json) io.out(JSON.stringify(hashes.map((eventHash, index) => ({ index, eventHash }))));
      else for (const h of hashes) io.out(h);
    });

  epcis
    .command("validate")
    .description(
      "check a document as the relayer does (the EPCIS 2.0 JSON schema read the JSON-LD way, identifiers, eventIDs of the hash form); exit 0 when valid, else print each error and exit 1",
    )
    .argument("<file>", "an EPCIS 2.0 JSON or JSON-LD document")
    .action(async (file: string) => {
      const document = await readJsonFile(file);
      const { issues, eventCount: n } = documentIssues(document);
      const { json } = program.opts<GlobalOptions>();
      if (json) io.out(JSON.stringify({ valid: issues.length === 0, issues }));
      else if (issues.length === 0) {
        io.out(`valid: ${n} event${n === 1 ? "" : "s"}`);
      } else {
        for (const i of issues) {
          io.err(`${i.eventIndex !== undefined ? `event ${i.eventIndex} ` : ""}${i.pointer}: ${i.message}`);
        }
      }
      if (issues.length > 0) setExit(EXIT.user);
    });
}

import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { validateXML } from "xmllint-wasm";

/**
 * EPCIS XML documents checked against GS1's official XSDs (xsd/2.0 and xsd/1.2, copied here with
 * GS1's notice), by libxml2 compiled to WebAssembly (xmllint-wasm): no native build, nothing
 * fetched. Each call runs in a worker thread of its own, so a hostile document cannot take the
 * caller down; `maxBytes` bounds what is handed to it.
 */

export interface XsdIssue {
  /** the line of the document, when libxml2 names one */
  line?: number;
  message: string;
}

type Binding = "2.0" | "1.2";
interface SchemaSet {
  main: Record<"events" | "query" | "masterdata", string>;
  files: { fileName: string; contents: string }[];
}

const MAIN: Record<Binding, SchemaSet["main"]> = {
  "2.0": {
    events: "EPCglobal-epcis-2_0.xsd",
    query: "EPCglobal-epcis-query-2_0.xsd",
    masterdata: "EPCglobal-epcis-masterdata-2_0.xsd",
  },
  "1.2": {
    events: "EPCglobal-epcis-1_2.xsd",
    query: "EPCglobal-epcis-query-1_2.xsd",
    masterdata: "EPCglobal-epcis-masterdata-1_2.xsd",
  },
};

export class XsdValidator {
  private constructor(
    private readonly sets: Record<Binding, SchemaSet>,
    private readonly maxBytes: number,
  ) {}

  /** Loads the schemas once (from beside this file). */
  static load(options: { maxBytes?: number } = {}): XsdValidator {
    const read = (binding: Binding): SchemaSet => {
      const dir = join(__dirname, "xsd", binding);
      const files = readdirSync(dir)
        .filter((f) => f.endsWith(".xsd"))
        .map((fileName) => ({ fileName, contents: readFileSync(join(dir, fileName), "utf8") }));
      return { main: MAIN[binding], files };
    };
    return new XsdValidator({ "2.0": read("2.0"), "1.2": read("1.2") }, options.maxBytes ?? 16 * 1024 * 1024);
  }

  /**
   * Every XSD violation of `text`, an EPCIS document, query document or master data document of
   * `binding`, by line; empty when it is valid.
   */
  async validate(text: string, binding: Binding): Promise<XsdIssue[]> {
    if (Buffer.byteLength(text) > this.maxBytes)
      return [{ message: `the document is over ${this.maxBytes} bytes, more than is validated` }];
    const set = this.sets[binding];
    const root = /<(?:[A-Za-z_][\w.-]*:)?(EPCISDocument|EPCISQueryDocument|EPCISMasterDataDocument)\b/.exec(text)?.[1];
    const main =
      root === "EPCISQueryDocument"
        ? set.main.query
        : root === "EPCISMasterDataDocument"
          ? set.main.masterdata
          : set.main.events;
    const schema = set.files.find((f) => f.fileName === main)!;
    const result = await validateXML({
      xml: [{ fileName: "document.xml", contents: text }],
      schema: [schema],
      preload: set.files.filter((f) => f !== schema),
      maxMemoryPages: 2048,
    });
    return result.errors.map((e) => ({
      ...(e.loc?.lineNumber ? { line: e.loc.lineNumber } : {}),
      message: e.message.replace(/^document\.xml:\d+:\s*/, ""),
    }));
  }
}

import { resolve } from "node:path";
import type { Command } from "commander";
import { parseStrictJson } from "../../core/json/strict-json";
import type { CliContext } from "../context";
import { readBytes, readText } from "../io";
import { emit, positiveInt } from "./shared";

const RECORD_DEPTH = 8;

/** product set | show: a brand's product record per GTIN (name, description, image, links), on-chain by CID. */
export function registerProductCommands(program: Command, context: () => Promise<CliContext>): void {
  const product = program
    .command("product")
    .description("a GTIN's product record (GS1 Web Vocabulary JSON-LD): what verifiers show of the product");
  product
    .command("set")
    .description("publish a GTIN's product record (a new version; earlier ones stay readable)")
    .argument("<gtin>", "the GTIN, under a prefix of the brand whose key signs")
    .argument("<record>", "the record, a JSON-LD gs1:Product file (see docs/product-records.md)")
    .option(
      "--image <file>",
      "the product's picture (PNG, JPEG or WebP, at most 256 KiB): published with the record, named by its CID",
    )
    .action(async (gtin: string, file: string, opts: { image?: string }) => {
      const ctx = await context();
      const [{ MAX_PRODUCT_IMAGE_BYTES }, { publishProductRecord }] = await Promise.all([
        import("../../core/products/product-image"),
        import("../../release/product-records"),
      ]);
      const text = await readText(resolve(ctx.cwd, file), "record");
      const image = opts.image
        ? await readBytes(resolve(ctx.cwd, opts.image), "--image", MAX_PRODUCT_IMAGE_BYTES)
        : undefined;
      // a record nests four deep: anything deeper is no record, and is refused before it is walked
      const record = parseStrictJson(text, { maxDepth: RECORD_DEPTH });
      const published = await publishProductRecord({
        ledger: await ctx.ledger(true),
        content: ctx.contentStore(),
        gtin,
        record,
        image,
      });
      emit(
        ctx,
        published,
        `GTIN ${published.gtin}: product record version ${published.version} is ${published.cid}` +
          `${published.image ? `, its picture ${published.image}` : ""}, tx ${published.transaction}`,
      );
    });
  product
    .command("show")
    .description("a GTIN's product record as the chain names it, its bytes checked against the CID")
    .argument("<gtin>", "the GTIN")
    .option("--version <n>", "an earlier version (default: the current)", positiveInt("version"))
    .action(async (gtin: string, opts: { version?: number }) => {
      const ctx = await context();
      const [{ PRODUCT_LINK_TYPES, textIn }, { readProductRecord }] = await Promise.all([
        import("../../core/products/product-record"),
        import("../../release/product-records"),
      ]);
      const read = await readProductRecord({
        ledger: await ctx.ledger(false),
        content: ctx.contentStore(),
        gtin,
        version: opts.version,
      });
      const r = read.record;
      const languages = [Intl.DateTimeFormat().resolvedOptions().locale, "en"];
      const lines = [
        `GTIN ${read.gtin}, version ${read.version} of ${read.versions}: ${read.cid}`,
        `  ${textIn(r["gs1:productName"], languages)}`,
        ...(r["gs1:productDescription"] ? [`  ${textIn(r["gs1:productDescription"], languages)}`] : []),
        ...(r["gs1:netContent"] ?? []).map((q) => `  net content: ${q["gs1:value"]} ${q["gs1:unitCode"]}`),
        ...(["gs1:image", ...PRODUCT_LINK_TYPES] as const).flatMap((k) =>
          (r[k] ?? []).map((l) => `  ${k}: ${l["@id"]}`),
        ),
      ];
      emit(ctx, read, lines.join("\n"));
    });
}

import { expect } from "chai";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStack } from "../../src/stack/stack-main";

describe("stack/stack-main", () => {
  const ports = { chain: 1, relayer: 2, indexer: 3, site: 4, gateways: 5 };
  const io = { out: () => undefined, err: () => undefined };

  for (const [how, fresh] of [
    ["with --fresh", true],
    ["as an unfinished first start", false],
  ] as const) {
    it(`never deletes a non-empty directory it did not make (${how})`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), "trackroot-foreign-"));
      writeFileSync(join(dataDir, "thesis.tex"), "years of work");
      mkdirSync(join(dataDir, "photos"));
      let error: Error | undefined;
      try {
        await startStack({ dataDir, fresh, ports }, io, {});
      } catch (e) {
        error = e as Error;
      }
      expect(error?.message).to.match(/is not empty and was not made by npm start/);
      expect(existsSync(join(dataDir, "thesis.tex"))).to.equal(true);
      expect(existsSync(join(dataDir, "photos"))).to.equal(true);
    });
  }
});

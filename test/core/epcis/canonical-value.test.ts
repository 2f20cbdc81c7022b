import { expect } from "chai";
import fc from "fast-check";
import { canonicalDigitalLink } from "../../../src/core/epcis/canonical-value";

const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
const chars = fc.stringMatching(/^[-A-Za-z0-9_.'";<=>?]{1,20}$/);
const host = fc.constantFrom("https://id.gs1.org", "http://id.gs1.org", "https://example.com", "https://example.com/r");
/** Digital Links as line systems write them: short names or AIs, lots and serials, queries. */
const link = fc
  .record({
    host,
    key: fc.constantFrom("01", "gtin", "00", "sscc", "414", "gln", "8004", "giai"),
    gtin: fc.oneof(digits(14), digits(13), digits(8)),
    lot: fc.option(chars, { nil: undefined }),
    serial: fc.option(chars, { nil: undefined }),
    query: fc.option(fc.constantFrom("?17=271231", "?linkType=all", "#x"), { nil: undefined }),
  })
  .map(({ host, key, gtin, lot, serial, query }) => {
    const value = key === "01" || key === "gtin" ? gtin : key === "00" || key === "sscc" ? `0${gtin}0000` : gtin;
    return `${host}/${key}/${value}${lot ? `/10/${lot}` : ""}${serial ? `/21/${serial}` : ""}${query ?? ""}`;
  });

describe("core/epcis canonical values", () => {
  it("gives every Digital Link a canonical form that is its own canonical form", () => {
    fc.assert(
      fc.property(link, (uri) => {
        const canonical = canonicalDigitalLink(uri);
        if (canonical !== undefined) expect(canonicalDigitalLink(canonical)).to.equal(canonical);
      }),
      { numRuns: 2000 },
    );
  });

  it("takes a link already canonical as it is, and rewrites the ones that are not", () => {
    const cases: [string, string | undefined][] = [
      ["https://id.gs1.org/01/10614141073464/21/G1", "https://id.gs1.org/01/10614141073464/21/G1"],
      ["https://id.gs1.org/01/10614141073464/10/L1/21/G1", "https://id.gs1.org/01/10614141073464/21/G1"],
      ["https://id.gs1.org/01/10614141073464/21/G1?17=271231", "https://id.gs1.org/01/10614141073464/21/G1"],
      ["https://example.com/gtin/614141073464/21/G1", "https://id.gs1.org/01/00614141073464/21/G1"],
      ["https://id.gs1.org/01/10614141073464/21/G1/", "https://id.gs1.org/01/10614141073464/21/G1"],
      ["https://id.gs1.org/01/10614141073464/21/%20", undefined],
    ];
    for (const [uri, expected] of cases) expect(canonicalDigitalLink(uri), uri).to.equal(expected);
  });
});

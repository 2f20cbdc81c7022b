import { expect } from "chai";
import { ValidationError } from "../../src/core/errors";
import { parseStartOptions } from "../../src/stack/start-options";

const parse = (argv: string[]) => parseStartOptions(argv, { cwd: "/work/demo", out: () => undefined });

describe("stack/start-options", () => {
  it("defaults to .trackroot/local and each service's own port", () => {
    expect(parse([])).to.deep.equal({
      dataDir: "/work/demo/.trackroot/local",
      fresh: false,
      ports: { chain: 8545, relayer: 8787, indexer: 8788, site: 8790, gateways: 8791 },
    });
  });

  it("gives the relayer, indexer and site the three ports after --base-port, the gateways the four after, and resolves --data-dir", () => {
    const o = parse(["--base-port", "9000", "--data-dir", "state", "--fresh"]);
    expect(o?.ports).to.deep.equal({ chain: 9000, relayer: 9001, indexer: 9002, site: 9003, gateways: 9004 });
    expect(o?.dataDir).to.equal("/work/demo/state");
    expect(o?.fresh).to.equal(true);
  });

  for (const [argv, field] of [
    [["--base-port", "abc"], "--base-port"],
    [["--base-port", "80"], "--base-port"],
    [["--base-port", "65534"], "--base-port"],
    [["--data-dir", ""], "--data-dir"],
    [["--colour"], "arguments"],
  ] as const) {
    it(`refuses ${argv.join(" ")} naming ${field}`, () => {
      expect(() => parse([...argv]))
        .to.throw(ValidationError)
        .with.property("field", field);
    });
  }

  it("prints help and returns nothing for --help", () => {
    let text = "";
    expect(parseStartOptions(["--help"], { cwd: "/", out: (t) => (text += t) })).to.equal(undefined);
    expect(text).to.include("--base-port");
  });
});

import { expect } from "chai";
import { CommanderError } from "commander";
import { describeError, EXIT, exitCodeOf } from "../../src/cli/exit-codes";
import {
  ConflictError,
  ForbiddenError,
  IntegrityError,
  NotFoundError,
  RateLimitedError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from "../../src/core/errors";

describe("cli/exit codes (the one place an error decides how the process ends)", () => {
  const cases: [string, unknown, number][] = [
    ["a bad argument", new ValidationError("count", -1, "a positive integer"), EXIT.user],
    ["an unknown order", new NotFoundError("no order 9"), EXIT.user],
    ["a contract's refusal", new ConflictError("SerialRegistryOrderExhausted"), EXIT.user],
    ["a key the relayer does not stand behind", new UnauthorizedError("unknown key"), EXIT.user],
    ["a key without the right", new ForbiddenError("not the brand"), EXIT.user],
    ["a rate it must wait out", new RateLimitedError("slow down", 3), EXIT.user],
    ["a usage error commander printed", new CommanderError(1, "commander.unknownOption", "unknown option"), EXIT.user],
    ["--help, which commander ends with code 0", new CommanderError(0, "commander.helpDisplayed", "(help)"), EXIT.ok],
    ["a node out of reach", new UnavailableError("chain down"), EXIT.unexpected],
    ["content that fails its CID", new IntegrityError("not the CID"), EXIT.unexpected],
    ["a bug", new TypeError("x is undefined"), EXIT.unexpected],
    ["something thrown that is no error", "a string", EXIT.unexpected],
  ];
  for (const [what, error, code] of cases) {
    it(`ends ${what} with exit code ${code}`, () => {
      expect(exitCodeOf(error)).to.equal(code);
    });
  }

  it("says the project's errors in one line, and a bug's stack only with --verbose", () => {
    expect(describeError(new ValidationError("count", -1, "a positive integer"), true)).to.match(/^error: count/);
    const bug = new TypeError("x is undefined");
    expect(describeError(bug, false)).to.equal("unexpected: x is undefined");
    expect(describeError(bug, true)).to.include("unexpected: TypeError: x is undefined\n    at ");
    expect(describeError(42, false)).to.equal("unexpected: 42");
  });
});

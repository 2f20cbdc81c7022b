import { expect } from "chai";
import {
  CaptureRejectedError,
  ConflictError,
  ForbiddenError,
  IntegrityError,
  NotAcceptableError,
  NotFoundError,
  QueryTooLargeError,
  RateLimitedError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from "../../src/core/errors";
import { MAX_LISTED_ISSUES, problemOf } from "../../src/http/problem";

describe("http/problemOf (the one map from errors to HTTP)", () => {
  const cases: [string, unknown, number, string][] = [
    ["a bad field", new ValidationError("/gtin", "123", "a GTIN-14"), 400, "Invalid input"],
    ["an unsigned request", new UnauthorizedError("no signature"), 401, "Not authorized"],
    ["a key without the right", new ForbiddenError("a retailer cannot pack"), 403, "Forbidden"],
    ["an unknown code", new NotFoundError("no such code"), 404, "Not found"],
    ["a nonce used twice", new ConflictError("nonce used"), 409, "Conflict"],
    ["a media type not served", new NotAcceptableError("only JSON"), 406, "Not acceptable"],
    ["a query over the limit", new QueryTooLargeError("narrow it"), 413, "Query too large"],
    ["a node out of reach", new UnavailableError("chain down"), 503, "Dependency unavailable"],
    ["bytes that fail their CID", new IntegrityError("not the CID"), 503, "Dependency unavailable"],
    ["a body over the limit", { type: "entity.too.large", message: "too large" }, 413, "Body too large"],
    ["malformed JSON", { type: "entity.parse.failed", message: "Unexpected token" }, 400, "Malformed JSON"],
    ["the HTTP stack's own 4xx", { status: 400, message: "Failed to decode param '%E0'" }, 400, "Bad request"],
    ["anything else", new Error("a bug's message, with a secret path /etc/x"), 500, "Internal error"],
  ];
  for (const [what, error, status, title] of cases) {
    it(`answers ${what} with ${status} ${title}`, () => {
      const problem = problemOf(error);
      expect(problem.status).to.equal(status);
      expect(problem.body).to.include({ status, title });
    });
  }

  it("names the field of a bad input as a JSON pointer", () => {
    expect(problemOf(new ValidationError("/epcisBody/eventList/2/eventTime", "x", "a date")).body).to.include({
      pointer: "/epcisBody/eventList/2/eventTime",
    });
  });

  it("tells a rate-limited client when to come back", () => {
    const problem = problemOf(new RateLimitedError("over the rate", 7));
    expect(problem.status).to.equal(429);
    expect(problem.headers).to.deep.equal({ "Retry-After": "7" });
  });

  it("lists a rejected capture's first issues with their count, never all of them", () => {
    const issues = Array.from({ length: MAX_LISTED_ISSUES + 50 }, (_, i) => ({
      eventIndex: i,
      pointer: `/epcisBody/eventList/${i}`,
      message: "bad",
    }));
    const problem = problemOf(new CaptureRejectedError(issues));
    expect(problem.status).to.equal(400);
    expect(problem.body.errors).to.have.length(MAX_LISTED_ISSUES);
    expect(problem.body.errorCount).to.equal(MAX_LISTED_ISSUES + 50);
  });

  it("tells nothing of an unexpected error but that it happened", () => {
    expect(problemOf(new Error("ENOENT /var/secret/key.json")).body.detail).to.equal("unexpected error");
  });

  it("cuts the HTTP stack's own message to 300 characters", () => {
    const problem = problemOf({ status: 414, message: "x".repeat(1000) });
    expect(problem.status).to.equal(414);
    expect(String(problem.body.detail)).to.have.length(300);
  });
});

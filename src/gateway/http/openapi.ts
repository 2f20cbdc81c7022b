import { PROBLEM_SCHEMA } from "../../http/problem";

const problem = { $ref: "#/components/schemas/Problem" };
const problems = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      { description: TEXT[c], content: { "application/problem+json": { schema: problem } } },
    ]),
  );
const TEXT: Record<number, string> = {
  400: "Invalid input; `pointer` names the field, `errors` each failing event",
  401: "No API token, or one no client system has",
  403: "The relayer refused the participant's key for this",
  404: "Unknown id (or another client system's capture job)",
  409: "The proposal was already accepted, rejected, withdrawn, or expired",
  413: "Body larger than the configured limit",
  503: "The outbox (or, for handovers, the relayer) is unavailable",
};
const json = (schema: unknown, description: string) => ({ description, content: { "application/json": { schema } } });
const bearer = [{ apiToken: [] }];
const id = { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" } };

/** The gateway's OpenAPI 3.1 document (GET /openapi.json). */
export function gatewayOpenApi() {
  return {
    openapi: "3.1.0",
    info: {
      title: "trackroot participant gateway",
      version: "1",
      description:
        "Faces a participant's own systems: the EPCIS 2.0 REST capture interface with an API token per client system (the gateway signs with the participant's key and forwards to the relayer through a durable outbox), and a handover desk.",
    },
    components: {
      securitySchemes: { apiToken: { type: "http", scheme: "bearer" } },
      schemas: {
        Problem: PROBLEM_SCHEMA,
        CaptureJob: {
          type: "object",
          required: ["captureID", "createdAt", "running", "success", "captureErrorBehaviour", "errors"],
          properties: {
            captureID: { type: "string" },
            createdAt: { type: "string", format: "date-time" },
            finishedAt: { type: "string", format: "date-time" },
            running: {
              type: "boolean",
              description: "true until a relayer committed the capture on chain, or refused it",
            },
            success: { type: "boolean" },
            captureErrorBehaviour: { enum: ["rollback", "proceed"] },
            errors: { type: "array", items: { type: "object" } },
            trackroot: {
              type: "object",
              description: "the outbox's status, the capture's digest, the relayers it went to, the receipt",
            },
          },
        },
      },
    },
    paths: {
      "/capture": {
        post: {
          summary:
            "Capture an EPCIS document (JSON-LD, or EPCIS 2.0 or 1.2 XML checked against GS1's XSD), no signature headers",
          security: bearer,
          parameters: [
            { name: "GS1-Capture-Error-Behaviour", in: "header", schema: { enum: ["rollback", "proceed"] } },
          ],
          requestBody: {
            required: true,
            content: { "application/json": {}, "application/ld+json": {}, "application/xml": {}, "text/xml": {} },
          },
          responses: {
            "202": {
              ...json(
                { $ref: "#/components/schemas/CaptureJob" },
                "Stored in the outbox; Location names the capture job",
              ),
            },
            ...problems(400, 401, 413, 503),
          },
        },
      },
      "/capture/{id}": {
        get: {
          summary: "A capture job of this client system",
          security: bearer,
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: {
            "200": json({ $ref: "#/components/schemas/CaptureJob" }, "The capture job"),
            ...problems(401, 404),
          },
        },
      },
      "/handovers/proposals": {
        post: {
          summary: "Propose a handover (to, items, shipmentRef, deadline?, eventTime?); the gateway signs and posts it",
          security: bearer,
          responses: {
            "201": json({ type: "object" }, "The proposal at the relayer"),
            ...problems(400, 401, 403, 503),
          },
        },
      },
      "/handovers/inbox": {
        get: {
          summary: "Proposals addressed to the participant (sent=true: those it sent)",
          security: bearer,
          parameters: [
            { name: "sent", in: "query", schema: { type: "boolean" } },
            {
              name: "status",
              in: "query",
              schema: { enum: ["proposed", "accepted", "rejected", "withdrawn", "expired"] },
            },
          ],
          responses: { "200": json({ type: "object" }, "{ proposals }"), ...problems(400, 401, 503) },
        },
      },
      "/handovers/proposals/{id}": {
        get: {
          summary: "One proposal, with its items",
          security: bearer,
          parameters: [id],
          responses: { "200": json({ type: "object" }, "The proposal"), ...problems(401, 403, 503) },
        },
      },
      "/handovers/proposals/{id}/accept": {
        post: {
          summary: "Countersign ({ received? }: the items counted)",
          security: bearer,
          parameters: [id],
          responses: { "200": json({ type: "object" }, "Accepted"), ...problems(400, 401, 403, 409, 503) },
        },
      },
      "/handovers/proposals/{id}/reject": {
        post: {
          summary: "Refuse ({ reason })",
          security: bearer,
          parameters: [id],
          responses: { "200": json({ type: "object" }, "Rejected"), ...problems(400, 401, 403, 409, 503) },
        },
      },
      "/handovers/proposals/{id}/withdraw": {
        post: {
          summary: "Take back a proposal sent ({ reason? })",
          security: bearer,
          parameters: [id],
          responses: { "200": json({ type: "object" }, "Withdrawn"), ...problems(400, 401, 403, 409, 503) },
        },
      },
      "/health": {
        get: {
          summary: "The outbox and the relayers",
          responses: { "200": json({ type: "object" }, "Up"), "503": json({ type: "object" }, "The outbox is down") },
        },
      },
      "/metrics": {
        get: {
          summary: "Prometheus metrics (bearer metrics token)",
          responses: { "200": { description: "text exposition" } },
        },
      },
    },
  };
}

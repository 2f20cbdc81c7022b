import { zodToJsonSchema } from "zod-to-json-schema";
import { PROBLEM_SCHEMA } from "../../http/problem";
import { HandoverRequestSchema } from "../handover-intake";

const problem = { $ref: "#/components/schemas/Problem" };
const problems = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      { description: PROBLEM_TEXT[c], content: { "application/problem+json": { schema: problem } } },
    ]),
  );
const PROBLEM_TEXT: Record<number, string> = {
  400: "Malformed or invalid input; `pointer` names the field, `errors` each failing event",
  401: "A signature that does not verify, or a key the registry does not stand behind",
  403: "A key of a participant this does not concern, or of a kind that records nothing",
  404: "Unknown id",
  409: "A nonce (or handover id) already used for a different signed submission; a proposal already accepted, rejected, withdrawn or expired",
  413: "Body larger than the configured limit",
  429: "The submitter is over its rate; see Retry-After",
  503: "A dependency (database, chain) is unavailable; nothing was stored",
};
const hash = { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" };
const header = (name: string, description: string, pattern: string) => ({
  name,
  in: "header",
  required: true,
  description,
  schema: { type: "string", pattern },
});

/** The headers of a signed read request (src/http/signed-request.ts). */
const SIGNED_READ_HEADERS = [
  header("Trackroot-Key", "the reading key's address", "^0x[0-9a-fA-F]{40}$"),
  header("Trackroot-Timestamp", "unix seconds, within the allowed skew", "^\\d{1,12}$"),
  header(
    "Trackroot-Nonce",
    "16 to 32 random bytes: each signed request is served once",
    "^0x(?:[0-9a-fA-F]{2}){16,32}$",
  ),
  header("Trackroot-Signature", "EIP-191 signature (low-s) of the request by Trackroot-Key", "^0x[0-9a-fA-F]{130}$"),
];

/** The handover body's JSON Schema, from the zod schema intake uses, in the document's own dialect. */
function handoverRequestSchema(): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = zodToJsonSchema(HandoverRequestSchema, { $refStrategy: "none" });
  return schema;
}

const json = (description: string) => ({
  description,
  content: { "application/json": { schema: { type: "object" } } },
});
const proposalIdParam = { name: "id", in: "path", required: true, schema: hash };

/** The handover mailbox (src/relayer/handover-mailbox.ts): proposals out, countersignatures in. */
function mailboxPaths(): Record<string, unknown> {
  const action = (summary: string, body: string) => ({
    post: {
      summary,
      description: `A request signed by a key of the party (${body}); the body's keccak256 is the signed message's sixth line.`,
      parameters: [proposalIdParam, ...SIGNED_READ_HEADERS],
      requestBody: { content: { "application/json": { schema: { type: "object" } } } },
      responses: { "200": json("The proposal as it now stands"), ...problems(400, 401, 403, 409) },
    },
  });
  return {
    "/handovers/proposals": {
      post: {
        summary:
          "Propose a handover (format 3): the sender's signed ParticipantHandover, its items, salt and shipment reference",
        requestBody: { required: true, content: { "application/json": { schema: { type: "object" } } } },
        responses: {
          "201": json("Stored; Location names the proposal, its id the handover's EIP-712 digest"),
          "200": json("The same signed proposal was already stored"),
          ...problems(400, 401, 403, 409, 413, 503),
        },
      },
      get: {
        summary:
          "The inbox (to=me) or what was sent (from=me), newest first, to a signed read of a key of the participant",
        parameters: [
          { name: "to", in: "query", schema: { type: "string" } },
          { name: "from", in: "query", schema: { type: "string" } },
          {
            name: "status",
            in: "query",
            schema: { enum: ["proposed", "accepted", "rejected", "withdrawn", "expired"] },
          },
          { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 500 } },
          ...SIGNED_READ_HEADERS,
        ],
        responses: { "200": json("{ proposals }"), ...problems(400, 401, 403) },
      },
    },
    "/handovers/proposals/{id}": {
      get: {
        summary: "One proposal, whole (items, salt, the sender's signature), to a signed read of either party",
        parameters: [proposalIdParam, ...SIGNED_READ_HEADERS],
        responses: { "200": json("The proposal"), ...problems(400, 401, 403) },
      },
    },
    "/handovers/proposals/{id}/accept": action(
      "Countersign: { receiverSignature, received? }, refused naming the missing and extra items when what arrived differs",
      "the receiver",
    ),
    "/handovers/proposals/{id}/reject": action("Refuse, saying why: { reason }", "the receiver"),
    "/handovers/proposals/{id}/withdraw": action("Take back before the receiver acted: { reason? }", "the sender"),
  };
}

/** The relayer's OpenAPI 3.1 document, served at /openapi.json. */
export function relayerOpenApi(): Record<string, unknown> {
  return {
    openapi: "3.1.0",
    info: {
      title: "trackroot relayer",
      version: "1",
      description:
        "Signed EPCIS 2.0 captures and co-signed custody handovers in; Merkle-batched on-chain commitments out. " +
        "Every write carries its submitter's EIP-712 signature; the relayer is trusted for liveness only.",
    },
    paths: {
      "/capture": {
        post: {
          summary: "Capture an EPCIS 2.0 document (the EPCIS 2.0 REST binding's capture, signed)",
          parameters: [
            header("Trackroot-Submitter", "the signing key's address", "^0x[0-9a-fA-F]{40}$"),
            header("Trackroot-Nonce", "32 bytes, never reused by this key", "^0x[0-9a-fA-F]{64}$"),
            header("Trackroot-Issued-At", "seconds since the epoch, part of what is signed", "^\\d{1,15}$"),
            header(
              "Trackroot-Signature",
              "EIP-712 Capture{submitter, eventsRoot, eventCount, nonce, issuedAt} signature",
              "^0x[0-9a-fA-F]{130}$",
            ),
            header(
              "Trackroot-Events-Root",
              "the signed events root (capture format 2: each event's leaf commits to its CBV 2.0 hash, shown fields, salted identifiers root and the salt's hash); checked with the signature before the body is read",
              "^0x[0-9a-fA-F]{64}$",
            ),
            header("Trackroot-Event-Count", "the signed number of events", "^[1-9]\\d{0,8}$"),
            header(
              "Trackroot-Salt",
              "the capture's 32-byte disclosure salt: every identifier's salt derives from it",
              "^0x[0-9a-fA-F]{64}$",
            ),
            {
              name: "GS1-Capture-Error-Behaviour",
              in: "header",
              required: false,
              schema: { type: "string", enum: ["rollback", "proceed"], default: "rollback" },
            },
          ],
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: { $ref: "#/components/schemas/EPCISDocument" } },
              "application/ld+json": { schema: { $ref: "#/components/schemas/EPCISDocument" } },
            },
          },
          responses: {
            "202": {
              description: "Durably stored (committed to the database); the same signed capture gets the same id",
              headers: { Location: { schema: { type: "string" } } },
              content: { "application/json": { schema: { $ref: "#/components/schemas/Acknowledgement" } } },
            },
            ...problems(400, 401, 409, 413, 429, 503),
          },
        },
      },
      "/handovers": {
        post: {
          summary: "Record a custody handover signed by both the sender and the receiver",
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/HandoverRequest" } } },
          },
          responses: {
            "202": {
              description: "Durably stored",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Acknowledgement" } } },
            },
            ...problems(400, 401, 409, 413, 429, 503),
          },
        },
      },
      ...mailboxPaths(),
      "/capture/{id}": {
        get: {
          summary: "Where a capture or handover stands: queued, or committed with its batch",
          description:
            "Anyone who knows the id reads the status and how many events were left out; why they were left out (quoting them) only a signed read of a party or an auditor.",
          parameters: [
            { name: "id", in: "path", required: true, schema: hash },
            ...SIGNED_READ_HEADERS.map((h) => ({ ...h, required: false })),
          ],
          responses: {
            "200": {
              description: "Status",
              content: { "application/json": { schema: { $ref: "#/components/schemas/CaptureStatus" } } },
            },
            ...problems(400, 401, 403, 404),
          },
        },
      },
      "/receipts/{hash}": {
        get: {
          summary:
            "An event's (by CBV 2.0 hash) or handover's (by digest) inclusion proofs: in its signed capture, and in the commitment",
          description:
            "A receipt names what its submission names: only a request signed by a key of the submitting participant (or of either party of a handover), or of an auditor, is answered. Sign EIP-191 (low-s) over `trackroot-relayer\\n<METHOD>\\n<path>\\n<timestamp>\\n<nonce>`; each signed request is served once.",
          parameters: [{ name: "hash", in: "path", required: true, schema: hash }, ...SIGNED_READ_HEADERS],
          responses: {
            "200": {
              description: "Committed: a ProofBundle custody step (a whole event, with its capture's salt) plus ids",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Receipt" } } },
            },
            "202": {
              description: "Stored, not yet committed: the proof within the capture, no commitment yet",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Receipt" } } },
            },
            ...problems(400, 401, 403, 404),
          },
        },
      },
      "/health": {
        get: {
          summary: "Database, chain and content store reachability, and the queue depth",
          responses: { "200": { description: "All dependencies usable" }, "503": { description: "Degraded" } },
        },
      },
      "/metrics": {
        get: {
          summary: "Prometheus metrics, for the operator: Authorization: Bearer <TRACKROOT_METRICS_TOKEN>",
          responses: {
            "200": { description: "text/plain; version=0.0.4", content: { "text/plain": {} } },
            ...problems(401, 404),
          },
        },
      },
      "/openapi.json": { get: { summary: "This document", responses: { "200": { description: "OpenAPI 3.1" } } } },
    },
    components: {
      schemas: {
        Problem: PROBLEM_SCHEMA,
        EPCISDocument: {
          type: "object",
          description: "An EPCIS 2.0 EPCISDocument (checked against the GS1 EPCIS 2.0 JSON Schema)",
          required: ["type", "schemaVersion", "creationDate", "epcisBody"],
          properties: { type: { const: "EPCISDocument" }, epcisBody: { type: "object" } },
        },
        HandoverRequest: handoverRequestSchema(),
        Acknowledgement: {
          type: "object",
          required: ["captureID", "duplicate"],
          properties: {
            captureID: { ...hash, description: "the EIP-712 digest of the Capture or Handover" },
            duplicate: { type: "boolean", description: "true when this signed submission was already stored" },
            rejectedEvents: {
              type: "array",
              description: "events left out under GS1-Capture-Error-Behaviour: proceed (the first 100 issues)",
            },
            rejectedIssueCount: { type: "integer", description: "how many issues there were" },
          },
        },
        CaptureStatus: {
          type: "object",
          required: ["captureID", "kind", "status"],
          properties: {
            captureID: hash,
            kind: { enum: ["capture", "handover"] },
            status: { enum: ["queued", "committed"] },
            rejectedEventCount: {
              type: "integer",
              description: "events left out under GS1-Capture-Error-Behaviour: proceed",
            },
            rejectedEvents: {
              type: "array",
              description: "which, and why (the first 100 issues): only to a signed read of a party or an auditor",
            },
            rejectedIssueCount: { type: "integer", description: "how many issues there were" },
            relayer: { type: "integer" },
            batch: {
              type: "object",
              properties: {
                sequence: { type: "integer" },
                status: { enum: ["built", "published", "sent", "committed"] },
                root: hash,
                contentCid: { type: ["string", "null"] },
                transaction: { type: ["string", "null"] },
                block: { type: ["integer", "null"] },
              },
            },
          },
        },
        Receipt: {
          type: "object",
          required: ["kind", "status"],
          properties: {
            kind: { enum: ["event", "handover"] },
            status: { enum: ["queued", "committed"] },
            eventHash: hash,
            eventProof: { type: "array", items: hash },
            captureProof: { type: "array", items: hash },
            commitment: {
              type: "object",
              properties: {
                chainId: { type: "integer" },
                contract: { type: "string" },
                transaction: hash,
                block: { type: "integer" },
                relayer: { type: "integer" },
                sequence: { type: "string" },
                root: hash,
              },
            },
          },
        },
      },
    },
  };
}

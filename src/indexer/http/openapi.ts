import { zodToJsonSchema } from "zod-to-json-schema";
import { PROBLEM_SCHEMA } from "../../http/problem";
import { ProofBundleSchema } from "../../core/proof/bundle";
import { QUERY_PARAMETERS } from "../events-query";

const problem = { content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } };
const problems = (codes: Record<number, string>) =>
  Object.fromEntries(Object.entries(codes).map(([c, description]) => [c, { description, ...problem }]));
const code = [
  { name: "gtin", in: "path", required: true, schema: { type: "string", pattern: "^\\d{8,14}$" } },
  { name: "serial", in: "path", required: true, schema: { type: "string", maxLength: 20 } },
];
const consortium = [{ bearer: [] }, { signedRequest: [] }];

/** The indexer's OpenAPI 3.1 document, served at /openapi.json. */
export function indexerOpenApi(): Record<string, unknown> {
  const { $schema: _dialect, ...bundle } = zodToJsonSchema(ProofBundleSchema, { $refStrategy: "none" });
  return {
    openapi: "3.1.0",
    info: {
      title: "trackroot indexer",
      version: "1",
      description:
        "State rebuilt from the chain and the content store alone: a convenience, never an authority. " +
        "Every proof it serves can be checked against the chain (the verification site does so in the browser).",
    },
    paths: {
      "/v1/codes/{gtin}/{serial}": {
        get: {
          summary: "A code's status, custody and history (public, rate-limited per client)",
          parameters: code,
          responses: {
            "200": { description: "The code's view (an unknown code has status unknown)" },
            ...problems({ 400: "Bad GTIN or serial", 429: "Over the rate; see Retry-After" }),
          },
        },
      },
      "/v1/codes/{gtin}/{serial}/proof": {
        get: {
          summary: "The code's ProofBundle v1; counts a consumer verification (public, rate-limited)",
          parameters: [
            ...code,
            {
              name: "region",
              in: "query",
              required: false,
              description: "the verifier's coarse region (e.g. a time zone), when no trusted proxy says",
              schema: { type: "string", maxLength: 64 },
            },
          ],
          responses: {
            "200": {
              description:
                "The bundle; Trackroot-Verifications, Trackroot-Regions and Trackroot-Clone-Warning headers carry the count",
              content: { "application/json": { schema: bundle } },
            },
            ...problems({ 400: "Bad GTIN or serial", 429: "Over the rate; see Retry-After" }),
          },
        },
      },
      "/v1/products/{gtin}/record": {
        get: {
          summary:
            "A GTIN's current product record (GS1 Web Vocabulary JSON-LD, canonical bytes) as the brand published it; the page checks it against the CID the chain holds (public, rate-limited)",
          parameters: [code[0]],
          responses: {
            "200": {
              description:
                "The record's bytes; Trackroot-Record-Cid and Trackroot-Record-Version name the chain's current CID and version",
              content: { "application/ld+json": { schema: { type: "object" } } },
            },
            ...problems({
              400: "Bad GTIN",
              404: "No record was published for the GTIN",
              429: "Over the rate; see Retry-After",
            }),
          },
        },
      },
      "/v1/products/{gtin}/image": {
        get: {
          summary:
            "The picture the GTIN's current product record names by content (gs1:image ipfs://CID); the page checks its bytes against that CID (public, rate-limited)",
          parameters: [code[0]],
          responses: {
            "200": {
              description:
                "The picture's bytes (PNG, JPEG or WebP, at most 256 KiB); Trackroot-Image-Cid names its CID",
              content: Object.fromEntries(
                ["image/png", "image/jpeg", "image/webp"].map((t) => [
                  t,
                  { schema: { type: "string", format: "binary" } },
                ]),
              ),
            },
            ...problems({
              400: "Bad GTIN",
              404: "No record was published for the GTIN, or it names no picture by content",
              429: "Over the rate; see Retry-After",
              503: "The content the chain names cannot be fetched, or is not a record or not a picture",
            }),
          },
        },
      },
      "/v1/codes/{gtin}/{serial}/reports": {
        post: {
          summary:
            "A visitor's report of a suspect pack (public, a few per visitor an hour): kept as typed with a salted hash of the address, listed with the anomalies, sent to the webhooks",
          parameters: code,
          requestBody: {
            required: true,
            content: {
              "application/json": {
                schema: {
                  type: "object",
                  additionalProperties: false,
                  required: ["verdict", "where", "what"],
                  properties: {
                    verdict: { enum: ["unknown", "suspicious", "unverifiable"] },
                    where: { type: "string", minLength: 1, maxLength: 200 },
                    what: { type: "string", minLength: 1, maxLength: 2000 },
                    contact: { type: "string", maxLength: 200 },
                  },
                },
              },
            },
          },
          responses: {
            "201": {
              description: "Stored",
              content: {
                "application/json": {
                  schema: { type: "object", required: ["id"], properties: { id: { type: "string" } } },
                },
              },
            },
            ...problems({ 400: "A field is missing, too long or not text", 413: "Over 8 KB", 429: "Too many reports" }),
          },
        },
      },
      "/v1/orders/{id}": {
        get: {
          summary: "An order: planned, released, voided, remaining, its batches (consortium only)",
          security: consortium,
          responses: problems({ 401: "Not a consortium member", 404: "Unknown order" }),
        },
      },
      "/v1/batches/{id}": {
        get: {
          summary: "A batch: root, count, content check, recall (consortium only)",
          security: consortium,
          responses: problems({ 401: "Not a consortium member", 404: "Unknown batch" }),
        },
      },
      "/v1/anomalies": {
        get: {
          summary: "Anomalies found on the ledger and clone alerts from verification counts (consortium only)",
          security: consortium,
          parameters: [
            { name: "kind", in: "query", schema: { type: "string" } },
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 1000 } },
          ],
          responses: problems({ 400: "Bad parameter", 401: "Not a consortium member" }),
        },
      },
      "/v1/events": {
        get: {
          summary: "EPCIS 2.0 event query, a subset (consortium only); the next page's URL is in the Link header",
          security: consortium,
          parameters: QUERY_PARAMETERS.map((name) => ({ name, in: "query", schema: { type: "string" } })),
          responses: problems({ 400: "Bad or unsupported parameter", 401: "Not a consortium member" }),
        },
      },
      ...standardQueryPaths(consortium),
      "/health": { get: { summary: "Database and chain, how far behind the head", responses: {} } },
      "/metrics": {
        get: {
          summary: "Prometheus metrics, for the operator: Authorization: Bearer <TRACKROOT_METRICS_TOKEN>",
          responses: {},
        },
      },
      "/openapi.json": { get: { summary: "This document", responses: {} } },
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "a token issued to a participant" },
        signedRequest: {
          type: "apiKey",
          in: "header",
          name: "Trackroot-Signature",
          description:
            'EIP-191 signature (low-s) of "trackroot-indexer\\n<METHOD>\\n<path and query>\\n<Trackroot-Timestamp>\\n<Trackroot-Nonce>" by Trackroot-Key, an active registered key; with Trackroot-Nonce (16 to 32 random bytes, 0x-hex) each signed request is served once. A reader sees its own scope: auditors and governance everything, any other participant the events of its brand\'s codes, of codes it held, and what it submitted',
        },
      },
      schemas: {
        Problem: PROBLEM_SCHEMA,
      },
    },
  };
}

/** The EPCIS 2.0 REST query resources (GS1's OpenAPI document names them the same). */
function standardQueryPaths(security: unknown): Record<string, unknown> {
  const get = (summary: string, extra: { name: string }[] = []) => ({
    get: {
      summary,
      security,
      parameters: [
        ...extra.map((p) => ({ ...p, in: "path", required: true, schema: { type: "string" } })),
        { name: "GS1-EPC-Format", in: "header", schema: { enum: ["No_Preference", "Always_Digital_Link"] } },
        { name: "perPage", in: "query", schema: { type: "integer", default: 30, maximum: 1000 } },
        { name: "nextPageToken", in: "query", schema: { type: "string" } },
      ],
      responses: problems({
        400: "A parameter that is not the query language, or a bad value (QueryParameterException)",
        401: "Not a consortium member",
        406: "An Accept or GS1-EPC-Format that cannot be given",
        413: "More events than are answered at once (QueryTooLargeException)",
      }),
    },
    options: { summary: "Discovery: the EPCIS and CBV versions", responses: {} },
  });
  const narrowing = (segment: string, param: string, name: string) => ({
    [`/${segment}/{${name}}/events`]: get(`The events of one ${name} (as ${param}=); the query language applies`, [
      { name },
    ]),
  });
  return {
    "/events": get(
      "EPCIS 2.0 events query: eventType, GE_/LT_ times, EQ_ fields, MATCH_ identifiers, EQ_bizTransaction_/source_/destination_ by type, EQ_/GT_/GE_/LT_/LE_quantity, EXISTS_, orderBy, orderDirection, eventCountLimit, maxEventCount; an EPCISQueryDocument in JSON-LD, or XML on Accept: application/xml; the next page in the Link header",
    ),
    "/events/{eventID}": get("One event, by the eventID it states or by its CBV 2.0 hash", [{ name: "eventID" }]),
    "/eventTypes": { get: { summary: "The event types", security, responses: {} } },
    ...narrowing("eventTypes", "eventType", "eventType"),
    ...narrowing("epcs", "MATCH_anyEPC", "epc"),
    ...narrowing("bizSteps", "EQ_bizStep", "bizStep"),
    ...narrowing("bizLocations", "EQ_bizLocation", "bizLocation"),
    ...narrowing("readPoints", "EQ_readPoint", "readPoint"),
    ...narrowing("dispositions", "EQ_disposition", "disposition"),
  };
}

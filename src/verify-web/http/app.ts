import express, { type Express, type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import type { Deployment } from "../../chain/deployment";
import { NotFoundError, UnavailableError } from "../../core/errors";
import { imageTypeOf } from "../../core/products/product-image";
import { jsonType } from "../../http/json-type";
import { checkSerial } from "../../core/gs1/digital-link";
import { normalizeGtin } from "../../core/gs1/gtin";
import { problemMiddleware } from "../../http/problem";
import { checkRegion } from "../../http/region";
import type { RateLimiter } from "../../http/rate-limiter";
import { pageHtml } from "../page-html";
import { parseSuspectReport, SUSPECT_REPORT_LIMITS } from "../../core/reports/suspect-report";
import { acceptedLanguages, isLanguage, LANGUAGES, localeOf, pickLanguage } from "../client/i18n/locale";
import { checkRpcRequest } from "../rpc-gate";
import type { ClientAddress } from "../../http/client-address";
import { parseStrictJson } from "../../core/json/strict-json";
import type { SiteAssets } from "../site-assets";
import type { UpstreamAnswer, Upstreams } from "../upstreams";

export interface VerifySiteAppOptions {
  assets: SiteAssets;
  deployment: Deployment;
  upstreams: Upstreams;
  /** per visitor address, for the proof (one per request) and /rpc (one per call) */
  limiter: RateLimiter;
  /** where a request comes from: the socket's peer, or what a configured proxy forwarded */
  clientAddress: (req: Request) => ClientAddress;
  /** the header a trusted proxy sets to the visitor's region; forwarded to the indexer, never taken from a visitor */
  regionHeader?: string;
  health: () => Promise<{ ok: boolean; body: Record<string, unknown> }>;
  log: (e: unknown) => void;
}

const JSON_TYPES = ["application/json"];

/** The GS1 Digital Link paths a printed QR code opens (AI 01, optional lot, serial). */
const DIGITAL_LINK_PATHS = ["/01/:gtin/21/:serial", "/01/:gtin/10/:lot/21/:serial"];

/**
 * The verification site: one page (at / and at the Digital Link paths), its two built assets, and
 * the two things the page asks through the site: the indexer's proof bundle and read-only calls to
 * the deployment's contracts. Strict CSP: scripts, styles and connections to this origin only.
 */
export function verifySiteApp(options: VerifySiteAppOptions): Express {
  const { assets, deployment, upstreams, limiter } = options;
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          // the photo decoder compiles ZXing's WebAssembly (served from here): no eval of script text
          scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
          styleSrc: ["'self'"],
          // blob: the product picture, shown from the bytes the page checked against the record
          imgSrc: ["'self'", "data:", "blob:"],
          mediaSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          baseUri: ["'none'"],
          frameAncestors: ["'none'"],
        },
      },
      referrerPolicy: { policy: "no-referrer" },
      strictTransportSecurity: false,
    }),
  );
  app.use((_req, res, next) => {
    res.set("Permissions-Policy", "camera=(self), geolocation=(), microphone=(), interest-cohort=()");
    next();
  });

  // the page in each language, built once: the visitor's pick (?lang=), else their Accept-Language
  const pages = new Map(LANGUAGES.map((lang) => [lang, pageHtml(assets, deployment, localeOf(lang))]));
  const page = (req: Request, res: Response) => {
    const chosen = typeof req.query.lang === "string" ? req.query.lang : "";
    const lang = isLanguage(chosen) ? chosen : pickLanguage(acceptedLanguages(req.get("Accept-Language")));
    res
      .set({ "Cache-Control": "no-cache", Vary: "Accept-Language", "Content-Language": lang })
      .type("html")
      .send(pages.get(lang));
  };
  app.get("/", page);
  for (const path of DIGITAL_LINK_PATHS) app.get(path, page);

  app.get("/assets/:name", (req, res) => {
    const asset = assets.byName.get(String(req.params.name));
    if (!asset) throw new NotFoundError(`no asset ${req.params.name}`);
    res.set({
      "Content-Type": asset.type,
      "Cache-Control": "public, max-age=31536000, immutable",
      Vary: "Accept-Encoding",
    });
    if (req.acceptsEncodings("gzip") === "gzip") res.set("Content-Encoding", "gzip").send(asset.gzip);
    else res.send(asset.body);
  });

  const perVisitor = (req: Request, res: Response, next: NextFunction) => {
    const from = options.clientAddress(req);
    res.locals.client = from;
    limiter.take(from.address, 1);
    next();
  };
  // an upstream's answer goes out on this origin only as one of the types the route serves (never as
  // a page or a script a lying upstream made up), or as a problem
  const send = (res: Response, answer: UpstreamAnswer, types: readonly string[], type = answer.type) => {
    const media = type.split(";")[0].trim().toLowerCase();
    if (!types.includes(media) && media !== "application/problem+json")
      throw new UnavailableError(`the upstream answered ${media || "no type"}, not ${types.join(" or ")}`);
    res.status(answer.status).set(answer.headers).set("Cache-Control", "no-store").type(type).send(answer.body);
  };

  app.get("/v1/codes/:gtin/:serial/proof", perVisitor, async (req, res) => {
    const gtin = normalizeGtin(String(req.params.gtin));
    const serial = checkSerial(String(req.params.serial));
    const from = res.locals.client as ClientAddress;
    // a region counts only when a proxy the site trusts says it; what the visitor says is not forwarded
    const header = from.viaTrustedProxy ? options.regionHeader : undefined;
    const region = header ? checkRegion(req.get(header)) : "";
    send(
      res,
      await upstreams.proof({
        gtin,
        serial,
        ...(header && region ? { region: { header, value: region } } : {}),
        // the one address the site determined; a chain the visitor made up is not passed on
        forwardedFor: from.address,
      }),
      JSON_TYPES,
    );
  });

  // a GTIN's product record, passed on as the indexer sent it: the page checks it against the chain's CID
  app.get("/v1/products/:gtin/record", perVisitor, async (req, res) => {
    const gtin = normalizeGtin(String(req.params.gtin));
    send(res, await upstreams.productRecord({ gtin, forwardedFor: (res.locals.client as ClientAddress).address }), [
      "application/ld+json",
    ]);
  });

  // the picture the record names by content, passed on as a picture by its own first bytes: the page
  // checks it against the record it checked against the chain
  app.get("/v1/products/:gtin/image", perVisitor, async (req, res) => {
    const gtin = normalizeGtin(String(req.params.gtin));
    const answer = await upstreams.productImage({ gtin, forwardedFor: (res.locals.client as ClientAddress).address });
    if (answer.status !== 200) return send(res, answer, []);
    const type = imageTypeOf(answer.body);
    if (!type) throw new UnavailableError("the indexer sent no PNG, JPEG or WebP picture");
    send(res, answer, [type], type);
  });

  // a visitor's report of a suspect pack: checked here as the indexer will, sent on as typed
  app.post(
    "/v1/codes/:gtin/:serial/reports",
    perVisitor,
    jsonType,
    express.text({ limit: SUSPECT_REPORT_LIMITS.bodyBytes, type: () => true }),
    async (req, res) => {
      const gtin = normalizeGtin(String(req.params.gtin));
      const serial = checkSerial(String(req.params.serial));
      const text = typeof req.body === "string" ? req.body : "";
      parseSuspectReport(parseStrictJson(text, { maxDepth: 2 }));
      const from = res.locals.client as ClientAddress;
      send(res, await upstreams.report({ gtin, serial, body: text, forwardedFor: from.address }), JSON_TYPES);
    },
  );

  const contracts = new Set(Object.values(deployment.contracts).map((c) => c.address.toLowerCase()));
  app.post(
    "/rpc",
    (req, _res, next) => {
      // an empty bucket is refused before the body is read
      limiter.check(options.clientAddress(req).address);
      next();
    },
    express.text({ limit: "64kb", type: () => true }),
    async (req, res) => {
      const text = typeof req.body === "string" ? req.body : "";
      const calls = checkRpcRequest(parseStrictJson(text, { maxDepth: 8 }), contracts);
      // a batch costs what its calls cost: 30 batches of 100 are 3,000 calls, not 30 requests
      limiter.take(options.clientAddress(req).address, calls);
      send(res, await upstreams.rpc(text), JSON_TYPES);
    },
  );

  app.get("/health", async (_req, res) => {
    const { ok, body } = await options.health();
    res.status(ok ? 200 : 503).json(body);
  });

  app.use(() => {
    throw new NotFoundError("no such page");
  });
  app.use(problemMiddleware(options.log));
  return app;
}

import express, { type Express, type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import type { Deployment } from "../../chain/deployment";
import { NotFoundError } from "../../core/errors";
import { checkSerial } from "../../core/gs1/digital-link";
import { normalizeGtin } from "../../core/gs1/gtin";
import { problemMiddleware } from "../../http/problem";
import { checkRegion } from "../../http/region";
import type { RateLimiter } from "../../http/rate-limiter";
import { pageHtml } from "../page-html";
import { checkRpcRequest } from "../rpc-gate";
import type { SiteAssets } from "../site-assets";
import type { UpstreamAnswer, Upstreams } from "../upstreams";

export interface VerifySiteAppOptions {
  assets: SiteAssets;
  deployment: Deployment;
  upstreams: Upstreams;
  /** per visitor IP, for /rpc and the proof */
  limiter: RateLimiter;
  /** reverse proxies in front of the site whose X-Forwarded-For is trusted (0: none) */
  proxyHops: number;
  /** the header a trusted proxy sets to the visitor's region; forwarded to the indexer, never taken from a visitor */
  regionHeader?: string;
  health: () => Promise<{ ok: boolean; body: Record<string, unknown> }>;
  log: (e: unknown) => void;
}

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
  app.set("trust proxy", options.proxyHops);
  app.set("etag", false);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
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

  const html = pageHtml(assets, deployment);
  const page = (_req: Request, res: Response) => {
    res.set("Cache-Control", "no-cache").type("html").send(html);
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

  const perVisitor = (req: Request, _res: Response, next: NextFunction) => {
    limiter.take(req.ip ?? "unknown", 1);
    next();
  };
  const send = (res: Response, answer: UpstreamAnswer) => {
    res.status(answer.status).set(answer.headers).set("Cache-Control", "no-store").type(answer.type).send(answer.body);
  };

  app.get("/v1/codes/:gtin/:serial/proof", perVisitor, async (req, res) => {
    const gtin = normalizeGtin(String(req.params.gtin));
    const serial = checkSerial(String(req.params.serial));
    // a region counts only when a proxy the site trusts says it; what the visitor says is not forwarded
    const header = options.proxyHops > 0 ? options.regionHeader : undefined;
    const region = header ? checkRegion(req.get(header)) : "";
    // the indexer trusts one more hop than the site does: the last address is the one the site saw
    const forwarded = [req.get("x-forwarded-for"), req.socket.remoteAddress].filter(Boolean);
    send(
      res,
      await upstreams.proof({
        gtin,
        serial,
        ...(header && region ? { region: { header, value: region } } : {}),
        forwardedFor: forwarded.join(", "),
      }),
    );
  });

  const contracts = new Set(Object.values(deployment.contracts).map((c) => c.address.toLowerCase()));
  app.post("/rpc", perVisitor, express.json({ limit: "64kb" }), async (req, res) => {
    checkRpcRequest(req.body, contracts);
    send(res, await upstreams.rpc(req.body));
  });

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

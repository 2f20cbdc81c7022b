import type { NextFunction, Request, Response } from "express";
import type { Histogram } from "prom-client";

/**
 * Request latency labelled by the matched route (never the raw path, which would make a label
 * per code or id), and an optional hook on every finished request.
 */
export function requestTiming(
  histogram: Histogram<"route" | "status">,
  onFinish?: (route: string, req: Request, res: Response) => void,
) {
  return (req: Request, res: Response, next: NextFunction) => {
    const end = histogram.startTimer();
    res.on("finish", () => {
      const route = req.route?.path ? `${req.method} ${String(req.route.path)}` : `${req.method} other`;
      end({ route, status: String(res.statusCode) });
      onFinish?.(route, req, res);
    });
    next();
  };
}

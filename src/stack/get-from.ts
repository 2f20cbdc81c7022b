import { request } from "node:http";

/** What a GET answered: status, headers (lower-case names) and body text. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * GET `url` from a given loopback source address (127.0.0.2, 127.0.0.3, ...: every 127/8 address is
 * this machine's), so a server sees distinct clients without trusting any forwarded header.
 */
export function getFrom(url: string, localAddress: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "GET", localAddress, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${url} from ${localAddress} timed out`)));
    req.end();
  });
}

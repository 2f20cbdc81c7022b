import { timingSafeEqual } from "node:crypto";
import type { Request } from "express";
import proxyaddr from "proxy-addr";

/** The header an authenticated proxy (the verification site) sends with the shared proxy token. */
export const PROXY_TOKEN_HEADER = "Trackroot-Proxy-Token";

export interface ClientAddressOptions {
  /**
   * Addresses or CIDR ranges of the reverse proxies in front of the service (e.g. "10.0.0.0/8",
   * "127.0.0.1"); a forwarded address counts only from these, never by hop count.
   */
  trustedProxies: readonly string[];
  /**
   * When set, a trusted proxy must also send it as Trackroot-Proxy-Token: on a host where clients and
   * the proxy share an address (loopback, one NAT) the address alone does not tell them apart.
   */
  proxyToken?: string;
}

/** Where a request comes from: the client's address, and whether a proxy this service trusts relayed it. */
export interface ClientAddress {
  address: string;
  viaTrustedProxy: boolean;
}

/**
 * The client address of a request: the socket's peer, or, when that peer is a configured proxy (and
 * shows the proxy token, when one is set), the address X-Forwarded-For gives through the trusted
 * proxies only. A made-up X-Forwarded-For from anyone else is ignored.
 */
export function clientAddressOf(options: ClientAddressOptions): (req: Request) => ClientAddress {
  const trust = proxyaddr.compile([...options.trustedProxies]);
  const token = options.proxyToken ? Buffer.from(options.proxyToken) : undefined;
  return (req) => {
    const peer = req.socket.remoteAddress ?? "unknown";
    if (options.trustedProxies.length === 0 || !trust(peer, 0)) return { address: peer, viaTrustedProxy: false };
    if (token) {
      const shown = Buffer.from(req.get(PROXY_TOKEN_HEADER) ?? "");
      if (shown.length !== token.length || !timingSafeEqual(shown, token))
        return { address: peer, viaTrustedProxy: false };
    }
    return { address: proxyaddr(req, trust), viaTrustedProxy: true };
  };
}

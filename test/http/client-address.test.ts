import { expect } from "chai";
import type { Request } from "express";
import { clientAddressOf } from "../../src/http/client-address";

/** A request as express gives it: a socket peer and headers. */
function request(peer: string, headers: Record<string, string> = {}): Request {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    socket: { remoteAddress: peer },
    connection: { remoteAddress: peer },
    headers: lower,
    get: (name: string) => lower[name.toLowerCase()],
  } as unknown as Request;
}

describe("http: the client address counts forwarded addresses only from configured proxies", () => {
  const cases: {
    name: string;
    trusted: string[];
    token?: string;
    peer: string;
    headers?: Record<string, string>;
    address: string;
    via: boolean;
  }[] = [
    {
      name: "no proxies configured: a made-up X-Forwarded-For is ignored",
      trusted: [],
      peer: "203.0.113.9",
      headers: { "X-Forwarded-For": "10.0.0.1" },
      address: "203.0.113.9",
      via: false,
    },
    {
      name: "a peer that is not a configured proxy cannot forward",
      trusted: ["10.0.0.0/8"],
      peer: "203.0.113.9",
      headers: { "X-Forwarded-For": "198.51.100.1" },
      address: "203.0.113.9",
      via: false,
    },
    {
      name: "a configured proxy forwards its client",
      trusted: ["10.0.0.0/8"],
      peer: "10.0.0.5",
      headers: { "X-Forwarded-For": "198.51.100.1" },
      address: "198.51.100.1",
      via: true,
    },
    {
      name: "a chain of forwarders counts back only through trusted hops",
      trusted: ["10.0.0.0/8"],
      peer: "10.0.0.5",
      headers: { "X-Forwarded-For": "1.2.3.4, 198.51.100.1, 10.0.0.7" },
      address: "198.51.100.1",
      via: true,
    },
    {
      name: "a shared address without the proxy token is a client, not the proxy",
      trusted: ["127.0.0.1"],
      token: "a-long-proxy-token",
      peer: "127.0.0.1",
      headers: { "X-Forwarded-For": "198.51.100.1" },
      address: "127.0.0.1",
      via: false,
    },
    {
      name: "a wrong proxy token is no token",
      trusted: ["127.0.0.1"],
      token: "a-long-proxy-token",
      peer: "127.0.0.1",
      headers: { "X-Forwarded-For": "198.51.100.1", "Trackroot-Proxy-Token": "a-long-proxy-tokeN" },
      address: "127.0.0.1",
      via: false,
    },
    {
      name: "the proxy with its token forwards its client",
      trusted: ["127.0.0.1"],
      token: "a-long-proxy-token",
      peer: "127.0.0.1",
      headers: { "X-Forwarded-For": "198.51.100.1", "Trackroot-Proxy-Token": "a-long-proxy-token" },
      address: "198.51.100.1",
      via: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const of = clientAddressOf({ trustedProxies: c.trusted, ...(c.token ? { proxyToken: c.token } : {}) });
      expect(of(request(c.peer, c.headers))).to.deep.equal({ address: c.address, viaTrustedProxy: c.via });
    });
  }
});

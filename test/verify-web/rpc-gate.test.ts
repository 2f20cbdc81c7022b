import { expect } from "chai";
import { checkRpcRequest, MAX_BATCH } from "../../src/verify-web/rpc-gate";

const CONTRACT = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
const contracts = new Set([CONTRACT]);
const call = (params: unknown[], extra: Record<string, unknown> = {}) => ({
  jsonrpc: "2.0",
  id: 1,
  method: "eth_call",
  params,
  ...extra,
});

describe("verify-web rpc gate", () => {
  const allowed: [string, unknown][] = [
    ["a read of a deployment contract", call([{ to: CONTRACT, data: "0x1234" }, "latest"])],
    [
      "a read at a block number, the address in checksum case",
      call([{ to: CONTRACT.toUpperCase().replace("0X", "0x"), data: "0x" }, "0x10"]),
    ],
    [
      "eth_chainId and eth_blockNumber in a batch",
      [
        { jsonrpc: "2.0", id: 1, method: "eth_chainId" },
        { jsonrpc: "2.0", id: "b", method: "eth_blockNumber", params: [] },
      ],
    ],
  ];
  for (const [what, body] of allowed) {
    it(`passes ${what}`, () => {
      expect(() => checkRpcRequest(body, contracts)).not.to.throw();
    });
  }

  const refused: [string, unknown, string][] = [
    ["a transaction", { jsonrpc: "2.0", id: 1, method: "eth_sendRawTransaction", params: ["0x00"] }, "rpc.method"],
    ["a log scan", { jsonrpc: "2.0", id: 1, method: "eth_getLogs", params: [{}] }, "rpc.method"],
    ["a read of another contract", call([{ to: "0x" + "11".repeat(20), data: "0x" }]), "rpc.params[0].to"],
    ["a call carrying value", call([{ to: CONTRACT, data: "0x", value: "0x1" }]), "rpc.params[0].value"],
    ["a state override", call([{ to: CONTRACT, data: "0x" }, "latest", {}]), "rpc.params"],
    ["a bad block tag", call([{ to: CONTRACT, data: "0x" }, "pending"]), "rpc.params[1]"],
    ["another JSON-RPC version", { jsonrpc: "1.0", id: 1, method: "eth_chainId" }, "rpc.jsonrpc"],
    ["a missing id", { jsonrpc: "2.0", method: "eth_chainId" }, "rpc.id"],
    ["parameters to eth_chainId", { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [1] }, "rpc.params"],
    ["an empty batch", [], "rpc"],
    [
      "an oversized batch",
      Array.from({ length: MAX_BATCH + 1 }, () => ({ jsonrpc: "2.0", id: 1, method: "eth_chainId" })),
      "rpc",
    ],
    ["a bad call inside a batch", [{ jsonrpc: "2.0", id: 1, method: "eth_chainId" }, "x"], "rpc[1]"],
  ];
  for (const [what, body, field] of refused) {
    it(`refuses ${what}, naming ${field}`, () => {
      expect(() => checkRpcRequest(body, contracts))
        .to.throw()
        .with.property("field", field);
    });
  }
});

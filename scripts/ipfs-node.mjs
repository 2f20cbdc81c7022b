// A real js-ipfs node (ipfs-core + its HTTP RPC API, as `jsipfs daemon` wires them), offline on
// 127.0.0.1, for the tests, benchmarks and the local stack. Usage: node scripts/ipfs-node.mjs <repo-dir> <port>
import { create } from "ipfs-core";
import { HttpApi } from "ipfs-http-server";

const [repo, port] = process.argv.slice(2);
const ipfs = await create({
  repo,
  offline: true,
  start: false,
  silent: true,
  config: {
    Addresses: { API: `/ip4/127.0.0.1/tcp/${port}`, Gateway: "", Swarm: [] },
    Bootstrap: [],
    Discovery: { MDNS: { Enabled: false }, webRTCStar: { Enabled: false } },
  },
});
const api = new HttpApi(ipfs);
await api.start();
console.log(`ipfs api ready on ${port}`);
const stop = async () => {
  await api.stop();
  await ipfs.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

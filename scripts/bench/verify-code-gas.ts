/** Gas of SerialRegistry.verifyCode (as an eth_estimateGas of the view) for batches of 10 to 1,000,000 codes. */
import { ethers } from "hardhat";
import { deployWithOrder, GTIN } from "../../test/contracts/fixtures";
import { MerkleTree } from "../../src/core/merkle/tree";
import { codeLeafHashes } from "../../src/core/merkle/leaves";

async function main() {
  const { serials, signers, ids } = await deployWithOrder();
  const brand = serials.connect(signers.brandKey);
  await brand.openOrder(GTIN, 2_000_000, "L", 0, ids.producer, ethers.ZeroHash);
  for (const n of [10, 1000, 1_000_000]) {
    const codes = Array.from({ length: n }, (_, i) => `C${i}`);
    const tree = MerkleTree.fromLeafHashes(codeLeafHashes(GTIN, codes));
    await brand.releaseBatch(2, tree.root, n, "bafy");
    const { batches } = await serials.counts();
    const proof = tree.proof(n - 1);
    const gas = await serials.verifyCode.estimateGas(batches, GTIN, codes[n - 1], proof);
    console.log(`verifyCode, batch of ${n}: proof of ${proof.length} nodes, ${gas} gas (estimate incl. 21000 base)`);
  }
}
main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

import { encryptKeystoreJson, Wallet } from "ethers";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { ValidationError } from "../core/errors";

/**
 * The signer from an encrypted JSON keystore (Web3 Secret Storage, as geth, Besu and ethers write
 * it). ethers decrypts it; viem signs. A wrong password or a broken file is the user's error.
 */
export async function accountFromKeystore(
  json: string,
  password: string,
  path = "keystore",
): Promise<PrivateKeyAccount> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new ValidationError("keystore", path, "is not a JSON keystore");
  }
  if (typeof parsed !== "object" || parsed === null || !("crypto" in parsed || "Crypto" in parsed)) {
    throw new ValidationError("keystore", path, "is not an encrypted JSON keystore (no crypto section)");
  }
  try {
    const wallet = await Wallet.fromEncryptedJson(json, password);
    return privateKeyToAccount(wallet.privateKey as `0x${string}`);
  } catch (e) {
    const message = (e as Error).message ?? "";
    if (/incorrect password|invalid password/i.test(message)) {
      throw new ValidationError("keystorePassword", "(hidden)", `does not decrypt ${path}`);
    }
    throw new ValidationError("keystore", path, `cannot be decrypted: ${message}`);
  }
}

/** Encrypts a key into a JSON keystore (for `trackroot key new` and test fixtures). */
export async function encryptKeystore(privateKey: `0x${string}`, password: string, scryptN = 131072): Promise<string> {
  const wallet = new Wallet(privateKey);
  return encryptKeystoreJson({ address: wallet.address, privateKey }, password, { scrypt: { N: scryptN } });
}

import { readFile } from "node:fs/promises";
import type { Address } from "viem";
import { z } from "zod";
import { NotFoundError, ValidationError } from "../core/errors";

/** Typed as viem's Address, which the pattern guarantees (a pattern, not a refinement: the file's JSON Schema says the same). */
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "a 20-byte 0x-hex address") as unknown as z.ZodType<
  Address,
  z.ZodStringDef,
  string
>;
const deployed = z.object({
  address,
  block: z.number().int().nonnegative(),
  transaction: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
});

/** deployments/<chainId>.json: where the contracts live on one chain, and since which block. */
export const DeploymentSchema = z.object({
  chainId: z.number().int().positive(),
  network: z.string().optional(),
  governor: address,
  contracts: z.object({
    ParticipantRegistry: deployed,
    SerialRegistry: deployed,
    CommitmentLog: deployed,
  }),
});
export type Deployment = z.infer<typeof DeploymentSchema>;

/** Reads and validates a deployment file; a missing or malformed one names the file and the field. */
export async function readDeployment(path: string): Promise<Deployment> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    throw new NotFoundError(`no deployment file at ${path}: run \`trackroot deploy\` first`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ValidationError("deployment", path, `is not JSON: ${(e as Error).message}`);
  }
  const parsed = DeploymentSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(`deployment.${issue.path.join(".")}`, path, issue.message);
  }
  return parsed.data;
}

/** The three contracts' addresses, lowercase. */
export interface ContractAddresses {
  registry: Address;
  serials: Address;
  log: Address;
}

/** The contracts of a deployment, as log addresses are matched. */
export function contractAddresses(deployment: Deployment): ContractAddresses {
  const c = deployment.contracts;
  return {
    registry: c.ParticipantRegistry.address.toLowerCase() as Address,
    serials: c.SerialRegistry.address.toLowerCase() as Address,
    log: c.CommitmentLog.address.toLowerCase() as Address,
  };
}

import { PARTICIPANT_KINDS } from "../../core/custody/participant-kinds";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Command } from "commander";
import { ValidationError } from "../../core/errors";
import { normalizeGln } from "../../core/gs1/gtin";
import type { CliContext } from "../context";
import { emit, positiveInt, type Options } from "./shared";

/** Participant kinds in the order of the contract's ParticipantKind enum. */

const address = (field: string) => (value: string) => {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) throw new ValidationError(field, value, "a 20-byte 0x-hex address");
  return value as `0x${string}`;
};

/** deploy, participant add|list, key add|revoke, prefix assign: the consortium's governance jobs. */
export function registerLedgerAdminCommands(program: Command, context: () => Promise<CliContext>): void {
  program
    .command("deploy")
    .description("deploy the registry, serial registry and commitment log, and write the deployment file")
    .option("--governor <address>", "holder of the governance role (default: the signer)", address("governor"))
    .action(async (opts: { governor?: `0x${string}` }) => {
      const ctx = await context();
      const [{ createPublicClient, createWalletClient, http }, { chainOf }, { deployContracts }] = await Promise.all([
        import("viem"),
        import("../../chain/ledger"),
        import("../../chain/deploy"),
      ]);
      const account = await ctx.account();
      const chainId = await ctx.chainId();
      const chain = chainOf(chainId, ctx.config.rpcUrl);
      const transport = http(ctx.config.rpcUrl, { retryCount: 0 });
      const deployment = await deployContracts({
        publicClient: createPublicClient({ chain, transport }),
        walletClient: createWalletClient({ chain, transport, account }),
        fees: ctx.config.fees,
        ...(opts.governor ? { governor: opts.governor } : {}),
      });
      const path = await ctx.deploymentPath();
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, JSON.stringify(deployment, null, 2) + "\n");
      emit(ctx, deployment, `deployed to chain ${chainId}; wrote ${path}`);
    });

  const participant = program.command("participant").description("consortium participants");
  participant
    .command("add")
    .description("register a participant (governance)")
    .requiredOption("--kind <kind>", PARTICIPANT_KINDS.join(" | "))
    .requiredOption("--gln <gln>", "GS1 Global Location Number (13 digits)")
    .requiredOption("--name <name>", "display name")
    .option("--key <address>", "a first signing key to bind", address("key"))
    .action(async (opts: { kind: string; gln: string; name: string; key?: `0x${string}` }) => {
      const kind = PARTICIPANT_KINDS.indexOf(opts.kind as (typeof PARTICIPANT_KINDS)[number]);
      if (kind < 0) throw new ValidationError("kind", opts.kind, `one of ${PARTICIPANT_KINDS.join(", ")}`);
      const gln = BigInt(normalizeGln(opts.gln));
      if (opts.name.trim() === "") throw new ValidationError("name", opts.name, "must not be empty");
      const ctx = await context();
      const ledger = await ctx.ledger(true);
      const { result: id, hash } = await ledger.write(() =>
        ledger.registry.simulate.registerParticipant([kind, gln, opts.name]),
      );
      if (opts.key) {
        const key = opts.key;
        await ledger.write(() => ledger.registry.simulate.addKey([id, key]));
      }
      emit(
        ctx,
        { participant: id, kind: opts.kind, transaction: hash },
        `participant ${id} registered (${opts.kind} ${opts.name})`,
      );
    });
  participant
    .command("list")
    .description("every registered participant")
    .action(async () => {
      const ctx = await context();
      const ledger = await ctx.ledger(false);
      const count = await ledger.read(() => ledger.registry.read.participantCount());
      const rows = [];
      for (let id = 1; id <= count; id++) {
        const p = await ledger.read(() => ledger.registry.read.participant([id]));
        rows.push({
          id,
          kind: PARTICIPANT_KINDS[p.kind],
          gln: p.gln.toString().padStart(13, "0"),
          name: p.name,
          active: p.active,
        });
      }
      emit(
        ctx,
        rows,
        rows.map((r) => `${r.id}\t${r.kind}\t${r.gln}\t${r.active ? "active" : "suspended"}\t${r.name}`).join("\n"),
      );
    });

  const key = program.command("key").description("participants' signing keys");
  key
    .command("add")
    .description("bind a signing key to a participant (governance or the participant's own key)")
    .requiredOption("--participant <id>", "participant id", positiveInt("participant"))
    .requiredOption("--key <address>", "the key's address", address("key"))
    .action(async (opts: { participant: number; key: `0x${string}` }) => {
      const ctx = await context();
      const ledger = await ctx.ledger(true);
      const { hash } = await ledger.write(() => ledger.registry.simulate.addKey([opts.participant, opts.key]));
      emit(ctx, { ...opts, transaction: hash }, `key ${opts.key} bound to participant ${opts.participant}`);
    });
  key
    .command("revoke")
    .description("revoke a signing key for good")
    .requiredOption("--key <address>", "the key's address", address("key"))
    .action(async (opts: { key: `0x${string}` }) => {
      const ctx = await context();
      const ledger = await ctx.ledger(true);
      const { hash } = await ledger.write(() => ledger.registry.simulate.revokeKey([opts.key]));
      emit(ctx, { ...opts, transaction: hash }, `key ${opts.key} revoked`);
    });

  program
    .command("prefix")
    .description("GS1 company prefixes")
    .command("assign")
    .description("assign a GS1 company prefix to a brand (governance)")
    .requiredOption("--prefix <digits>", "6 to 12 digits")
    .requiredOption("--brand <id>", "the brand's participant id", positiveInt("brand"))
    .action(async (opts: Options & { prefix: string; brand: number }) => {
      if (!/^\d{6,12}$/.test(opts.prefix)) throw new ValidationError("prefix", opts.prefix, "6 to 12 digits");
      const ctx = await context();
      const ledger = await ctx.ledger(true);
      const { hash } = await ledger.write(() => ledger.registry.simulate.assignPrefix([opts.prefix, opts.brand]));
      emit(ctx, { ...opts, transaction: hash }, `prefix ${opts.prefix} assigned to brand ${opts.brand}`);
    });
}

import { resolve } from "node:path";
import type { Command } from "commander";
import type { ProposalView } from "../../client/relayer-client";
import type { CustodyDomain } from "../../core/custody/eip712";
import { ValidationError } from "../../core/errors";
import { parseStrictJson } from "../../core/json/strict-json";
import type { CliContext } from "../context";
import { readText } from "../io";
import { emit } from "./shared";

const PROPOSAL_ID = /^0x[0-9a-fA-F]{64}$/;
const STATUSES = ["proposed", "accepted", "rejected", "withdrawn", "expired"] as const;

/**
 * The items of a handover from a file: a JSON array of identifiers, or one identifier per line (blank
 * lines and lines starting with # are skipped). Each must name one unit or one SSCC; the core checks.
 */
export function parseItemsFile(text: string, field: string, maxItems: number): string[] {
  const trimmed = text.trim();
  let items: unknown;
  if (trimmed.startsWith("[")) {
    try {
      items = parseStrictJson(trimmed, { maxDepth: 2 });
    } catch (e) {
      throw new ValidationError(field, "", `is not a JSON array of items: ${(e as Error).message}`);
    }
    if (!Array.isArray(items) || items.some((i) => typeof i !== "string")) {
      throw new ValidationError(field, "", "a JSON items file is an array of strings");
    }
  } else {
    items = trimmed
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#"));
  }
  const list = items as string[];
  if (list.length === 0) throw new ValidationError(field, "", "lists no items");
  if (list.length > maxItems) throw new ValidationError(field, list.length, `lists more than ${maxItems} items`);
  return list;
}

/** A deadline as given: ISO 8601, unix seconds, or a duration from now (30m, 12h, 2d). */
export function parseDeadline(value: string, now = Date.now()): number {
  const duration = /^(\d{1,6})([mhd])$/.exec(value);
  if (duration) {
    const unit = { m: 60, h: 3600, d: 86_400 }[duration[2] as "m" | "h" | "d"];
    return Math.floor(now / 1000) + Number(duration[1]) * unit;
  }
  if (/^\d{9,11}$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (!Number.isFinite(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw new ValidationError(
      "deadline",
      value,
      "give an ISO 8601 time, unix seconds, or a duration such as 12h or 2d",
    );
  }
  return Math.floor(ms / 1000);
}

function line(p: ProposalView): string {
  const acted = p.reason ? ` (${p.reason})` : "";
  return `${p.id}\t${p.status}${acted}\tfrom ${p.from} to ${p.to}\t${p.itemCount} items\t${p.shipmentRef}\tdeadline ${p.deadline}`;
}

/**
 * `trackroot handover propose|inbox|show|accept|reject|withdraw`: a custody handover between two
 * companies, each on its own machine with its own keystore, through the relayer's mailbox. The
 * sender proposes to the receiving participant; any active key of the receiver accepts (naming the
 * items it counted) or rejects, saying why; the sender may withdraw before that.
 */
export function registerHandoverCommands(program: Command, context: () => Promise<CliContext>): void {
  const handover = program
    .command("handover")
    .description("propose a custody handover to another participant, and accept or reject those proposed to you");

  /** The configured key, its participant, the domain and the relayer. */
  async function party() {
    const ctx = await context();
    const [
      { RelayerClient },
      { participantByRef },
      { countersignProposal, signHandoverProposal },
      { MAX_HANDOVER_ITEMS },
    ] = await Promise.all([
      import("../../client/relayer-client"),
      import("../../chain/participant-ref"),
      import("../../client/handover-proposals"),
      import("../../core/custody/handover-items"),
    ]);
    const ledger = await ctx.ledger(false);
    const account = await ctx.account();
    const [participant, active] = await ledger.read(() => ledger.registry.read.participantOfKey([account.address]));
    if (participant === 0) throw new ValidationError("keystore", account.address, "is not a registered key");
    if (!active) throw new ValidationError("keystore", account.address, "is revoked, or its participant deactivated");
    const domain: CustodyDomain = {
      chainId: ledger.options.deployment.chainId,
      verifyingContract: ledger.commitmentLog.address,
    };
    return {
      ctx,
      ledger,
      account,
      participant,
      domain,
      relayer: new RelayerClient({ url: ctx.config.relayerUrl }),
      participantByRef,
      signHandoverProposal,
      countersignProposal,
      maxItems: MAX_HANDOVER_ITEMS,
    };
  }

  handover
    .command("propose")
    .description("sign your half of a handover and post it to the receiver's inbox")
    .requiredOption("--to <participant>", "the receiving participant: its id or its GLN (13 digits)")
    .requiredOption("--items <file>", "the items changing hands: one identifier per line, or a JSON array")
    .requiredOption("--shipment <ref>", "the shipment reference (despatch advice number)")
    .option("--deadline <when>", "until when it may be accepted: ISO 8601, unix seconds or 30m/12h/2d", "1d")
    .option("--id <text>", "a handover id of your own (default: the shipment reference and the time)")
    .action(async (opts: { to: string; items: string; shipment: string; deadline: string; id?: string }) => {
      const p = await party();
      const items = parseItemsFile(await readText(resolve(p.ctx.cwd, opts.items), "items"), "items", p.maxItems);
      const toParticipant = await p.participantByRef(p.ledger, opts.to, "to");
      const proposal = await p.signHandoverProposal({
        account: p.account,
        domain: p.domain,
        fromParticipant: p.participant,
        toParticipant,
        items,
        shipmentRef: opts.shipment,
        deadline: parseDeadline(opts.deadline),
        ...(opts.id ? { id: opts.id } : {}),
      });
      const view = await p.relayer.propose(proposal);
      emit(p.ctx, view, `${view.id} proposed to participant ${toParticipant}: ${items.length} items, ${opts.shipment}`);
    });

  handover
    .command("inbox")
    .description("the proposals addressed to your participant (or, with --sent, those it sent)")
    .option("--sent", "list what your participant proposed instead")
    .option("--status <status>", `only ${STATUSES.join(", ")}`)
    .action(async (opts: { sent?: boolean; status?: string }) => {
      if (opts.status !== undefined && !(STATUSES as readonly string[]).includes(opts.status)) {
        throw new ValidationError("status", opts.status, `must be one of ${STATUSES.join(", ")}`);
      }
      const p = await party();
      const list = await p.relayer.proposals(p.account, {
        side: opts.sent ? "from" : "to",
        status: opts.status as ProposalView["status"] | undefined,
      });
      emit(p.ctx, { proposals: list }, list.length ? list.map(line).join("\n") : "no proposals");
    });

  handover
    .command("show")
    .description("one proposal, with its items")
    .argument("<id>", "the proposal id (0x + 64 hex digits)")
    .action(async (id: string) => {
      const p = await party();
      const view = await p.relayer.proposal(p.account, proposalIdArg(id));
      emit(p.ctx, view, [line(view), ...(view.proposal?.items ?? []).map((i) => `  ${i}`)].join("\n"));
    });

  handover
    .command("accept")
    .description("countersign a proposal addressed to you; with --received, only if exactly those items arrived")
    .argument("<id>", "the proposal id")
    .option("--received <file>", "the items you counted: one per line, or a JSON array")
    .action(async (id: string, opts: { received?: string }) => {
      const p = await party();
      const received = opts.received
        ? parseItemsFile(await readText(resolve(p.ctx.cwd, opts.received), "received"), "received", p.maxItems)
        : undefined;
      const view = await p.relayer.proposal(p.account, proposalIdArg(id));
      // checked here before signing: the relayer that served it is not trusted
      const receiverSignature = await p.countersignProposal({
        account: p.account,
        domain: p.domain,
        proposal: view.proposal,
        id: view.id,
        participant: p.participant,
      });
      const accepted = await p.relayer.accept(p.account, view.id, {
        receiverSignature,
        ...(received ? { received } : {}),
      });
      emit(p.ctx, accepted, `${accepted.id} accepted: queued for commitment as handover ${accepted.captureID}`);
    });

  handover
    .command("reject")
    .description("refuse a proposal addressed to you, saying why")
    .argument("<id>", "the proposal id")
    .requiredOption("--reason <text>", "why (the sender sees it)")
    .action(async (id: string, opts: { reason: string }) => {
      const p = await party();
      const view = await p.relayer.reject(p.account, proposalIdArg(id), opts.reason);
      emit(p.ctx, view, `${view.id} rejected: ${view.reason}`);
    });

  handover
    .command("withdraw")
    .description("take back a proposal you sent, before the receiver acts on it")
    .argument("<id>", "the proposal id")
    .option("--reason <text>", "why (the receiver sees it)")
    .action(async (id: string, opts: { reason?: string }) => {
      const p = await party();
      const view = await p.relayer.withdraw(p.account, proposalIdArg(id), opts.reason);
      emit(p.ctx, view, `${view.id} withdrawn`);
    });
}

function proposalIdArg(id: string): string {
  if (!PROPOSAL_ID.test(id)) throw new ValidationError("id", id, "must be 0x + 64 hex digits");
  return id.toLowerCase();
}

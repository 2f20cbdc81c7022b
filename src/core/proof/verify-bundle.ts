import type { Address } from "viem";
import type { Hex } from "../bytes";
import { verifyCaptureSignature, captureDigest } from "../custody/eip712";
import {
  handoverMessageDigest,
  handoverSigners,
  isParticipantHandover,
  readHandoverMessage,
  type HandoverMessage,
} from "../custody/handover-message";
import { itemLeafHash } from "../custody/handover-items";
import {
  disclosedEventLeafHash,
  identifierLeaves,
  identifiersRootOfLeaves,
  identifiersRootOf,
  saltHash,
  shownDigest,
  shownFields,
  type ShownFields,
} from "../custody/event-disclosure";
import { canonicalValue } from "../epcis/canonical-value";
import { eventHashBytes, type EpcisEvent, type JsonValue } from "../epcis/event-hash";
import { unitIdentifier } from "../epcis/unit-identifier";
import { codeLeafHash, commitmentLeafHash, eventLeafHash, ITEM_LEAF_ENCODING } from "../merkle/leaves";
import { isEndOfLife } from "../lifecycle/biz-steps";
import { verifyProof } from "../merkle/verify";
import { ProofBundleSchema, type AnyEventStep, type CommitmentRef, type CustodyStep, type ProofBundle } from "./bundle";

/** What the verifier asks the chain: a batch's or a commitment's root (and a batch's standing). */
export type RootQuery =
  | { kind: "batch"; chainId: number; contract: Address; batchId: bigint }
  | { kind: "commitment"; chainId: number; contract: Address; relayer: number; sequence: bigint };

/** The chain's answer; null when the chain knows no such batch or commitment. */
export type ChainRoot = { root: Hex; recalled?: boolean; gtin?: string } | null;

export type ReadRoot = (query: RootQuery) => Promise<ChainRoot>;

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
  block?: number;
  transaction?: Hex;
}

export type Verdict = "genuine" | "recalled" | "decommissioned" | "unknown" | "unverifiable";

export interface BundleVerdict {
  verdict: Verdict;
  checks: Check[];
}

export { ITEM_LEAF_ENCODING };

/** The participant a key was registered to, whatever its standing today; null for a key never registered. */
export type KeyOwner = (key: Address) => Promise<number | null>;

export interface VerifyBundleOptions {
  /** the code the verifier asked about: a bundle for any other code, however genuine, does not answer */
  code?: { gtin: string; serial: string };
  /**
   * whose keys signed a participant-addressed handover, asked of the chain's registry; without it
   * such a step cannot be checked, and the bundle is unverifiable
   */
  keyOwner?: KeyOwner;
}

/**
 * Verifies a proof bundle against the chain: the code's inclusion in its released batch, and each
 * custody step's signatures and inclusion in its commitment, each root read from the chain through
 * `readRoot`. Pure apart from `readRoot`. The verdict never rests on the bundle's word alone:
 * anything that does not check out, including an unreachable chain, makes it "unverifiable".
 */
export async function verifyBundle(
  input: unknown,
  readRoot: ReadRoot,
  options: VerifyBundleOptions = {},
): Promise<BundleVerdict> {
  const checks: Check[] = [];
  const parsed = ProofBundleSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    checks.push({ name: "bundle format", ok: false, detail: `${issue.path.join(".") || "bundle"}: ${issue.message}` });
    return { verdict: "unverifiable", checks };
  }
  const bundle: ProofBundle = parsed.data;
  checks.push({ name: "bundle format", ok: true, detail: "ProofBundle v1" });
  readRoot = prefetched(readRoot, bundle);
  const asked = options.code;
  if (asked && (asked.gtin !== bundle.code.gtin || asked.serial !== bundle.code.serial)) {
    checks.push({
      name: "code asked for",
      ok: false,
      detail: `the bundle is for ${bundle.code.gtin}/${bundle.code.serial}, not ${asked.gtin}/${asked.serial}`,
    });
    return { verdict: "unverifiable", checks };
  }

  try {
    if (!bundle.release) {
      checks.push({ name: "release", ok: true, detail: "no released batch names this code" });
      return { verdict: "unknown", checks };
    }
    const r = bundle.release;
    const leaf = codeLeafHash(BigInt(bundle.code.gtin), bundle.code.serial);
    const included = verifyProof(r.root, leaf, r.proof);
    checks.push({
      name: "inclusion in released batch",
      ok: included,
      detail: included
        ? `code is leaf of batch ${r.batchId}`
        : "the proof does not lead from the code to the batch root",
    });
    const onChain = await readRoot({
      kind: "batch",
      chainId: r.chainId,
      contract: r.contract,
      batchId: BigInt(r.batchId),
    });
    const rootMatches = !!onChain && onChain.root.toLowerCase() === r.root.toLowerCase();
    const gtinMatches = !onChain?.gtin || onChain.gtin === bundle.code.gtin;
    checks.push({
      name: "batch root on chain",
      ok: rootMatches && gtinMatches,
      detail: !onChain
        ? `the chain knows no batch ${r.batchId}`
        : !rootMatches
          ? "the chain's root differs from the bundle's"
          : !gtinMatches
            ? `the batch is for GTIN ${onChain.gtin}`
            : `batch ${r.batchId} released in block ${r.block}`,
      block: r.block,
      transaction: r.transaction,
    });

    let ended = false;
    // what the steps may name: the code, and each container a proven packing put it (or a container of it) in
    const subjects = new Set([unitIdentifier(bundle.code.gtin, bundle.code.serial)]);
    for (const [i, step] of bundle.custody.entries()) {
      const result = await verifyStep(step, i, subjects, readRoot, options.keyOwner);
      checks.push(...result.checks);
      ended ||= result.endOfLife;
    }
    if (checks.some((c) => !c.ok)) return { verdict: "unverifiable", checks };
    if (onChain?.recalled) return { verdict: "recalled", checks };
    return { verdict: ended ? "decommissioned" : "genuine", checks };
  } catch (err) {
    checks.push({ name: "chain", ok: false, detail: `could not read the chain: ${(err as Error).message}` });
    return { verdict: "unverifiable", checks };
  }
}

function rootKey(q: RootQuery): string {
  return q.kind === "batch"
    ? `batch:${q.chainId}:${q.contract.toLowerCase()}:${q.batchId}`
    : `commitment:${q.chainId}:${q.contract.toLowerCase()}:${q.relayer}:${q.sequence}`;
}

/**
 * Every root the bundle names, asked of the chain at once rather than one step after another (a
 * batching transport sends them as one request), and each asked once however many steps share it.
 */
function prefetched(readRoot: ReadRoot, bundle: ProofBundle): ReadRoot {
  const asked = new Map<string, Promise<ChainRoot>>();
  const read: ReadRoot = (q) => {
    const key = rootKey(q);
    let answer = asked.get(key);
    if (!answer) {
      answer = readRoot(q);
      answer.catch(() => undefined); // awaited, and its failure reported, where the check needs it
      asked.set(key, answer);
    }
    return answer;
  };
  const r = bundle.release;
  if (r) read({ kind: "batch", chainId: r.chainId, contract: r.contract, batchId: BigInt(r.batchId) });
  for (const step of bundle.custody) {
    const c = step.commitment;
    read({
      kind: "commitment",
      chainId: c.chainId,
      contract: c.contract,
      relayer: c.relayer,
      sequence: BigInt(c.sequence),
    });
  }
  return read;
}

async function commitmentOnChain(ref: CommitmentRef, readRoot: ReadRoot, label: string): Promise<Check> {
  const onChain = await readRoot({
    kind: "commitment",
    chainId: ref.chainId,
    contract: ref.contract,
    relayer: ref.relayer,
    sequence: BigInt(ref.sequence),
  });
  const ok = !!onChain && onChain.root.toLowerCase() === ref.root.toLowerCase();
  return {
    name: `${label}: commitment on chain`,
    ok,
    detail: ok
      ? `relayer ${ref.relayer} sequence ${ref.sequence}`
      : onChain
        ? "the chain's commitment root differs from the bundle's"
        : `the chain knows no commitment ${ref.relayer}/${ref.sequence}`,
    block: ref.block,
    transaction: ref.transaction,
  };
}

async function verifyStep(
  step: CustodyStep,
  i: number,
  subjects: Set<string>,
  readRoot: ReadRoot,
  keyOwner: KeyOwner | undefined,
): Promise<{ checks: Check[]; endOfLife: boolean }> {
  const label = `custody step ${i + 1}`;
  const domain = { chainId: step.commitment.chainId, verifyingContract: step.commitment.contract };
  const checks: Check[] = [];
  if (step.kind !== "handover") {
    const leaf = eventLeafOf(step, label, subjects, checks);
    const capture = {
      ...step.capture,
      submitter: step.capture.submitter,
      eventsRoot: step.capture.eventsRoot,
      nonce: step.capture.nonce,
      issuedAt: BigInt(step.capture.issuedAt),
    };
    const inCapture = leaf !== null && verifyProof(capture.eventsRoot, leaf, step.eventProof);
    checks.push({
      name: `${label}: event in capture`,
      ok: inCapture,
      detail: inCapture
        ? step.kind === "recorded_event"
          ? "included; recorded before selective disclosure, so its details are the server's word"
          : "included"
        : "the event's fields, identifiers and hashes are not what the capture signed",
    });
    const signed = await verifyCaptureSignature(domain, capture, step.signature);
    checks.push({
      name: `${label}: capture signature`,
      ok: signed,
      detail: signed ? `signed by ${capture.submitter}` : "signature invalid",
    });
    const inCommitment = verifyProof(
      step.commitment.root,
      commitmentLeafHash("capture", captureDigest(domain, capture)),
      step.captureProof,
    );
    checks.push({
      name: `${label}: capture in commitment`,
      ok: inCommitment,
      detail: inCommitment ? "included" : "not included",
    });
    checks.push(await commitmentOnChain(step.commitment, readRoot, label));
    // a refused step is evidence of an attempt: it ends nothing
    return { checks, endOfLife: !step.refused && isEndOfLife(shownOf(step).bizStep) };
  }
  const handover = readHandoverMessage(step.handover, "fromParticipant" in step.handover);
  const keys = await handoverSigners(domain, handover, step.senderSignature, step.receiverSignature);
  for (const [who, key] of [
    ["sender", keys.sender],
    ["receiver", keys.receiver],
  ] as const) {
    checks.push(await signerCheck(`${label}: ${who} signature`, handover, who, key, keyOwner));
  }
  const itemOk = verifyProof(
    handover.itemsRoot,
    itemLeafHash(step.item, step.itemSalt as Hex | undefined),
    step.itemProof,
  );
  const namesCode = subjects.has(canonicalValue(step.item.trim()));
  checks.push({
    name: `${label}: item in handover`,
    ok: itemOk && namesCode,
    detail: !itemOk
      ? "item not in the handover's list"
      : namesCode
        ? step.item
        : `${step.item} is neither the code nor a container it was shown to be packed in`,
  });
  const inCommitment = verifyProof(
    step.commitment.root,
    commitmentLeafHash("handover", handoverMessageDigest(domain, handover)),
    step.proof,
  );
  checks.push({
    name: `${label}: handover in commitment`,
    ok: inCommitment,
    detail: inCommitment ? "included" : "not included",
  });
  checks.push(await commitmentOnChain(step.commitment, readRoot, label));
  return { checks, endOfLife: false };
}

/**
 * One half of a handover: its signature made by the key it names (key-addressed) or by a key the
 * chain's registry gives to the participant it names (participant-addressed).
 */
async function signerCheck(
  name: string,
  handover: HandoverMessage,
  who: "sender" | "receiver",
  key: Address | null,
  keyOwner: KeyOwner | undefined,
): Promise<Check> {
  if (!key) return { name, ok: false, detail: "invalid" };
  if (!isParticipantHandover(handover)) return { name, ok: true, detail: `signed by ${key}` };
  const named = who === "sender" ? handover.fromParticipant : handover.toParticipant;
  if (!keyOwner) return { name, ok: false, detail: `signed by ${key}; whose key that is could not be asked` };
  const owner = await keyOwner(key);
  return owner === named
    ? { name, ok: true, detail: `signed by ${key}, a key of participant ${named}` }
    : {
        name,
        ok: false,
        detail: `signed by ${key}, ${owner === null ? "a key never registered" : `a key of participant ${owner}`}, not of participant ${named}`,
      };
}

/** The fields a step shows: proven for whole and disclosed events, the server's word for recorded ones. */
export function shownOf(step: AnyEventStep): ShownFields {
  return step.kind === "event" ? shownFields(step.event as EpcisEvent) : step.shown;
}

/**
 * The leaf an event step claims in its capture's events tree, recomputed from what the step
 * discloses; null when its parts do not even agree among themselves. Checks, as it goes, that the
 * step names the code or one of its containers, and learns the containers its packings prove.
 */
function eventLeafOf(step: AnyEventStep, label: string, subjects: Set<string>, checks: Check[]): Hex | null {
  if (step.kind === "recorded_event") {
    checks.push({
      name: `${label}: names the code`,
      ok: true,
      detail: "recorded before selective disclosure: the event's identifiers are not public",
    });
    return eventLeafHash(step.eventHash);
  }
  let identifiers: { field: string; value: string }[];
  let leaf: Hex | null;
  if (step.kind === "event") {
    const hash = eventHashBytes(step.event as EpcisEvent, step.context as JsonValue | undefined);
    const hashOk = hash === step.eventHash.toLowerCase();
    checks.push({
      name: `${label}: event hash`,
      ok: hashOk,
      detail: hashOk ? "CBV 2.0 hash recomputed" : "the event does not hash to its stated hash",
    });
    const event = step.event as EpcisEvent;
    if (step.salt !== undefined) {
      const index = step.eventIndex ?? 0;
      const leaves = identifierLeaves(event, step.salt, index);
      const parts = {
        eventHash: hash,
        shownDigest: shownDigest(shownFields(event)),
        identifiersRoot: identifiersRootOfLeaves(leaves),
      };
      leaf = disclosedEventLeafHash(parts, saltHash(step.salt));
      identifiers = leaves;
    } else {
      leaf = eventLeafHash(hash);
      identifiers = identifierLeaves(event, `0x${"00".repeat(32)}`, 0);
    }
  } else {
    const roots = new Set(step.identifiers.map((d) => identifiersRootOf({ ...d, salt: d.salt }, d.proof as Hex[])));
    const agree = roots.size === 1;
    checks.push({
      name: `${label}: disclosed identifiers`,
      ok: agree,
      detail: agree
        ? step.identifiers.map((d) => `${d.field}: ${d.value}`).join(", ")
        : "the disclosed identifiers' proofs lead to different roots",
    });
    leaf = agree
      ? disclosedEventLeafHash(
          { eventHash: step.eventHash, shownDigest: shownDigest(step.shown), identifiersRoot: [...roots][0] },
          step.saltHash,
        )
      : null;
    identifiers = step.identifiers;
  }
  const named = identifiers.some((d) => d.field !== "parentID" && subjects.has(d.value));
  const parent = identifiers.find((d) => d.field === "parentID")?.value;
  const aggregation = !step.refused && shownOf(step).type === "AggregationEvent";
  const unpacking = aggregation && shownOf(step).action === "DELETE";
  // a packing proven for something we follow makes its parent a container we follow too
  if (named && parent && aggregation && !unpacking) subjects.add(parent);
  const namesParent = parent !== undefined && subjects.has(parent);
  checks.push({
    name: `${label}: names the code`,
    ok: named || namesParent,
    detail:
      named || namesParent
        ? "the event names the code or a container it was packed in"
        : "the event names neither the code nor a container it was shown to be packed in",
  });
  // and an unpacking of what we follow ends it: the container's later steps are not the code's
  if (named && parent && unpacking) subjects.delete(parent);
  return leaf;
}

import { resolve } from "node:path";
import type { Command } from "commander";
import type { SubmissionStatus } from "../../client/relayer-client";
import { ValidationError } from "../../core/errors";
import type { JsonValue } from "../../core/epcis/event-hash";
import { DOCUMENT_DEPTH_LIMIT, parseStrictJson } from "../../core/json/strict-json";
import type { CliContext } from "../context";
import { readText } from "../io";
import { emit, positiveInt } from "./shared";

const CAPTURE_ID = /^0x[0-9a-fA-F]{64}$/;

function statusLine(s: SubmissionStatus): string {
  return s.status === "committed" && s.batch
    ? `${s.captureID} committed in batch ${s.batch.sequence}, block ${s.batch.block}, transaction ${s.batch.transaction}`
    : `${s.captureID} ${s.status}`;
}

/**
 * `trackroot capture <file> [--wait]` and `trackroot capture status <id>`: a participant signs an
 * EPCIS 2.0 document with its own keystore and sends it straight to the relayer (`relayerUrl`), the
 * file's exact text as the relayer will store and publish it.
 */
export function registerCaptureCommands(program: Command, context: () => Promise<CliContext>): void {
  const capture = program
    .command("capture")
    .description("sign an EPCIS 2.0 document with the configured keystore and send it to the relayer")
    .argument("[file]", "an EPCIS 2.0 JSON or JSON-LD document")
    .option("--proceed", "keep the valid events when some are invalid (GS1-Capture-Error-Behaviour: proceed)")
    .option("--wait", "wait until the capture is committed on chain, and print where")
    .option("--timeout <seconds>", "how long --wait waits", positiveInt("timeout"), 120)
    .action(async (file: string | undefined, opts: { proceed?: boolean; wait?: boolean; timeout: number }) => {
      if (!file) throw new ValidationError("file", "", "give the EPCIS document to capture");
      const ctx = await context();
      const text = await readText(resolve(ctx.cwd, file));
      // strictly, as the relayer will: what is signed is exactly what is sent
      const parsed = parseStrictJson(text, { maxDepth: DOCUMENT_DEPTH_LIMIT });
      if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new ValidationError("file", file, "an EPCIS document is a JSON object");
      }
      const [{ readDeployment }, { signCapture }, { RelayerClient }] = await Promise.all([
        import("../../chain/deployment"),
        import("../../client/sign-capture"),
        import("../../client/relayer-client"),
      ]);
      const deployment = await readDeployment(await ctx.deploymentPath());
      const domain = {
        chainId: deployment.chainId,
        verifyingContract: deployment.contracts.CommitmentLog.address,
      };
      const envelope = await signCapture({
        document: parsed as { [k: string]: JsonValue },
        account: await ctx.account(),
        domain,
      });
      const relayer = new RelayerClient({ url: ctx.config.relayerUrl });
      const ack = await relayer.captureText(text, envelope, opts.proceed ? "proceed" : "rollback");
      if (!opts.wait) {
        emit(
          ctx,
          { ...ack, status: "queued" },
          `${ack.captureID} ${ack.duplicate ? "already stored" : "accepted"}${ack.rejectedEvents?.length ? ` (${ack.rejectedEvents.length} issues left events out)` : ""}`,
        );
        return;
      }
      await relayer.waitCommitted([ack.captureID], { timeoutMs: opts.timeout * 1000, pollMs: 250 });
      const status = await relayer.status(ack.captureID);
      emit(ctx, { ...ack, ...status }, statusLine(status));
    });

  capture
    .command("status")
    .description("where a capture or handover stands at the relayer: queued, or committed with its batch")
    .argument("<id>", "the capture id (0x + 64 hex digits)")
    .action(async (id: string) => {
      if (!CAPTURE_ID.test(id)) throw new ValidationError("id", id, "must be 0x + 64 hex digits");
      const ctx = await context();
      const { RelayerClient } = await import("../../client/relayer-client");
      const status = await new RelayerClient({ url: ctx.config.relayerUrl }).status(id.toLowerCase());
      emit(ctx, status, statusLine(status));
    });
}

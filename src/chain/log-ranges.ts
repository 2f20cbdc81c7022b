/**
 * Reading a contract's logs over a block range from a node that caps eth_getLogs: Besu refuses a
 * range wider than --rpc-max-logs-range (-32005 "Requested range exceeds maximum RPC range limit"),
 * other clients and providers a range or a result count past theirs, each with its own words. The
 * range is split in halves until each part is answered, and the span that worked is kept for the
 * next ranges, so no log is missed and a capped node is asked few times.
 */

/** How nodes say "ask for less": Besu's text first, then other clients' and providers'. */
const TOO_LARGE = [
  /requested range exceeds maximum rpc range limit/i,
  /query returned more than \d+ results/i,
  /exceeds max results/i,
  /(block )?range (is )?(too (large|wide|high)|(larger|bigger) than|exceeds)/i,
  /limit exceeded/i,
  /response size (exceeded|should not greater)/i,
  /up to a \d+ block range/i,
];

/** Whether a node's error says the range or its result was too large (rather than the node being down). */
export function isRangeTooLarge(error: unknown): boolean {
  const text = messagesOf(error);
  return TOO_LARGE.some((pattern) => pattern.test(text)) || codesOf(error).includes(LIMIT_EXCEEDED);
}

/** EIP-1474's "limit exceeded", which Besu answers for a range past --rpc-max-logs-range. */
const LIMIT_EXCEEDED = -32005;

function codesOf(error: unknown): unknown[] {
  const codes: unknown[] = [];
  for (let e = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++)
    codes.push((e as { code?: unknown }).code);
  return codes;
}

/** An error's message and its causes', viem nests the node's own words a level or two down. */
function messagesOf(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const { message, details } = e as { message?: unknown; details?: unknown };
    if (typeof message === "string") parts.push(message);
    if (typeof details === "string") parts.push(details);
  }
  return parts.join("\n");
}

export interface LogRangeReader<T> {
  /** reads [from, to] in as few requests as the node allows */
  read(from: number, to: number): Promise<T[]>;
  /** the widest span (blocks) the node has answered since a refusal; undefined before any */
  readonly span: number | undefined;
}

/**
 * A reader of `fetch` over ranges, splitting any range the node refuses as too large. A single
 * block refused is an error (nothing smaller can be asked); any other error is the node's and is
 * thrown as it is.
 */
export function logRangeReader<T>(fetch: (from: number, to: number) => Promise<T[]>): LogRangeReader<T> {
  let span: number | undefined;
  const readPart = async (from: number, to: number): Promise<T[]> => {
    try {
      return await fetch(from, to);
    } catch (e) {
      if (from === to || !isRangeTooLarge(e)) throw e;
      const middle = from + Math.floor((to - from) / 2);
      span = Math.max(1, Math.min(span ?? Infinity, middle - from + 1));
      return [...(await readPart(from, middle)), ...(await readPart(middle + 1, to))];
    }
  };
  return {
    get span() {
      return span;
    },
    async read(from, to) {
      const logs: T[] = [];
      // in steps of the span that last worked, each step split further if the node asks
      for (let start = from; start <= to; ) {
        const tried = span;
        const end = tried === undefined ? to : Math.min(to, start + tried - 1);
        logs.push(...(await readPart(start, end)));
        // a whole step answered: try twice as wide next (a dense stretch need not cap the rest)
        if (tried !== undefined && span === tried && end - start + 1 === tried) span = tried * 2;
        start = end + 1;
      }
      return logs;
    },
  };
}

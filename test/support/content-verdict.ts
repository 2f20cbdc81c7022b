import type { ContentVerdict } from "../../src/core/custody/commitment-content";

/** What a commitment-content vector pins of a verdict: whether it holds, why not, and each entry's outcome. */
export function verdictFacts(verdict: ContentVerdict) {
  return {
    valid: verdict.valid,
    detail: verdict.detail,
    entries: verdict.entries.map((e) => ({
      kind: e.kind,
      valid: e.valid,
      ...(e.failure ? { failure: e.failure } : {}),
    })),
  };
}

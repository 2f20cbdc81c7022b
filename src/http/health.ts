/** A dependency /health reports on; `check` throws when it is not usable. */
export interface HealthCheck {
  name: string;
  check: () => Promise<void>;
}

/** What /health says of one dependency: usable, or down and why. */
export type CheckResult = { status: "ok" } | { status: "down"; detail: string };

/**
 * Runs every check at once, the one way the services' /health does: each dependency is "ok", or
 * "down" with the first line of what went wrong (a client library's message can run to pages).
 */
export async function runHealthChecks(checks: readonly HealthCheck[]): Promise<Record<string, CheckResult>> {
  const results = await Promise.all(
    checks.map(async ({ name, check }): Promise<[string, CheckResult]> => {
      try {
        await check();
        return [name, { status: "ok" }];
      } catch (e) {
        return [name, { status: "down", detail: String((e as Error)?.message ?? e).split("\n")[0] }];
      }
    }),
  );
  return Object.fromEntries(results);
}

/** Whether every check said ok. */
export function allOk(results: Readonly<Record<string, { status: string }>>): boolean {
  return Object.values(results).every((r) => r.status === "ok");
}

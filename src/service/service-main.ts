import type { Server } from "node:http";
import pino, { type Logger } from "pino";
import type { z } from "zod";
import { ValidationError } from "../core/errors";

/**
 * Parses a service's environment with its zod schema, once; a bad value names its variable
 * (secrets, matched by `hidden`, are not echoed).
 */
export function parseEnvConfig<S extends z.AnyZodObject>(
  schema: S,
  env: Readonly<Record<string, string | undefined>>,
  hidden: RegExp,
): z.infer<S> {
  const known = Object.fromEntries(
    Object.keys(schema.shape)
      .filter((k) => env[k] !== undefined && env[k] !== "")
      .map((k) => [k, env[k]]),
  );
  const parsed = schema.safeParse(known);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    throw new ValidationError(name, hidden.test(name) ? "(hidden)" : known[name], issue.message);
  }
  return parsed.data;
}

/** Listens and resolves with the URL it is reachable at (the port the system chose when 0). */
export async function listen(server: Server, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as { port: number };
  return `http://${host}:${port}`;
}

/** Stops taking connections and waits for the requests in flight. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/** Says which migrations a service's start ran on its database; nothing when it was already current. */
export function logMigrated(logger: Logger, service: string, migrated: readonly string[]): void {
  if (migrated.length > 0)
    logger.info(
      { event: "database.migrated", migrations: migrated },
      `the ${service}'s database migrated: ${migrated.join(", ")}`,
    );
}

/**
 * A service process's entry: configuration from the environment, JSON logs on stdout, a clean
 * stop on SIGTERM/SIGINT (exit 0), exit 1 when it cannot start.
 */
export async function serviceMain<C extends { TRACKROOT_LOG_LEVEL: string }>(options: {
  name: string;
  parse: (env: Readonly<Record<string, string | undefined>>, cwd: string) => C;
  start: (config: C, logger: Logger) => Promise<{ stop: () => Promise<void> }>;
}): Promise<void> {
  const logger = pino({ base: { service: options.name }, level: process.env.TRACKROOT_LOG_LEVEL ?? "info" });
  try {
    const config = options.parse(process.env, process.cwd());
    logger.level = config.TRACKROOT_LOG_LEVEL;
    const running = await options.start(config, logger);
    const onSignal = (signal: string) => {
      logger.info({ event: "signal", signal }, `received ${signal}`);
      running.stop().then(
        () => process.exit(0),
        (e) => {
          logger.error({ err: e }, "stop failed");
          process.exit(1);
        },
      );
    };
    process.once("SIGTERM", () => onSignal("SIGTERM"));
    process.once("SIGINT", () => onSignal("SIGINT"));
  } catch (e) {
    logger.fatal({ err: e }, (e as Error).message);
    logger.flush();
    process.exitCode = 1;
  }
}

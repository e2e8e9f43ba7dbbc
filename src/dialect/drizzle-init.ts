/**
 * What `drizzle()` does alike on both lines before it builds the line's dialect and session: the forms it takes
 * (a URL, a CrateClient, `{ connection }` or `{ client }` with options), the option names it knows, the logger and
 * the cache. Each line's `drizzle()` adds only its own options and classes.
 */
import { DefaultLogger, type Logger } from 'drizzle-orm';
import type { Cache } from 'drizzle-orm/cache/core';
import { CrateClient, type CrateClientOptions } from '../driver/index.js';
import { CrateArgumentError } from '../shared/errors.js';
import { checkOptionKeys } from '../shared/options.js';

/** The first argument of `drizzle()` on either line. */
export type DrizzleInit<TConfig extends object> =
  | string
  | CrateClient
  | (TConfig & ({ connection: string | CrateClientOptions; client?: never } | { client: CrateClient; connection?: never }));

/** The client to use and the options besides it, with every option name checked against `configKeys`. */
export function clientAndConfig<TConfig extends object>(
  init: DrizzleInit<TConfig>,
  config: TConfig,
  configKeys: readonly string[],
): { client: CrateClient; config: TConfig } {
  if (typeof init === 'string') return { client: new CrateClient(init), config: checked(config, configKeys) };
  if (init instanceof CrateClient) return { client: init, config: checked(config, configKeys) };
  if (typeof init !== 'object' || init === null) throw usage();
  checkOptionKeys('drizzle()', init, ['connection', 'client', ...configKeys]);
  const { connection, client, ...rest } = init as TConfig & { connection?: string | CrateClientOptions; client?: CrateClient };
  if (client !== undefined && connection !== undefined) throw new CrateArgumentError('drizzle(): pass either { connection } or { client }, not both');
  if (client) return { client, config: rest as TConfig };
  if (connection === undefined) throw usage();
  return { client: new CrateClient(connection), config: rest as TConfig };
}

function checked<TConfig extends object>(config: TConfig, configKeys: readonly string[]): TConfig {
  checkOptionKeys('drizzle()', config, configKeys);
  return config;
}

function usage(): CrateArgumentError {
  return new CrateArgumentError('drizzle(): pass a connection URL, { connection }, { client } or a CrateClient');
}

/** `logger: true` is drizzle's DefaultLogger, as in drizzle-orm's own drivers. */
export function loggerOf(logger: boolean | Logger | undefined): Logger | undefined {
  return logger === true ? new DefaultLogger() : logger || undefined;
}

/** Exposes the cache as `db.$cache`, with `invalidate` as drizzle-orm's drivers give it. */
export function installCache(db: object, cache: Cache | undefined): void {
  if (!cache) return;
  (db as { $cache?: unknown }).$cache = Object.assign(cache, { invalidate: cache.onMutate });
}

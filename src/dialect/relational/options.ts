/** Tuning of relational queries (`drizzle({ relationalQueries })`), the same on both lines. */
import { CrateConfigError } from '../../shared/errors.js';
import { checkOptionKeys } from '../../shared/options.js';
import type { LoadOptions } from './loader.js';

/**
 * How a relation's `limit` and `offset` apply to each parent's rows:
 * - `window`: CrateDB numbers each parent's rows (`row_number() over (partition by fk ...)`) and sends only the slice;
 * - `client`: CrateDB sends every matching row in order and the client keeps each parent's slice.
 */
export type PerParentLimit = 'window' | 'client';

export interface RelationalQueryOptions {
  /**
   * Distinct parent keys sent in one statement (`where fk = any($keys)`); more are split over several requests.
   * Default 10,000.
   */
  keysPerRequest?: number;
  /** Requests of one relation in flight at once when its keys are split (default 4). */
  concurrency?: number;
  /** Where a relation's `limit`/`offset` cuts each parent's rows: `'window'` (default) on the server, or `'client'`. */
  perParentLimit?: PerParentLimit;
}

export const DEFAULT_KEYS_PER_REQUEST = 10_000;

export interface ResolvedRelationalOptions extends LoadOptions {
  perParentLimit: PerParentLimit;
}

export function resolveRelationalOptions(options: RelationalQueryOptions = {}): ResolvedRelationalOptions {
  checkOptionKeys('drizzle({ relationalQueries })', options, ['keysPerRequest', 'concurrency', 'perParentLimit'], 'relationalQueries.');
  const whole = (name: keyof RelationalQueryOptions, value: number | undefined, fallback: number): number => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < 1) {
      throw new CrateConfigError(`drizzle(): relationalQueries.${name} must be a whole number, 1 or more (got ${value})`, `relationalQueries.${name}`);
    }
    return value;
  };
  const perParentLimit = options.perParentLimit ?? 'window';
  if (perParentLimit !== 'window' && perParentLimit !== 'client') {
    throw new CrateConfigError(`drizzle(): relationalQueries.perParentLimit must be 'window' or 'client' (got ${String(perParentLimit)})`, 'relationalQueries.perParentLimit');
  }
  return {
    keysPerRequest: whole('keysPerRequest', options.keysPerRequest, DEFAULT_KEYS_PER_REQUEST),
    concurrency: whole('concurrency', options.concurrency, 4),
    perParentLimit,
  };
}

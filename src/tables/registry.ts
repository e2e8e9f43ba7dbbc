/**
 * How a crateTable of either Drizzle line makes itself known to the kit, which imports no Drizzle: the table object
 * carries a describer under a registered symbol. Registered with `Symbol.for`, so a table made by another copy of
 * the package (the CLI's and the application's, say) is found too.
 */
import type { Casing } from '../shared/casing.js';
import type { TableDefinition } from '../columns/definition.js';

const DESCRIBE: unique symbol = Symbol.for('drizzle-cratedb:describe-table') as never;

export interface DescribeTableOptions {
  /**
   * Casing of column names from keys, for Drizzle 0.45 tables (`drizzle({ casing })`). Drizzle v1 tables carry their
   * column names (`snakeCase.table`), and ignore it.
   */
  casing?: Casing | undefined;
}

type Describer = (options: DescribeTableOptions) => TableDefinition;

export function registerTable(table: object, describe: Describer): void {
  Object.defineProperty(table, DESCRIBE, { value: describe, enumerable: false });
}

/** True for tables made by crateTable / crateSchema().table on either line. */
export function isRegisteredTable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { [DESCRIBE]?: unknown })[DESCRIBE] === 'function';
}

/** The definition of a registered table, or undefined for anything else. */
export function describeRegisteredTable(value: unknown, options: DescribeTableOptions = {}): TableDefinition | undefined {
  if (!isRegisteredTable(value)) return undefined;
  return (value as { [DESCRIBE]: Describer })[DESCRIBE](options);
}

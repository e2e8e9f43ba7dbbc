/**
 * Table-level extras returned from `crateTable`'s third argument, beside pg-core's `primaryKey()` and `check()`.
 * Each is a small frozen description; the table resolves the columns they name when it is built. They are the same
 * on both Drizzle lines.
 */
import { entityKind, type SQL } from 'drizzle-orm';
import { CrateSchemaError } from '../shared/errors.js';
import type { TableSettingValue } from '../columns/definition.js';
import { checkedSettings, type TableSettings } from '../tables/settings.js';

export type { KnownTableSettings, TableSettings } from '../tables/settings.js';
export type { TableSettingValue };

/** A column as handed to a table's extra-config callback (Drizzle gives stand-ins that share the column's name). */
export interface ColumnRef {
  readonly name: string;
}

export abstract class CrateTableOption {
  static readonly [entityKind]: string = 'CrateTableOption';
}

/** `CLUSTERED [BY (column)] [INTO n SHARDS]`. */
export class ClusteredBy extends CrateTableOption {
  static override readonly [entityKind]: string = 'CrateClusteredBy';
  constructor(
    readonly column: ColumnRef | undefined,
    readonly shards: number | undefined,
  ) {
    super();
  }
}

/** `PARTITIONED BY (columns)`. */
export class PartitionedBy extends CrateTableOption {
  static override readonly [entityKind]: string = 'CratePartitionedBy';
  constructor(readonly columns: readonly ColumnRef[]) {
    super();
  }
}

/** `WITH (key = value, ...)`. */
export class WithOptions extends CrateTableOption {
  static override readonly [entityKind]: string = 'CrateWithOptions';
  constructor(readonly settings: Readonly<Record<string, TableSettingValue>>) {
    super();
  }
}

/** `INDEX name USING FULLTEXT (columns) [WITH (analyzer = '...')]`. */
export class FulltextIndex extends CrateTableOption {
  static override readonly [entityKind]: string = 'CrateFulltextIndex';
  constructor(
    readonly name: string,
    readonly columns: readonly (ColumnRef | SQL)[],
    readonly analyzer: string | undefined,
  ) {
    super();
  }

  /** Sets the analyzer, e.g. `'english'`; CrateDB's default is `standard`. */
  with(options: { analyzer?: string }): FulltextIndex {
    return new FulltextIndex(this.name, this.columns, options.analyzer);
  }
}

/**
 * `CLUSTERED [BY (column)] [INTO n SHARDS]`: the routing column (must be part of the primary key when there is one)
 * and/or the number of shards.
 */
export function clusteredBy(config: { column?: ColumnRef; shards?: number }): ClusteredBy {
  const { column, shards } = config;
  if (column === undefined && shards === undefined) {
    throw new CrateSchemaError({ option: 'clusteredBy()' }, 'clustered-by', 'give a column, a number of shards, or both');
  }
  if (shards !== undefined && (!Number.isInteger(shards) || shards < 1)) {
    throw new CrateSchemaError({ option: 'clusteredBy({ shards })' }, 'clustered-by', `the number of shards must be a positive integer, got ${shards}`);
  }
  return new ClusteredBy(column, shards);
}

/** `PARTITIONED BY (columns)`: one partition per distinct value combination. */
export function partitionedBy(...columns: [ColumnRef, ...ColumnRef[]]): PartitionedBy {
  if (columns.length === 0) throw new CrateSchemaError({ option: 'partitionedBy()' }, 'partitioned-by', 'name at least one column');
  return new PartitionedBy(columns);
}

/**
 * `WITH (...)` table settings, e.g. `withOptions({ number_of_replicas: '0-1', refresh_interval: 1000,
 * 'translog.durability': 'async' })`. Known settings are typed; other keys pass through to CrateDB.
 */
export function withOptions(settings: TableSettings): WithOptions {
  return new WithOptions(checkedSettings(settings));
}

/** A named full-text index over one or more columns: `fulltextIndex('ft').on(t.title, t.body).with({ analyzer })`. */
export function fulltextIndex(name: string): { on(...columns: [ColumnRef | SQL, ...(ColumnRef | SQL)[]]): FulltextIndex } {
  return {
    on: (...columns) => new FulltextIndex(name, columns, undefined),
  };
}

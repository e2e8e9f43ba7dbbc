/**
 * Table-level extras returned from `crateTable`'s third argument, beside pg-core's `primaryKey()` and `check()`.
 * Each is a small frozen description; `getCrateTableConfig()` resolves the columns they name.
 */
import { entityKind, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';

/** Table settings CrateDB knows, typed; any other key is allowed and passed through (nested keys are dotted). */
export interface KnownTableSettings {
  number_of_replicas?: number | string;
  number_of_routing_shards?: number;
  refresh_interval?: number;
  codec?: 'default' | 'best_compression';
  column_policy?: 'strict' | 'dynamic';
  max_ngram_diff?: number;
  max_shingle_diff?: number;
  'write.wait_for_active_shards'?: number | string;
  'blocks.read_only'?: boolean;
  'blocks.read_only_allow_delete'?: boolean;
  'blocks.read'?: boolean;
  'blocks.write'?: boolean;
  'blocks.metadata'?: boolean;
  'soft_deletes.retention_lease.period'?: string;
  'store.type'?: 'fs' | 'niofs' | 'mmapfs' | 'hybridfs';
  'mapping.total_fields.limit'?: number;
  'mapping.depth.limit'?: number;
  'translog.flush_threshold_size'?: string | number;
  'translog.sync_interval'?: string | number;
  'translog.durability'?: 'request' | 'async';
  'allocation.max_retries'?: number;
  'unassigned.node_left.delayed_timeout'?: string;
  'merge.scheduler.max_thread_count'?: number;
  'routing.allocation.total_shards_per_node'?: number;
  'routing.allocation.enable'?: 'all' | 'primaries' | 'new_primaries' | 'none';
}

export type TableSettingValue = string | number | boolean;
export type TableSettings = KnownTableSettings & Record<string, TableSettingValue | undefined>;

/** A column as handed to a table's extra-config callback (pg-core gives stand-ins that share the column's name). */
export type ColumnRef = Pick<PgColumn, 'name'>;

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
  if (column === undefined && shards === undefined) throw new TypeError('clusteredBy(): give a column, a number of shards, or both');
  if (shards !== undefined && (!Number.isInteger(shards) || shards < 1)) {
    throw new TypeError(`clusteredBy({ shards }): the number of shards must be a positive integer, got ${shards}`);
  }
  return new ClusteredBy(column, shards);
}

/** `PARTITIONED BY (columns)`: one partition per distinct value combination. */
export function partitionedBy(...columns: [ColumnRef, ...ColumnRef[]]): PartitionedBy {
  if (columns.length === 0) throw new TypeError('partitionedBy(): name at least one column');
  return new PartitionedBy(columns);
}

/**
 * `WITH (...)` table settings, e.g. `withOptions({ number_of_replicas: '0-1', refresh_interval: 1000,
 * 'translog.durability': 'async' })`. Known settings are typed; other keys pass through to CrateDB.
 */
export function withOptions(settings: TableSettings): WithOptions {
  const defined: Record<string, TableSettingValue> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(key)) {
      throw new TypeError(`withOptions(): '${key}' is not a table setting name (letters, digits, _ and dots)`);
    }
    if (!['string', 'number', 'boolean'].includes(typeof value)) {
      throw new TypeError(`withOptions(): setting '${key}' must be a string, number or boolean, got ${typeof value}`);
    }
    defined[key] = value;
  }
  return new WithOptions(defined);
}

/** A named full-text index over one or more columns: `fulltextIndex('ft').on(t.title, t.body).with({ analyzer })`. */
export function fulltextIndex(name: string): { on(...columns: [ColumnRef | SQL, ...(ColumnRef | SQL)[]]): FulltextIndex } {
  return {
    on: (...columns) => new FulltextIndex(name, columns, undefined),
  };
}

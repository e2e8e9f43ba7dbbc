/**
 * The snapshot format of drizzle-cratedb's kit: the schema a migration folder has reached, as TableDefinitions (the
 * same data DDL generation renders and introspection produces), so generate, push and pull cannot disagree.
 */
import { randomUUID } from 'node:crypto';
import type { ColumnDefinition, ColumnType, TableDefinition } from '../columns/definition.js';
import { canonicalTypeName } from '../columns/types.js';
import { CrateMigrationError } from '../shared/errors.js';
import { DEFAULT_SCHEMA } from '../shared/sql-text.js';
import { relationKey, type ViewDefinition } from '../tables/views.js';

/** Bumped whenever the stored shape changes; older snapshots are upgraded on read, newer ones refused. */
export const SNAPSHOT_VERSION = '1';
export const ORIGIN_ID = '00000000-0000-0000-0000-000000000000';
export { DEFAULT_SCHEMA };

export interface Snapshot {
  readonly version: typeof SNAPSHOT_VERSION;
  readonly dialect: 'cratedb';
  readonly id: string;
  readonly prevId: string;
  /** Keyed by `schema.table` (`doc.users` for tables in the default schema). */
  readonly tables: Readonly<Record<string, TableDefinition>>;
  /** Views made with crateView, keyed as tables; absent when there are none (snapshots before views had none). */
  readonly views?: Readonly<Record<string, ViewDefinition>>;
}

/** `schema.table`, with `doc` for tables declared without a schema. */
export function tableKey(table: Pick<TableDefinition, 'name' | 'schema'>): string {
  return `${table.schema ?? DEFAULT_SCHEMA}.${table.name}`;
}

/**
 * The canonical form of a definition: `doc` written as "no schema", defaults CrateDB fills in anyway dropped
 * (plain index, standard analyzer, geohash with its default precision), settings sorted. Two definitions that
 * CrateDB treats as the same table have the same canonical form.
 */
export function canonicalTable(table: TableDefinition): TableDefinition {
  const result: { -readonly [K in keyof TableDefinition]: TableDefinition[K] } = {
    name: table.name,
    // Key columns are NOT NULL whether or not the schema says so (CrateDB reports them so).
    columns: table.columns.map((column) =>
      canonicalColumn(table.primaryKey?.columns.includes(column.name) && !column.notNull ? { ...column, notNull: true } : column),
    ),
    checks: table.checks.map((check) => ({ ...check })),
    fulltextIndexes: table.fulltextIndexes.map((index) =>
      index.analyzer === undefined || index.analyzer === 'standard' ? { name: index.name, columns: [...index.columns] } : { ...index, columns: [...index.columns] },
    ),
    partitionedBy: [...table.partitionedBy],
    settings: Object.fromEntries(Object.entries(table.settings).sort(([a], [b]) => a.localeCompare(b))),
  };
  if (table.schema !== undefined && table.schema !== DEFAULT_SCHEMA) result.schema = table.schema;
  if (table.primaryKey) {
    const name = table.primaryKey.name;
    // CrateDB names an unnamed key `<table>_pkey`; that name carries no information.
    result.primaryKey = name && name !== `${table.name}_pkey` ? { name, columns: [...table.primaryKey.columns] } : { columns: [...table.primaryKey.columns] };
  }
  if (table.clusteredBy) {
    const clusteredBy: { column?: string; shards?: number } = {};
    // A table with a one-column key is routed by it anyway: CLUSTERED BY that column says nothing more.
    const keyColumns = table.primaryKey?.columns ?? [];
    const column = table.clusteredBy.column;
    if (column !== undefined && !(keyColumns.length === 1 && keyColumns[0] === column)) clusteredBy.column = column;
    if (table.clusteredBy.shards !== undefined) clusteredBy.shards = table.clusteredBy.shards;
    if (Object.keys(clusteredBy).length) result.clusteredBy = clusteredBy;
  }
  return result;
}

export function canonicalColumn(column: ColumnDefinition): ColumnDefinition {
  const result: { -readonly [K in keyof ColumnDefinition]: ColumnDefinition[K] } = {
    name: column.name,
    type: canonicalType(column.type),
    notNull: column.notNull,
  };
  if (column.default !== undefined) result.default = column.default;
  if (column.generated !== undefined) result.generated = column.generated;
  const index = canonicalIndex(column);
  if (index) result.index = index;
  if (column.columnstore === false) result.columnstore = false;
  return result;
}

function canonicalType(type: ColumnType): ColumnType {
  switch (type.kind) {
    case 'scalar':
      return { kind: 'scalar', name: canonicalTypeName(type.name) };
    case 'array':
      return { kind: 'array', element: canonicalType(type.element) };
    case 'object':
      return { kind: 'object', policy: type.policy, columns: type.columns.map(canonicalColumn) };
  }
}

function canonicalIndex(column: ColumnDefinition): ColumnDefinition['index'] {
  const index = column.index;
  if (!index) return undefined;
  switch (index.method) {
    case 'plain':
      return undefined;
    case 'off':
      return { method: 'off' };
    case 'fulltext':
      return index.analyzer === undefined || index.analyzer === 'standard' ? { method: 'fulltext' } : { method: 'fulltext', analyzer: index.analyzer };
    default: {
      const result: { method: typeof index.method; precision?: string; distanceErrorPct?: number; treeLevels?: number } = { method: index.method };
      if (index.precision !== undefined && !(index.method !== 'bkdtree' && index.precision === '50m')) result.precision = index.precision;
      if (index.distanceErrorPct !== undefined && index.distanceErrorPct !== 0.025) result.distanceErrorPct = index.distanceErrorPct;
      if (index.treeLevels !== undefined) result.treeLevels = index.treeLevels;
      // GEO_SHAPE is indexed with geohash unless told otherwise: a bare geohash index is the default.
      if (result.method === 'geohash' && Object.keys(result).length === 1) return undefined;
      return result;
    }
  }
}

export function createSnapshot(tables: readonly TableDefinition[], prevId: string, id: string = randomUUID(), views: readonly ViewDefinition[] = []): Snapshot {
  const byKey: Record<string, TableDefinition> = {};
  for (const table of [...tables].map(canonicalTable).sort((a, b) => tableKey(a).localeCompare(tableKey(b)))) {
    const key = tableKey(table);
    if (byKey[key]) throw new SnapshotError(`two tables are named ${key}; table names must be unique per schema`);
    byKey[key] = table;
  }
  const snapshot: Snapshot = { version: SNAPSHOT_VERSION, dialect: 'cratedb', id, prevId, tables: byKey };
  if (views.length === 0) return snapshot;
  const viewsByKey: Record<string, ViewDefinition> = {};
  for (const view of [...views].sort((a, b) => relationKey(a).localeCompare(relationKey(b)))) {
    const key = relationKey(view);
    // Tables and views share one namespace in CrateDB.
    if (viewsByKey[key] || byKey[key]) throw new SnapshotError(`two tables or views are named ${key}; names must be unique per schema`);
    viewsByKey[key] = view.schema === undefined || view.schema === DEFAULT_SCHEMA ? { name: view.name, definition: view.definition } : { ...view };
  }
  return { ...snapshot, views: viewsByKey };
}

export function emptySnapshot(): Snapshot {
  return { version: SNAPSHOT_VERSION, dialect: 'cratedb', id: ORIGIN_ID, prevId: ORIGIN_ID, tables: {} };
}

export class SnapshotError extends CrateMigrationError {
  static override readonly errorName: string = 'SnapshotError';
}

/** Reads a stored snapshot, refusing other dialects and versions this package does not know. */
export function parseSnapshot(text: string, source: string): Snapshot {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SnapshotError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const value = data as Partial<Snapshot> | null;
  if (!value || typeof value !== 'object') throw new SnapshotError(`${source}: not a snapshot`);
  if (value.dialect !== 'cratedb') {
    throw new SnapshotError(`${source}: dialect is ${JSON.stringify(value.dialect)}, not "cratedb": this folder was not written by drizzle-cratedb`);
  }
  if (value.version !== SNAPSHOT_VERSION) {
    throw new SnapshotError(
      `${source}: snapshot version ${JSON.stringify(value.version)} is not supported (this drizzle-cratedb writes version ${SNAPSHOT_VERSION}); upgrade drizzle-cratedb`,
    );
  }
  if (typeof value.id !== 'string' || typeof value.prevId !== 'string' || !value.tables || typeof value.tables !== 'object') {
    throw new SnapshotError(`${source}: id, prevId and tables are required`);
  }
  const parsed: Snapshot = { version: SNAPSHOT_VERSION, dialect: 'cratedb', id: value.id, prevId: value.prevId, tables: value.tables };
  return value.views && typeof value.views === 'object' && Object.keys(value.views).length ? { ...parsed, views: value.views } : parsed;
}

export function serializeSnapshot(snapshot: Snapshot): string {
  return `${JSON.stringify(snapshot, null, 2)}\n`;
}

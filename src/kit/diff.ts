/**
 * The differ: two snapshots (and the user's rename decisions) in, a list of typed changes out. Pure: no I/O, no
 * prompts. What CrateDB cannot ALTER becomes one `rebuild` change per table, carrying every reason, so callers can
 * stop and list them or rebuild the table.
 */
import type { ColumnDefinition, ColumnType, TableDefinition, TableSettingValue } from '../columns/definition.js';
import { typeSql } from '../tables/ddl.js';
import { settingForComparison, STATIC_SETTINGS } from '../tables/settings.js';
import { columnPath, DEFAULT_SCHEMA, quote } from '../shared/sql-text.js';
import { referencedColumns, renameIdentifier, sameExpression } from '../shared/expressions.js';
import { canonicalColumn, canonicalTable, tableKey, type Snapshot } from './snapshot.js';
import { diffViews, type GoneColumn, type TableAlteration } from './views.js';
import type { ViewDefinition } from '../tables/views.js';

export interface TableRef {
  readonly schema?: string;
  readonly name: string;
}

/** A column or an object's sub-column: `['details', 'zip']` is `"details"['zip']`. */
export type ColumnPath = readonly string[];

interface ChangeBase {
  /** One line for the plan, e.g. `+ column "users"."email"`. */
  readonly description: string;
  /** Applying it loses data (a dropped table or column, a rebuild that leaves columns behind). */
  readonly lossy: boolean;
  /** The oldest CrateDB that runs the statement. */
  readonly requiresVersion?: string;
  /** False for a rebuild: the table is recreated and its rows copied. */
  readonly inPlace: boolean;
}

export type Change = ChangeBase &
  (
    | { readonly kind: 'create_schema'; readonly schema: string }
    | { readonly kind: 'drop_schema'; readonly schema: string }
    | { readonly kind: 'create_table'; readonly table: TableDefinition }
    | { readonly kind: 'drop_table'; readonly table: TableDefinition }
    | { readonly kind: 'create_view'; readonly view: ViewDefinition; readonly replace: boolean }
    | { readonly kind: 'drop_view'; readonly view: ViewDefinition }
    | { readonly kind: 'rename_table'; readonly from: TableRef; readonly to: TableRef }
    | {
        readonly kind: 'add_column';
        readonly table: TableRef;
        readonly path: ColumnPath;
        readonly column: ColumnDefinition;
        readonly checks: readonly { readonly name?: string; readonly expression: string }[];
      }
    | { readonly kind: 'drop_column'; readonly table: TableRef; readonly path: ColumnPath }
    | { readonly kind: 'rename_column'; readonly table: TableRef; readonly from: ColumnPath; readonly to: ColumnPath }
    | { readonly kind: 'set_default'; readonly table: TableRef; readonly path: ColumnPath; readonly default?: string }
    | {
        readonly kind: 'set_settings';
        readonly table: TableRef;
        readonly set: Readonly<Record<string, TableSettingValue>>;
        readonly reset: readonly string[];
      }
    | { readonly kind: 'drop_check'; readonly table: TableRef; readonly name: string }
    | { readonly kind: 'set_shards'; readonly table: TableRef; readonly shards: number; readonly partitioned: boolean }
    | {
        readonly kind: 'rebuild';
        readonly from: TableDefinition;
        readonly to: TableDefinition;
        /** What CrateDB cannot ALTER, one line each. */
        readonly reasons: readonly string[];
        /** New column name → the old column its values are copied from. */
        readonly columnSources: Readonly<Record<string, string>>;
      }
  );

export type ChangeKind = Change['kind'];

/** Renames the user confirmed: `doc.users` → `doc.people`; per new table key, old column name → new column name. */
export interface RenameDecisions {
  readonly tables?: Readonly<Record<string, string>>;
  readonly columns?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface DiffOptions {
  renames?: RenameDecisions;
  /** The oldest CrateDB the statements must run on. Default 6.1. */
  targetVersion?: string;
  /**
   * When comparing with a live database (push): a shard count the schema leaves open is whatever the server chose,
   * and settings the server always reports are equal to their defaults when absent.
   */
  live?: boolean;
}

export const DEFAULT_TARGET_VERSION = '6.1';


export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  const pb = b.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function qualified(table: TableRef): string {
  return table.schema && table.schema !== DEFAULT_SCHEMA ? `${quote(table.schema)}.${quote(table.name)}` : quote(table.name);
}



const ref = (table: TableDefinition): TableRef => (table.schema === undefined ? { name: table.name } : { schema: table.schema, name: table.name });

/** Tables and columns that may have been renamed: each needs a decision (renamed from one of the candidates, or new). */
export interface RenameQuestion {
  readonly kind: 'table' | 'column';
  /** New table key (`doc.people`), or the table key holding the new column. */
  readonly table: string;
  /** The new table's or column's name. */
  readonly name: string;
  /** Old names it may have been renamed from (table keys for tables, column names for columns). */
  readonly candidates: readonly string[];
}

/** The rename questions for the tables: created tables when tables were also dropped in the same schema. */
export function tableRenameQuestions(prev: Snapshot, next: Snapshot): RenameQuestion[] {
  const created = Object.keys(next.tables).filter((key) => !prev.tables[key]);
  const dropped = Object.keys(prev.tables).filter((key) => !next.tables[key]);
  return created.flatMap((key) => {
    const schema = next.tables[key]!.schema ?? DEFAULT_SCHEMA;
    const candidates = dropped.filter((old) => (prev.tables[old]!.schema ?? DEFAULT_SCHEMA) === schema);
    return candidates.length ? [{ kind: 'table' as const, table: key, name: next.tables[key]!.name, candidates }] : [];
  });
}

/** The rename questions for columns of tables present on both sides (after table renames). */
export function columnRenameQuestions(prev: Snapshot, next: Snapshot, tableRenames: Readonly<Record<string, string>> = {}): RenameQuestion[] {
  const questions: RenameQuestion[] = [];
  const oldKeyFor = invert(tableRenames);
  for (const [key, table] of Object.entries(next.tables)) {
    const old = prev.tables[oldKeyFor[key] ?? key];
    if (!old) continue;
    const newNames = new Set(table.columns.map((c) => c.name));
    const oldNames = new Set(old.columns.map((c) => c.name));
    const dropped = [...oldNames].filter((name) => !newNames.has(name));
    if (!dropped.length) continue;
    for (const column of table.columns) {
      if (!oldNames.has(column.name)) questions.push({ kind: 'column', table: key, name: column.name, candidates: dropped });
    }
  }
  return questions;
}

function invert(map: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([a, b]) => [b, a]));
}

/** Everything that turns `prev` into `next`. */
export function diffSnapshots(prev: Snapshot, next: Snapshot, options: DiffOptions = {}): Change[] {
  const target = options.targetVersion ?? DEFAULT_TARGET_VERSION;
  const tableRenames = options.renames?.tables ?? {};
  const oldKeyFor = invert(tableRenames);
  const renamesOut: Change[] = [];
  const creates: Change[] = [];
  const alters: Change[] = [];
  const drops: Change[] = [];
  const usedOld = new Set<string>();

  for (const [key, rawTo] of Object.entries(next.tables)) {
    const to = canonicalTable(rawTo);
    const oldKey = oldKeyFor[key] ?? key;
    const rawFrom = prev.tables[oldKey];
    if (!rawFrom) {
      creates.push({ kind: 'create_table', table: to, description: `+ table ${qualified(to)}`, lossy: false, inPlace: true });
      continue;
    }
    usedOld.add(oldKey);
    let from = canonicalTable(rawFrom);
    if (oldKey !== key) {
      renamesOut.push({
        kind: 'rename_table',
        from: ref(from),
        to: ref(to),
        description: `~ table ${qualified(from)} → ${qualified(to)}`,
        lossy: false,
        inPlace: true,
      });
      from = { ...from, name: to.name };
    }
    alters.push(...diffTable(from, to, options.renames?.columns?.[key] ?? {}, target, options.live ?? false));
  }
  for (const [key, table] of Object.entries(prev.tables)) {
    if (usedOld.has(key)) continue;
    const canonical = canonicalTable(table);
    drops.push({ kind: 'drop_table', table: canonical, description: `- table ${qualified(canonical)}`, lossy: true, inPlace: true });
  }
  const { schemaCreates, schemaDrops } = diffSchemas(prev, next, target);
  // Views that go are dropped before any table changes; views are created or replaced after every table change.
  const goneTables = new Set(Object.keys(prev.tables).filter((key) => !usedOld.has(key) || (tableRenames[key] !== undefined && tableRenames[key] !== key)));
  const views = diffViews(prev, next, goneTables, alterations(alters));
  return [...views.drops, ...schemaCreates, ...renamesOut, ...creates, ...alters, ...drops, ...views.creates, ...schemaDrops];
}

/**
 * Per table key, what the table changes take away that a view reading the table does not survive: dropped and
 * renamed columns, and rebuilds (with the columns the rebuild leaves behind or copies under a new name).
 */
function alterations(changes: readonly Change[]): Map<string, TableAlteration> {
  const found = new Map<string, { table: TableRef; goneColumns: GoneColumn[]; rebuilt: boolean }>();
  const entry = (table: TableRef) => {
    const key = tableKey(table);
    if (!found.has(key)) found.set(key, { table, goneColumns: [], rebuilt: false });
    return found.get(key)!;
  };
  for (const change of changes) {
    if (change.kind === 'drop_column') entry(change.table).goneColumns.push({ path: change.path, how: 'drops' });
    else if (change.kind === 'rename_column') entry(change.table).goneColumns.push({ path: change.from, how: `renames to ${columnPath(change.to)}` });
    else if (change.kind === 'rebuild') {
      const alteration = entry(ref(change.to));
      alteration.rebuilt = true;
      const copiedAs = invert(change.columnSources);
      const kept = new Set(change.to.columns.map((column) => column.name));
      for (const column of change.from.columns) {
        if (kept.has(column.name)) continue;
        const target = copiedAs[column.name];
        alteration.goneColumns.push({ path: [column.name], how: target ? `renames to "${target}" in its rebuild` : 'leaves behind in its rebuild' });
      }
    }
  }
  return found;
}

/** CREATE SCHEMA and DROP SCHEMA arrived in CrateDB 6.2; before, a schema exists while it holds a table. */
export const SCHEMA_DDL_VERSION = '6.2';

function schemasOf(snapshot: Snapshot): Set<string> {
  const schemas = new Set<string>();
  for (const table of [...Object.values(snapshot.tables), ...Object.values(snapshot.views ?? {})]) if (table.schema && table.schema !== DEFAULT_SCHEMA) schemas.add(table.schema);
  return schemas;
}

/**
 * A schema the new tables need is created first (it then outlives its tables, as CREATE SCHEMA makes it); one no
 * table names any more is dropped last, with IF EXISTS (a schema CREATE TABLE made vanishes with its last table)
 * and RESTRICT, CrateDB's default, so a schema still holding tables or views the project does not manage stays and
 * the statement fails instead. On a target before 6.2 neither is written: CREATE TABLE makes the schema there.
 */
function diffSchemas(prev: Snapshot, next: Snapshot, target: string): { schemaCreates: Change[]; schemaDrops: Change[] } {
  if (compareVersions(target, SCHEMA_DDL_VERSION) < 0) return { schemaCreates: [], schemaDrops: [] };
  const before = schemasOf(prev);
  const after = schemasOf(next);
  const base = { lossy: false, inPlace: true, requiresVersion: SCHEMA_DDL_VERSION };
  return {
    schemaCreates: [...after].filter((schema) => !before.has(schema)).sort().map((schema) => ({ kind: 'create_schema', schema, description: `+ schema ${quote(schema)}`, ...base })),
    schemaDrops: [...before]
      .filter((schema) => !after.has(schema))
      .sort()
      .map((schema) => ({ kind: 'drop_schema', schema, description: `- schema ${quote(schema)} (if empty)`, ...base })),
  };
}

interface TableContext {
  readonly table: TableRef;
  readonly reasons: string[];
  readonly changes: { renames: Change[]; adds: Change[]; alters: Change[]; checks: Change[]; drops: Change[] };
  readonly target: string;
  readonly from: TableDefinition;
  readonly to: TableDefinition;
}

function needs(ctx: TableContext, version: string, what: string): boolean {
  if (compareVersions(ctx.target, version) >= 0) return true;
  ctx.reasons.push(`${what} needs CrateDB ${version}; the target is ${ctx.target} (set cratedbVersion in the config)`);
  return false;
}

function diffTable(from: TableDefinition, to: TableDefinition, columnRenames: Readonly<Record<string, string>>, target: string, live: boolean): Change[] {
  const table = ref(to);
  const name = qualified(table);
  const ctx: TableContext = { table, reasons: [], changes: { renames: [], adds: [], alters: [], checks: [], drops: [] }, target, from, to };
  // Old column name → new name, for comparing column lists and expressions across renames.
  const newNameOf = (old: string) => columnRenames[old] ?? old;
  const sourceOf = invert(columnRenames);
  const mapExpr = (text: string) => Object.entries(columnRenames).reduce((acc, [a, b]) => renameIdentifier(acc, a, b), text);

  // Table structure CrateDB fixes at CREATE TABLE.
  const pkFrom = (from.primaryKey?.columns ?? []).map(newNameOf);
  const pkTo = to.primaryKey?.columns ?? [];
  if (pkFrom.join('\u0000') !== pkTo.join('\u0000')) {
    ctx.reasons.push(`primary key of ${name}: (${pkFrom.join(', ') || 'none'}) → (${pkTo.join(', ') || 'none'})`);
  }
  const clusterFrom = from.clusteredBy?.column && newNameOf(from.clusteredBy.column);
  const clusterTo = to.clusteredBy?.column;
  if (clusterFrom !== clusterTo && !(live && clusterTo === undefined && clusterFrom !== undefined && pkTo.length === 1 && pkTo[0] === clusterFrom)) {
    ctx.reasons.push(`CLUSTERED BY column of ${name}: ${clusterFrom ?? 'none'} → ${clusterTo ?? 'none'}`);
  }
  const partFrom = from.partitionedBy.map(newNameOf);
  if (partFrom.join('\u0000') !== to.partitionedBy.join('\u0000')) {
    ctx.reasons.push(`PARTITIONED BY of ${name}: (${partFrom.join(', ') || 'none'}) → (${to.partitionedBy.join(', ') || 'none'})`);
  }
  const shardsTo = to.clusteredBy?.shards;
  const shardsFrom = from.clusteredBy?.shards;
  if (shardsTo !== undefined && shardsTo !== shardsFrom) {
    ctx.changes.alters.push({
      kind: 'set_shards',
      table,
      shards: shardsTo,
      partitioned: to.partitionedBy.length > 0,
      description: `~ shards of ${name}: ${shardsFrom ?? 'default'} → ${shardsTo}`,
      lossy: false,
      inPlace: true,
    });
  }

  // Named full-text indexes.
  const indexKey = (index: TableDefinition['fulltextIndexes'][number]) =>
    JSON.stringify([index.columns.map((c) => mapExpr(c)), index.analyzer ?? 'standard']);
  const indexesFrom = new Map(from.fulltextIndexes.map((index) => [index.name, index]));
  for (const index of to.fulltextIndexes) {
    const old = indexesFrom.get(index.name);
    if (!old) ctx.reasons.push(`new full-text index "${index.name}" on ${name}`);
    else if (indexKey(old) !== JSON.stringify([index.columns, index.analyzer ?? 'standard'])) ctx.reasons.push(`full-text index "${index.name}" of ${name} changed`);
    indexesFrom.delete(index.name);
  }
  for (const index of indexesFrom.keys()) ctx.reasons.push(`full-text index "${index}" removed from ${name}`);

  // Columns, recursively into objects.
  diffColumns(ctx, from.columns, to.columns, [], columnRenames);

  // CHECK constraints: dropped in place; new ones only inline with a new column.
  const checksFrom = new Map(from.checks.map((check) => [check.name ?? mapExpr(check.expression), check]));
  const addedTop = new Map(
    ctx.changes.adds.flatMap((change) => (change.kind === 'add_column' && change.path.length === 1 ? [[change.path[0]!, change] as const] : [])),
  );
  for (const check of to.checks) {
    const key = check.name ?? check.expression;
    const old = checksFrom.get(key);
    checksFrom.delete(key);
    if (old) {
      if (!sameExpression(mapExpr(old.expression), check.expression)) ctx.reasons.push(`CHECK ${check.name ?? check.expression} of ${name} changed`);
      continue;
    }
    const columnNames = new Set(to.columns.map((c) => c.name));
    const columns = [...new Set(referencedColumns(check.expression))].filter((n) => columnNames.has(n));
    const addition = columns.length === 1 ? addedTop.get(columns[0]!) : undefined;
    if (addition && addition.kind === 'add_column') {
      const index = ctx.changes.adds.indexOf(addition);
      const updated: Change = { ...addition, checks: [...addition.checks, check] };
      ctx.changes.adds[index] = updated;
      addedTop.set(columns[0]!, updated);
    } else {
      ctx.reasons.push(`new CHECK ${check.name ?? check.expression} on ${name} (CrateDB adds CHECK constraints only with a new column)`);
    }
  }
  for (const [key, check] of checksFrom) {
    if (!check.name) {
      ctx.reasons.push(`unnamed CHECK ${key} removed from ${name}`);
      continue;
    }
    ctx.changes.checks.push({ kind: 'drop_check', table, name: check.name, description: `- check "${check.name}" on ${name}`, lossy: false, inPlace: true });
  }

  // WITH settings.
  const set: Record<string, TableSettingValue> = {};
  const reset: string[] = [];
  const keys = new Set([...Object.keys(from.settings), ...Object.keys(to.settings)]);
  for (const key of [...keys].sort()) {
    const a = settingForComparison(from.settings, key);
    const b = settingForComparison(to.settings, key);
    if (a === b) continue;
    if (STATIC_SETTINGS.has(key)) {
      ctx.reasons.push(`setting ${key} of ${name}: ${a ?? 'default'} → ${b ?? 'default'} (fixed when the table is created)`);
    } else if (to.settings[key] === undefined) reset.push(key);
    else set[key] = to.settings[key]!;
  }
  if (Object.keys(set).length || reset.length) {
    const parts = [...Object.entries(set).map(([k, v]) => `${k}=${JSON.stringify(v)}`), ...reset.map((k) => `${k} reset`)];
    ctx.changes.alters.push({ kind: 'set_settings', table, set, reset, description: `~ settings of ${name}: ${parts.join(', ')}`, lossy: false, inPlace: true });
  }

  // Drop column restrictions: key, routing, partition, generated and index sources.
  for (const change of ctx.changes.drops) {
    if (change.kind !== 'drop_column' || change.path.length !== 1) continue;
    const column = change.path[0]!;
    const byGenerated = to.columns.find((c) => c.generated && referencedColumns(c.generated).includes(column));
    if (byGenerated) ctx.reasons.push(`column "${column}" of ${name} is dropped but generated column "${byGenerated.name}" uses it`);
  }

  if (ctx.reasons.length) {
    const columnSources: Record<string, string> = {};
    const oldNames = new Set(from.columns.map((c) => c.name));
    for (const column of to.columns) {
      const source = sourceOf[column.name] ?? column.name;
      if (oldNames.has(source) && column.generated === undefined) columnSources[column.name] = source;
    }
    const copied = new Set(Object.values(columnSources));
    const lost = from.columns.filter((c) => !copied.has(c.name) && c.generated === undefined).map((c) => c.name);
    return [
      {
        kind: 'rebuild',
        from,
        to,
        reasons: ctx.reasons,
        columnSources,
        description: `! rebuild ${name}: ${ctx.reasons.join('; ')}${lost.length ? ` (drops ${lost.map((c) => `"${c}"`).join(', ')})` : ''}`,
        lossy: lost.length > 0,
        inPlace: false,
      },
    ];
  }
  const { renames, adds, alters, checks, drops } = ctx.changes;
  return [...renames, ...adds, ...alters, ...checks, ...drops];
}

function objectOf(type: ColumnType): { policy: string; columns: readonly ColumnDefinition[]; depth: number } | undefined {
  let depth = 0;
  let current = type;
  while (current.kind === 'array') {
    current = current.element;
    depth++;
  }
  return current.kind === 'object' ? { policy: current.policy, columns: current.columns, depth } : undefined;
}

function diffColumns(
  ctx: TableContext,
  fromColumns: readonly ColumnDefinition[],
  toColumns: readonly ColumnDefinition[],
  prefix: ColumnPath,
  renames: Readonly<Record<string, string>>,
): void {
  const table = ctx.table;
  const name = qualified(table);
  const sourceOf = invert(renames);
  const fromByName = new Map(fromColumns.map((column) => [column.name, column]));
  const used = new Set<string>();
  const sub = prefix.length > 0;
  for (const rawTo of toColumns) {
    const to = canonicalColumn(rawTo);
    const path = [...prefix, to.name];
    const label = `column ${columnPath(path)} of ${name}`;
    const sourceName = sourceOf[to.name] ?? to.name;
    const rawFrom = fromByName.get(sourceName);
    if (!rawFrom) {
      if (!sub && to.default !== undefined) ctx.reasons.push(`new ${label} has a DEFAULT (CrateDB cannot add a column with a DEFAULT)`);
      else if (to.generated !== undefined) ctx.reasons.push(`new generated ${label} (CrateDB adds generated columns only to empty tables)`);
      else if (!sub && ctx.to.primaryKey?.columns.includes(to.name)) {
        // reported with the primary key
      } else {
        ctx.changes.adds.push({
          kind: 'add_column',
          table,
          path,
          column: to,
          checks: [],
          description: `+ ${label}`,
          lossy: false,
          inPlace: true,
        });
      }
      continue;
    }
    used.add(sourceName);
    const from = canonicalColumn(rawFrom);
    if (sourceName !== to.name) {
      if (needs(ctx, '5.6', `renaming ${columnPath([...prefix, sourceName])} to ${columnPath(path)}`)) {
        ctx.changes.renames.push({
          kind: 'rename_column',
          table,
          from: [...prefix, sourceName],
          to: path,
          description: `~ ${label} renamed from "${sourceName}"`,
          lossy: false,
          requiresVersion: '5.6',
          inPlace: true,
        });
      }
    }
    const objectFrom = objectOf(from.type);
    const objectTo = objectOf(to.type);
    if (objectFrom && objectTo && objectFrom.depth === objectTo.depth) {
      if (objectFrom.policy !== objectTo.policy) ctx.reasons.push(`object policy of ${label}: ${objectFrom.policy} → ${objectTo.policy}`);
      diffColumns(ctx, objectFrom.columns, objectTo.columns, path, {});
    } else if (typeSql(from.type) !== typeSql(to.type)) {
      ctx.reasons.push(`type of ${label}: ${typeSql(from.type)} → ${typeSql(to.type)}`);
    }
    if (from.notNull !== to.notNull) ctx.reasons.push(`NOT NULL of ${label}: ${from.notNull ? 'dropped' : 'added'}`);
    if (!sameExpression(from.generated, to.generated)) ctx.reasons.push(`generated expression of ${label}`);
    if (!sameExpression(from.default, to.default)) {
      if (sub || objectTo) ctx.reasons.push(`DEFAULT of ${label}`);
      else if (needs(ctx, '6.3', `changing the DEFAULT of ${label}`)) {
        const change: Change = {
          kind: 'set_default',
          table,
          path,
          description: `~ default of ${label}: ${to.default ?? 'none'}`,
          lossy: false,
          requiresVersion: '6.3',
          inPlace: true,
        };
        ctx.changes.alters.push(to.default === undefined ? change : { ...change, default: to.default });
      }
    }
    if (JSON.stringify(from.index ?? null) !== JSON.stringify(to.index ?? null)) {
      ctx.reasons.push(`index of ${label}: ${describeIndex(from.index)} → ${describeIndex(to.index)}`);
    }
    if (from.columnstore !== to.columnstore) ctx.reasons.push(`storage (columnstore) of ${label}`);
  }
  for (const from of fromColumns) {
    if (used.has(from.name)) continue;
    const path = [...prefix, from.name];
    const label = `column ${columnPath(path)} of ${name}`;
    if (!sub && (ctx.from.primaryKey?.columns.includes(from.name) || ctx.from.partitionedBy.includes(from.name) || ctx.from.clusteredBy?.column === from.name)) {
      continue; // reported with the key, routing or partitioning change
    }
    if (!needs(ctx, '5.5', `dropping ${label}`)) continue;
    ctx.changes.drops.push({ kind: 'drop_column', table, path, description: `- ${label}`, lossy: true, requiresVersion: '5.5', inPlace: true });
  }
}

function describeIndex(index: ColumnDefinition['index']): string {
  if (!index) return 'default';
  if (index.method === 'fulltext') return `fulltext${index.analyzer ? ` (${index.analyzer})` : ''}`;
  if (index.method === 'off' || index.method === 'plain') return index.method;
  return JSON.stringify(index);
}

export { tableKey };

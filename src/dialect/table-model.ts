/**
 * A crateTable's CrateDB model on either Drizzle line: its columns and the options its extra-config callback
 * returned, resolved to columns, and described as a {@link TableDefinition} for DDL, the kit and the schema rules.
 */
import { is, SQL, sql } from 'drizzle-orm';
import { CheckBuilder, PrimaryKeyBuilder } from 'drizzle-orm/pg-core';
import { CrateSchemaError } from '../shared/errors.js';
import { literal, quote } from '../shared/sql-text.js';
import type { ColumnDefinition, ColumnType, Draft, TableDefinition, TableSettingValue } from '../columns/definition.js';
import { withOptional } from '../columns/definition.js';
import { typeSql } from '../tables/ddl.js';
import { checkTable } from '../tables/rules.js';
import type { ColumnShape, CrateColumnLike } from './column-model.js';
import { ClusteredBy, FulltextIndex, PartitionedBy, WithOptions, type ColumnRef } from './table-options.js';

export interface ResolvedCrateTable {
  readonly name: string;
  readonly schema: string | undefined;
  readonly columns: readonly CrateColumnLike[];
  readonly primaryKey: { readonly name: string | undefined; readonly columns: readonly CrateColumnLike[] } | undefined;
  readonly checks: readonly { readonly name: string | undefined; readonly expression: SQL }[];
  readonly fulltextIndexes: readonly { readonly name: string; readonly columns: readonly (CrateColumnLike | SQL)[]; readonly analyzer: string | undefined }[];
  readonly clusteredBy: { readonly column: CrateColumnLike | undefined; readonly shards: number | undefined } | undefined;
  readonly partitionedBy: readonly CrateColumnLike[];
  readonly settings: Readonly<Record<string, TableSettingValue>>;
}

/** Resolves the extra-config items against the table's columns (matched by name, as Drizzle's stand-ins carry it). */
export function resolveTable(
  table: object,
  name: string,
  schema: string | undefined,
  columns: readonly CrateColumnLike[],
  extras: readonly unknown[],
): ResolvedCrateTable {
  const byName = new Map(columns.map((column) => [column.name, column]));
  const resolve = (ref: ColumnRef, role: string): CrateColumnLike => {
    const column = byName.get(ref.name);
    if (!column) throw new CrateSchemaError({ table: name, column: ref.name, option: role }, 'table-option', 'names a column this table does not have');
    return column;
  };

  const columnKeys = columns.filter((column) => column.primary);
  let primaryKey: ResolvedCrateTable['primaryKey'] = columnKeys.length ? { name: undefined, columns: columnKeys } : undefined;
  const checks: { name: string | undefined; expression: SQL }[] = columns.flatMap((column) => column.crate.clauses.checks);
  const fulltextIndexes: ResolvedCrateTable['fulltextIndexes'][number][] = [];
  let clusteredBy: ResolvedCrateTable['clusteredBy'];
  let partitionedBy: CrateColumnLike[] = [];
  let settings: Record<string, TableSettingValue> = {};

  for (const extra of extras as readonly object[]) {
    if (extra instanceof FulltextIndex) {
      fulltextIndexes.push({
        name: extra.name,
        columns: extra.columns.map((ref) => (is(ref, SQL) ? ref : resolve(ref as ColumnRef, `fulltextIndex('${extra.name}')`))),
        analyzer: extra.analyzer,
      });
    } else if (extra instanceof ClusteredBy) {
      clusteredBy = { column: extra.column && resolve(extra.column, 'clusteredBy()'), shards: extra.shards };
    } else if (extra instanceof PartitionedBy) {
      partitionedBy = extra.columns.map((ref) => resolve(ref, 'partitionedBy()'));
    } else if (extra instanceof WithOptions) {
      settings = { ...settings, ...extra.settings };
    } else if (is(extra, PrimaryKeyBuilder)) {
      const key = (extra as unknown as { build(t: object): { name?: string; columns: ColumnRef[] } }).build(table);
      if (columnKeys.length) {
        throw new CrateSchemaError({ table: name, option: 'primaryKey()' }, 'key-type', 'declare the primary key either on columns or with primaryKey({ columns }), not both');
      }
      primaryKey = { name: key.name, columns: key.columns.map((ref) => resolve(ref, 'primaryKey()')) };
    } else if (is(extra, CheckBuilder)) {
      const check = extra as unknown as { name: string; value: SQL };
      checks.push({ name: check.name, expression: check.value });
    } else {
      throw foreignExtraError(name, extra);
    }
  }
  return { name, schema, columns, primaryKey, checks, fulltextIndexes, clusteredBy, partitionedBy, settings };
}

/** The extras Drizzle itself understands, so `getTableConfig()` (and tools built on it) see them and nothing else. */
export function drizzleOwnExtras(extras: readonly unknown[]): unknown[] {
  return extras.filter((extra) => is(extra, PrimaryKeyBuilder) || is(extra, CheckBuilder));
}

/** How a line names columns in the database and renders SQL expressions as text. */
export interface DescribeAdapter {
  /** The column's name in the database (0.45 applies `casing` here; v1 columns carry their final name). */
  columnName(column: CrateColumnLike): string;
  /** An expression as SQL text with its parameters inlined (DDL takes no parameters). */
  render(expression: SQL): string;
}

export interface DescribeOptions {
  /**
   * Evaluate generated expressions given as functions. They may reference the table being defined, so they cannot
   * be evaluated while it is built; the rules then skip what depends on them, and DDL checks them again.
   */
  resolveLazy: boolean;
}

/** The table as a {@link TableDefinition}, checked against CrateDB's rules. */
export function describeResolved(table: ResolvedCrateTable, adapter: DescribeAdapter, options: DescribeOptions): TableDefinition {
  const unresolved = new Set<string>();
  const context: ColumnContext = { render: adapter.render, resolveLazy: options.resolveLazy, unresolved };
  const nameOf = (column: CrateColumnLike) => adapter.columnName(column);

  const definition: Draft<TableDefinition> = {
    name: table.name,
    columns: table.columns.map((column) => describeColumn(column, nameOf(column), context)),
    checks: table.checks.map((check) => withOptional({ expression: adapter.render(check.expression) }, 'name', check.name)),
    fulltextIndexes: table.fulltextIndexes.map((index) =>
      withOptional(
        { name: index.name, columns: index.columns.map((column) => (is(column, SQL) ? adapter.render(column) : quote(nameOf(column)))) },
        'analyzer',
        index.analyzer,
      ),
    ),
    partitionedBy: table.partitionedBy.map(nameOf),
    settings: { ...table.settings },
  };
  if (table.schema !== undefined) definition.schema = table.schema;
  if (table.primaryKey) definition.primaryKey = withOptional({ columns: table.primaryKey.columns.map(nameOf) }, 'name', table.primaryKey.name);
  if (table.clusteredBy) {
    const { column, shards } = table.clusteredBy;
    definition.clusteredBy = withOptional(withOptional({}, 'column', column && nameOf(column)), 'shards', shards);
  }
  checkTable(definition, { unresolvedGenerated: unresolved });
  return definition;
}

interface ColumnContext {
  readonly render: (expression: SQL) => string;
  readonly resolveLazy: boolean;
  /** Collects the names of generated columns whose expression was left unresolved. */
  readonly unresolved: Set<string>;
}

function describeColumn(column: CrateColumnLike, name: string, context: ColumnContext): ColumnDefinition {
  const definition: Draft<ColumnDefinition> = { name, type: typeOfColumn(column, context), notNull: column.notNull || column.primary };
  if (column.default !== undefined) {
    definition.default = is(column.default, SQL) ? context.render(column.default) : literal(column.mapToDriverValue(column.default));
  }
  if (column.generated) {
    const { as } = column.generated;
    if (typeof as === 'function' && !context.resolveLazy) {
      context.unresolved.add(name);
    } else {
      const value = typeof as === 'function' ? (as as () => unknown)() : as;
      definition.generated = is(value, SQL) ? context.render(value) : literal(column.mapToDriverValue(value));
    }
  }
  const { index, columnstore } = column.crate.clauses;
  if (index) definition.index = index;
  if (columnstore === false) definition.columnstore = false;
  return definition;
}

function typeOfColumn(column: CrateColumnLike, context: ColumnContext): ColumnType {
  return typeOfShape(column.crate.shape, context);
}

function typeOfShape(shape: ColumnShape, context: ColumnContext): ColumnType {
  switch (shape.kind) {
    case 'scalar':
      return { kind: 'scalar', name: shape.typeName };
    case 'array':
      return { kind: 'array', element: typeOfShape(shape.element, context) };
    case 'object': {
      // Sub-column names are document keys: casing does not apply to them.
      const columns = Object.values(shape.columns).map((sub) => describeColumn(sub, sub.name, context));
      const object: ColumnType = { kind: 'object', policy: shape.policy, columns };
      return shape.isArray ? { kind: 'array', element: object } : object;
    }
  }
}

/** A column's type as CREATE TABLE writes it, sub-columns of objects with their clauses: what `getSQLType()` returns. */
export function columnTypeSql(column: CrateColumnLike, render: (expression: SQL) => string): string {
  const shape = column.crate.shape;
  if (shape.kind === 'scalar') return shape.typeName;
  return typeSql(typeOfColumn(column, { render, resolveLazy: true, unresolved: new Set() }));
}

/** The problems recorded while columns were declared (what a definition cannot show), reported with their place. */
export function checkDeclarations(table: string, columns: readonly { key: string; column: CrateColumnLike }[]): void {
  const visit = (column: CrateColumnLike, path: string) => {
    const [problem] = column.crate.clauses.problems;
    if (problem) throw new CrateSchemaError({ table, column: path }, problem.rule, problem.message);
    let shape = column.crate.shape;
    while (shape.kind === 'array') shape = shape.element;
    if (shape.kind === 'object') {
      for (const sub of Object.values(shape.columns)) {
        const subPath = `${path}['${sub.name}']`;
        if (sub.primary) throw new CrateSchemaError({ table, column: subPath }, 'object-sub-column', 'an object sub-column cannot be declared primaryKey() here; CrateDB keys are top-level columns');
        if (sub.crate.clauses.checks.length > 0) {
          throw new CrateSchemaError(
            { table, column: subPath },
            'object-sub-column',
            "inline CHECK on object sub-columns needs CrateDB 6.5; use a table-level check(name, sql`...`) on the sub-column",
          );
        }
        visit(sub, subPath);
      }
    }
  };
  for (const { column } of columns) visit(column, column.name);
}

/**
 * Renders SQL as DDL text: parameters inlined (DDL takes none), columns unqualified (pg-core writes them bare when the
 * statement is rendered for an index, which is what CrateDB wants in DEFAULT, GENERATED and CHECK).
 */
export function renderInline(sqlToQuery: (query: SQL, invokeSource: 'indexes') => { sql: string }, expression: SQL): string {
  return sqlToQuery(sql`${expression}`.inlineParams(), 'indexes').sql;
}

function foreignExtraError(table: string, extra: unknown): CrateSchemaError {
  const kind = (extra as { constructor?: { name?: string } })?.constructor?.name ?? typeof extra;
  const advice: Record<string, [rule: 'no-index' | 'no-unique' | 'no-foreign-key', text: string]> = {
    IndexBuilder: ['no-index', 'CrateDB indexes every column by default and has no CREATE INDEX; use fulltextIndex() for full-text search, or .indexOff() to drop an index'],
    IndexBuilderOn: ['no-index', 'CrateDB has no CREATE INDEX; every column is indexed by default'],
    UniqueConstraintBuilder: ['no-unique', 'CrateDB has no UNIQUE constraints; use the primary key'],
    UniqueOnConstraintBuilder: ['no-unique', 'CrateDB has no UNIQUE constraints; use the primary key'],
    ForeignKeyBuilder: ['no-foreign-key', 'CrateDB has no foreign keys; join on the columns without a constraint'],
  };
  const [rule, text] = advice[kind] ?? ['table-option', 'use primaryKey, check, fulltextIndex, clusteredBy, partitionedBy or withOptions'];
  return new CrateSchemaError({ table }, rule, `${kind} is not supported in crateTable(): ${text}`);
}

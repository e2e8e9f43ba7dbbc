/**
 * `seed()` for crateTables on both Drizzle lines, through drizzle-seed. drizzle-seed picks a generator by the lower-case
 * pg type text of a column (`integer`, `vector(3)`, ...) and knows none of CrateDB's (`INTEGER`, `FLOAT_VECTOR(3)`,
 * `OBJECT(STRICT) AS (...)`, `GEO_POINT`), so it stops at the first column. But a column given a generator in
 * `refine()` is never looked up: so every crateTable column gets one here, drawing from values made by this package's
 * samplers (seed-values.ts), and the user's refinements still win, column by column. drizzle-seed then inserts as it
 * always does, through the database's own insert path; the tables are refreshed at the end, so the rows are visible.
 */
import { getTableColumns, getTableName, is, Table } from 'drizzle-orm';
import { CrateArgumentError } from '../shared/errors.js';
import type { CrateColumnLike } from './column-model.js';
import { columnSampler, hashString, seededRandom } from './seed-values.js';

/** What this module uses of drizzle-seed's generator functions (both of its lines have it). */
export interface SeedFunctions {
  valuesFromArray(options: { values: unknown[] | { weight: number; values: unknown[] }[]; isUnique?: boolean }): unknown;
}

type WithCount = number | { weight: number; count: number | number[] }[];
interface TableRefinement {
  count?: number;
  columns?: Record<string, unknown>;
  with?: Record<string, WithCount>;
}
type Refinements = Record<string, TableRefinement>;

export interface SeedOptions {
  count?: number;
  seed?: number;
  version?: string | number;
  relations?: unknown;
}

/** What differs between the lines: their drizzle-seed, their tables, and how a column is left to CrateDB. */
export interface SeedLine {
  drizzleSeed(db: never, schema: never, options?: never): { refine(callback: (funcs: never) => never): PromiseLike<unknown> };
  /** The generator that leaves a column out of the rows (generated columns, which CrateDB computes). */
  leaveOut(funcs: SeedFunctions): unknown;
  /** The most array dimensions drizzle-seed takes a generator for (drizzle-seed 1.x refuses more than one). */
  maxArrayDimensions: number;
  isCrateTable(table: unknown): boolean;
  primaryKeyOf(table: never): readonly CrateColumnLike[];
  /**
   * The columns drizzle-seed fills from another table's rows, by the relations it reads (legacy `relations()` in the
   * schema on 0.3, the database's `defineRelations` on 1.x): they keep drizzle-seed's own linking generator.
   */
  linkedColumns(schema: Record<string, unknown>, db: unknown, options: SeedOptions): Set<unknown>;
}

/** drizzle-seed's own default row count. */
const DEFAULT_COUNT = 10;
/** Values drawn from for a column that need not be unique: enough variety, bounded memory. */
const MAX_POOL = 1_000;

type UserRefine = (funcs: never) => Refinements;

/** The thenable `seed()` returns: awaited, it seeds; `.refine()` gives generators for some columns, as drizzle-seed's. */
export class CrateSeed implements PromiseLike<void> {
  constructor(
    private readonly line: SeedLine,
    private readonly db: unknown,
    private readonly schema: Record<string, unknown>,
    private readonly options: SeedOptions | undefined,
    private readonly userRefine?: UserRefine,
  ) {}

  refine(callback: UserRefine): CrateSeed {
    return new CrateSeed(this.line, this.db, this.schema, this.options, callback);
  }

  then<A = void, B = never>(onfulfilled?: ((value: void) => A | PromiseLike<A>) | null, onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<A | B> {
    return this.run().then(onfulfilled, onrejected);
  }

  catch<B = never>(onrejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<void | B> {
    return this.then(undefined, onrejected);
  }

  finally(onfinally?: (() => void) | null): Promise<void> {
    return this.run().finally(onfinally);
  }

  /**
   * drizzle-seed 1.x's dry run: the rows it would insert, by table key, made with this package's generators; nothing
   * is sent. `{ output: 'sql' }` renders drizzle-seed's SQL for pg, not what this package sends.
   */
  dryRun(options?: { output?: 'rows' | 'sql' }): PromiseLike<unknown> {
    const seeding = this.start();
    if (typeof seeding.dryRun !== 'function') throw new CrateArgumentError('seed(...).dryRun() needs drizzle-seed 1.x (the one Drizzle v1 pairs with)');
    return seeding.refine(this.refinements() as never).dryRun!(options);
  }

  private async run(): Promise<void> {
    const tables = crateTablesOf(this.schema, this.line);
    await this.start().refine(this.refinements() as never);
    const db = this.db as { refresh(...tables: object[]): Promise<void> };
    if (tables.length > 0) await db.refresh(...tables.map(([, table]) => table));
  }

  /** drizzle-seed's own `seed()`, once the database and the schema's tables are known to be drizzle-cratedb's. */
  private start(): { refine(callback: never): PromiseLike<unknown> & { dryRun?(options: unknown): PromiseLike<unknown> }; dryRun?: unknown } {
    const db = this.db as { refresh?: unknown };
    if (typeof db?.refresh !== 'function') {
      throw new CrateArgumentError('seed(): the database must be one made by drizzle-cratedb\'s drizzle() (it inserts and then refreshes the tables)');
    }
    crateTablesOf(this.schema, this.line);
    return this.line.drizzleSeed(db as never, this.schema as never, this.options as never) as never;
  }

  /** The callback drizzle-seed's `refine()` gets: this package's generators, the user's where they gave one. */
  private refinements(): (funcs: SeedFunctions) => Refinements {
    return (funcs) => {
      const options = this.options ?? {};
      const linked = this.line.linkedColumns(this.schema, this.db, options);
      return plan(this.line, crateTablesOf(this.schema, this.line), options, linked, this.userRefine?.(funcs as never), funcs);
    };
  }
}

/** The schema's tables by key; a table that is not a crateTable is refused, naming its key. */
function crateTablesOf(schema: Record<string, unknown>, line: SeedLine): [string, object][] {
  const tables: [string, object][] = [];
  for (const [key, value] of Object.entries(schema)) {
    if (!is(value, Table)) continue;
    if (!line.isCrateTable(value)) {
      throw new CrateArgumentError(`seed(): schema entry "${key}" (table "${getTableName(value as Table)}") is not a crateTable; drizzle-cratedb seeds tables made with crateTable()`);
    }
    tables.push([key, value]);
  }
  return tables;
}

/** The rows drizzle-seed will make per table: the count asked for, more for tables filled `with` a parent. */
function rowCounts(tables: [string, object][], options: SeedOptions, user: Refinements | undefined): Map<string, number> {
  const counts = new Map(tables.map(([key]) => [key, user?.[key]?.count ?? options.count ?? DEFAULT_COUNT]));
  for (const [key] of tables) {
    for (const [child, per] of Object.entries(user?.[key]?.with ?? {})) {
      const most = typeof per === 'number' ? per : Math.max(...per.flatMap((entry) => (Array.isArray(entry.count) ? entry.count : [entry.count])));
      counts.set(child, Math.max(counts.get(child) ?? 0, (counts.get(key) ?? 0) * most));
    }
  }
  return counts;
}

/** The refinements drizzle-seed gets: a generator for every column, the user's where they gave one. */
function plan(
  line: SeedLine,
  tables: [string, object][],
  options: SeedOptions,
  linked: Set<unknown>,
  user: Refinements | undefined,
  funcs: SeedFunctions,
): Refinements {
  const counts = rowCounts(tables, options, user);
  const result: Refinements = { ...user };
  for (const [key, table] of tables) {
    const given = user?.[key]?.columns ?? {};
    const keys = new Set(line.primaryKeyOf(table as never));
    const rows = counts.get(key) ?? DEFAULT_COUNT;
    const columns: Record<string, unknown> = {};
    for (const [columnKey, column] of Object.entries(getTableColumns(table as never) as Record<string, CrateColumnLike>)) {
      if (columnKey in given || linked.has(column)) continue;
      if (column.generated !== undefined) {
        columns[columnKey] = line.leaveOut(funcs);
        continue;
      }
      const where = () => `column "${getTableName(table as never)}"."${column.name}"`;
      if (arrayDimensions(column) > line.maxArrayDimensions) {
        throw new CrateArgumentError(
          `seed(): drizzle-seed takes no generator for ${where()}, an array of ${arrayDimensions(column)} dimensions; ` +
            `leave it NULL with .refine(() => ({ ${key}: { columns: { ${columnKey}: false } } }))`,
        );
      }
      const sampler = columnSampler(column, where);
      const unique = keys.has(column);
      const random = seededRandom((options.seed ?? 0) + hashString(`${key}.${columnKey}`));
      const values = Array.from({ length: unique ? rows : Math.min(rows, MAX_POOL) }, (_, index) => sampler(random, index, unique));
      // Given as one weighted group: drizzle-seed reads a plain list whose first value is an object as weighted groups.
      columns[columnKey] = funcs.valuesFromArray({ values: [{ weight: 1, values }], isUnique: unique });
    }
    result[key] = { ...user?.[key], columns: { ...columns, ...given } };
  }
  return result;
}

/** Whether `columns` are exactly the table's primary key: the side a relation points at (drizzle-seed's "keyness"). */
export function isPrimaryKey(line: SeedLine, table: unknown, columns: readonly unknown[]): boolean {
  const key = line.isCrateTable(table) ? line.primaryKeyOf(table as never) : [];
  return key.length > 0 && key.length === columns.length && key.every((column) => columns.includes(column));
}

function arrayDimensions(column: CrateColumnLike): number {
  let dimensions = 0;
  for (let shape = column.crate.shape; shape.kind === 'array'; shape = shape.element) dimensions++;
  return dimensions;
}

/**
 * `reset()` for crateTables: deletes every row (CrateDB has no TRUNCATE ... CASCADE, which drizzle-seed's reset
 * sends), then refreshes the tables.
 */
export async function resetTables(db: unknown, schema: Record<string, unknown>, line: SeedLine): Promise<void> {
  const database = db as { delete?: (table: object) => PromiseLike<unknown>; refresh?: (...tables: object[]) => Promise<void> };
  if (typeof database?.refresh !== 'function' || typeof database.delete !== 'function') {
    throw new CrateArgumentError("reset(): the database must be one made by drizzle-cratedb's drizzle()");
  }
  const tables = crateTablesOf(schema, line).map(([, table]) => table);
  for (const table of tables) await database.delete(table);
  if (tables.length > 0) await database.refresh(...tables);
}

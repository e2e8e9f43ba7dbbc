/**
 * drizzle-cratedb/v1/seed: drizzle-seed's `seed()` and `reset()` for crateTables on Drizzle v1 (drizzle-seed 1.x).
 * Same call and types as drizzle-seed's: `await seed(db, { users, posts }, { count: 100, seed: 1 })`, and
 * `.refine((f) => ({ users: { columns: { name: f.firstName() } } }))` for columns of one's own choosing.
 */
// First, so that an unsupported Node.js fails here with the version needed.
import '../../shared/node-version.js';
import { seed as drizzleSeed, type reset as drizzleReset } from 'drizzle-seed';
import { is } from 'drizzle-orm';
import { Relation, type AnyRelations, type RelationsBuilderColumnBase } from 'drizzle-orm/relations';
import { CrateSeed, isPrimaryKey, resetTables, type SeedLine } from '../../dialect/seed.js';
import { getCrateTableConfig, isCrateTable } from './columns/table.js';

const line: SeedLine = {
  drizzleSeed: drizzleSeed as never,
  // drizzle-seed 1.x leaves a column refined to `false` out of the rows.
  leaveOut: () => false,
  maxArrayDimensions: 1,
  isCrateTable,
  primaryKeyOf: (table) => getCrateTableConfig(table).primaryKey?.columns ?? [],
  // drizzle-seed 1.x links by the database's relations (or the `relations` option): a junction's columns, and the
  // side of a relation that points at the other side's primary key. Foreign keys, its other source, CrateDB has not.
  linkedColumns(_schema, db, options) {
    const linked = new Set<unknown>();
    const relations = (options.relations ?? (db as { _?: { relations?: AnyRelations } })._?.relations ?? {}) as AnyRelations;
    const columnsOf = (columns: readonly RelationsBuilderColumnBase[]) => columns.map((column) => (column as unknown as { _: { column: unknown } })._.column);
    for (const table of Object.values(relations)) {
      for (const relation of Object.values(table.relations ?? {})) {
        if (!is(relation, Relation)) continue;
        if (relation.through) {
          for (const column of [...columnsOf(relation.through.source), ...columnsOf(relation.through.target)]) linked.add(column);
          continue;
        }
        const source = columnsOf(relation.sourceColumns);
        const target = columnsOf(relation.targetColumns);
        const sourceKeyed = isPrimaryKey(line, relation.sourceTable, source);
        const targetKeyed = isPrimaryKey(line, relation.targetTable, target);
        if (targetKeyed && !sourceKeyed) for (const column of source) linked.add(column);
        if (sourceKeyed && !targetKeyed) for (const column of target) linked.add(column);
      }
    }
    return linked;
  },
};

/** Seeds crateTables with values each column accepts, then refreshes them; see drizzle-seed's `seed`. */
export const seed: typeof drizzleSeed = ((db: unknown, schema: Record<string, unknown>, options?: object) => new CrateSeed(line, db, schema, options)) as never;

/** Deletes every row of the schema's crateTables and refreshes them (CrateDB has no `TRUNCATE ... CASCADE`). */
export const reset: typeof drizzleReset = ((db: unknown, schema: Record<string, unknown>) => resetTables(db, schema, line)) as never;

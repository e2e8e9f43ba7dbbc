/**
 * Table rebuild, for what CrateDB cannot ALTER: create the new table under a temporary name, copy the rows, check
 * the row count, swap the names, drop the old table. Until the swap the original table is untouched, so a failure
 * in the first steps loses nothing.
 */
import { createTableSql, dropTableSql, typeSql } from '../tables/ddl.js';
import type { TableDefinition } from '../columns/definition.js';
import { canonicalTypeName } from '../columns/types.js';
import { CrateMigrationError } from '../shared/errors.js';
import { literal, qualifiedName, quote, refreshTableSql } from '../shared/sql-text.js';
import { tokenizeSql } from '../shared/sql-tokens.js';
import type { Change } from './diff.js';

export type RebuildChange = Extract<Change, { kind: 'rebuild' }>;

/** The marker a rebuild statement starts with, so the migrator can say how far a failed rebuild got. */
export const REBUILD_MARKER = '-- drizzle-cratedb rebuild';

export function rebuildNames(table: Pick<TableDefinition, 'name' | 'schema'>) {
  const withName = (name: string) => (table.schema === undefined ? { name } : { schema: table.schema, name });
  return { original: withName(table.name), copy: withName(`${table.name}__rebuild_new`), old: withName(`${table.name}__rebuild_old`) };
}

export interface RebuildStep {
  readonly step: 'cleanup' | 'create' | 'refresh-source' | 'copy' | 'refresh-copy' | 'verify' | 'swap-out' | 'swap-in' | 'drop-old';
  readonly sql: string;
}

export function rebuildSteps(change: RebuildChange): RebuildStep[] {
  const { from, to, columnSources } = change;
  const names = rebuildNames(to);
  const source = qualifiedName(from);
  const copy = qualifiedName(names.copy);
  const fromColumns = new Map(from.columns.map((column) => [column.name, column]));
  const targets = Object.keys(columnSources);
  const selects = targets.map((target) => {
    const sourceColumn = fromColumns.get(columnSources[target]!)!;
    const targetColumn = to.columns.find((column) => column.name === target)!;
    const expression = quote(sourceColumn.name);
    // Scalar type changes are cast explicitly, so a value that does not convert fails loudly.
    const changedScalar =
      targetColumn.type.kind !== 'object' &&
      canonicalTypeName(typeSql(sourceColumn.type)) !== canonicalTypeName(typeSql(targetColumn.type)) &&
      !typeSql(targetColumn.type).includes('OBJECT');
    return changedScalar ? `CAST(${expression} AS ${typeSql(targetColumn.type)})` : expression;
  });
  return [
    { step: 'cleanup', sql: dropTableSql(names.copy, { ifExists: true }) },
    { step: 'create', sql: createTableSql({ ...to, name: names.copy.name }) },
    { step: 'refresh-source', sql: refreshTableSql([from]) },
    {
      step: 'copy',
      sql: targets.length
        ? `INSERT INTO ${copy} (${targets.map(quote).join(', ')}) SELECT ${selects.join(', ')} FROM ${source}`
        : `SELECT 1`,
    },
    { step: 'refresh-copy', sql: refreshTableSql([names.copy]) },
    {
      // Fails (a cast error naming the table) unless the copy has every row of the original.
      step: 'verify',
      sql:
        `SELECT CAST(CASE WHEN (SELECT count(*) FROM ${copy}) = (SELECT count(*) FROM ${source}) THEN '1' ` +
        `ELSE ${literal(`rebuild of ${qualifiedName(to)} aborted: the copy misses rows, the original table is intact`)} END AS INTEGER) AS rebuild_check`,
    },
    { step: 'swap-out', sql: `ALTER TABLE ${source} RENAME TO ${quote(names.old.name)}` },
    { step: 'swap-in', sql: `ALTER TABLE ${copy} RENAME TO ${quote(to.name)}` },
    { step: 'drop-old', sql: dropTableSql(names.old) },
  ];
}

/** The rebuild as statements for a migration file, each headed by a marker comment. */
export function rebuildStatements(change: RebuildChange): string[] {
  const steps = rebuildSteps(change);
  const table = qualifiedName(change.to);
  return steps.map(
    (step, i) =>
      `${REBUILD_MARKER} ${table} step ${i + 1}/${steps.length} ${step.step}${i === 0 ? `: ${change.reasons.join('; ').replace(/\n/g, ' ')}` : ''}\n${step.sql}`,
  );
}

interface RebuildMarker {
  /** The table being rebuilt, as its marker names it (quoted, qualified). */
  readonly label: string;
  readonly table: { name: string; schema?: string };
  readonly step: number;
  readonly of: number;
  readonly name: RebuildStep['step'];
}

/** Parses a rebuild marker: which table and step a statement of a migration file is. */
function parseRebuildMarker(statement: string): RebuildMarker | undefined {
  const match = /^-- drizzle-cratedb rebuild (.+?) step (\d+)\/(\d+) ([a-z-]+)/m.exec(statement);
  if (!match) return undefined;
  const parts = tokenizeSql(match[1]!).filter((token) => token.kind === 'ident').map((token) => token.text);
  const table = parts.length === 2 ? { schema: parts[0]!, name: parts[1]! } : { name: parts[0] ?? match[1]! };
  return { label: match[1]!, table, step: Number(match[2]), of: Number(match[3]), name: match[4] as RebuildStep['step'] };
}

/**
 * How to recover when statement `index` of a migration failed, if it is a rebuild step: before the swap the original
 * table is untouched, so the partial copy is dropped and the rebuild starts over; during or after the swap the
 * migration resumes where it stopped. Undefined for statements that are not rebuild steps.
 */
export function rebuildRecovery(statements: readonly string[], index: number): { resumeAt: number; cleanup: string | undefined; note: string } | undefined {
  const marker = parseRebuildMarker(statements[index]!);
  if (!marker) return undefined;
  const { label } = marker;
  if (marker.name === 'swap-in') {
    return {
      resumeAt: index,
      cleanup: undefined,
      note: `The rebuild of ${label} stopped after the original table was renamed to its __rebuild_old name; the complete copy is the __rebuild_new table. --resume finishes the swap.`,
    };
  }
  if (marker.name === 'drop-old') {
    return { resumeAt: index, cleanup: undefined, note: `The rebuilt table ${label} is in place; only dropping the old copy (__rebuild_old) failed. --resume retries it.` };
  }
  return {
    resumeAt: index - (marker.step - 1),
    cleanup: dropTableSql(rebuildNames(marker.table).copy, { ifExists: true }),
    note: `The rebuild of ${label} stopped at step ${marker.step} of ${marker.of} (${marker.name}): the original table ${label} is intact and the partial copy was dropped.`,
  };
}

export class RebuildError extends CrateMigrationError {
  static override readonly errorName: string = 'RebuildError';
}

/**
 * Runs a rebuild against a database (push). A failure before the swap drops the partial copy and leaves the
 * original table as it was; a failure during the swap puts the original name back when it can.
 */
export async function runRebuild(execute: (sql: string) => Promise<unknown>, change: RebuildChange): Promise<void> {
  const steps = rebuildSteps(change);
  const names = rebuildNames(change.to);
  const table = qualifiedName(change.to);
  for (const step of steps) {
    try {
      await execute(step.sql);
    } catch (error) {
      const message = error instanceof Error ? ((error as { serverMessage?: string }).serverMessage ?? error.message) : String(error);
      if (step.step === 'swap-in') {
        const restored = await execute(`ALTER TABLE ${qualifiedName(names.old)} RENAME TO ${quote(change.from.name)}`).then(
          () => true,
          () => false,
        );
        throw new RebuildError(
          `rebuild of ${table} failed while swapping names: ${message}\n` +
            (restored
              ? `The original table is back under its name ${table}, intact; the complete copy remains as ${qualifiedName(names.copy)}.`
              : `The original table is intact as ${qualifiedName(names.old)}; the complete copy is ${qualifiedName(names.copy)}. Rename one of them to ${quote(change.to.name)}.`),
        );
      }
      if (step.step === 'drop-old') {
        throw new RebuildError(`rebuild of ${table} done, but dropping the old table ${qualifiedName(names.old)} failed: ${message}; drop it by hand`);
      }
      await execute(dropTableSql(names.copy, { ifExists: true })).catch(() => undefined);
      throw new RebuildError(
        `rebuild of ${table} failed at step ${step.step}: ${message}\nThe original table ${table} is intact; the partial copy was dropped.\nStatement: ${step.sql}`,
      );
    }
  }
}

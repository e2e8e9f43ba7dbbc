/**
 * Views in the kit's diff: which views to drop, create or replace between two snapshots, and in what order around
 * the table changes. Definitions are compared in the form normalizeViewDefinition gives, because CrateDB stores its
 * own formatting of a query, not the text it was sent.
 */
import type { CrateClient } from '../driver/index.js';
import type { ColumnType } from '../columns/definition.js';
import { canonicalTypeName } from '../columns/types.js';
import { CrateMigrationError } from '../shared/errors.js';
import { columnPath, DEFAULT_SCHEMA, qualifiedName } from '../shared/sql-text.js';
import {
  isCorruptedView,
  normalizeViewDefinition,
  orderViews,
  relationKey,
  viewNamesColumn,
  viewReads,
  type RelationRef,
  type ViewDefinition,
} from '../tables/views.js';
import type { Snapshot } from './snapshot.js';

export type ViewChange =
  | { readonly kind: 'create_view'; readonly view: ViewDefinition; readonly replace: boolean; readonly description: string; readonly lossy: false; readonly inPlace: true }
  | { readonly kind: 'drop_view'; readonly view: ViewDefinition; readonly description: string; readonly lossy: false; readonly inPlace: true };

export class ViewDependencyError extends CrateMigrationError {
  static override readonly errorName: string = 'ViewDependencyError';
}

/** A column of a table that this change drops or renames away, and how: the view refusal names both. */
export interface GoneColumn {
  readonly path: readonly string[];
  /** e.g. `drops`, `renames to "level2"`, `drops in its rebuild`. */
  readonly how: string;
}

/**
 * What a change does to one table that a view reading it does not survive on CrateDB: a column dropped or renamed
 * (CrateDB marks the view corrupted), or the table rebuilt (its copy is swapped in under the name and the original
 * dropped, which leaves the view broken too). Keyed by the table's key in the new snapshot.
 */
export interface TableAlteration {
  readonly table: RelationRef;
  readonly goneColumns: readonly GoneColumn[];
  readonly rebuilt: boolean;
}

/**
 * Views dropped (first, those reading others before what they read) and views created or replaced (last, after the
 * tables and the views they read). `goneTables` are the keys of tables dropped or renamed away: a view that stays
 * and still reads one is refused, since CrateDB would drop the table and leave the view broken. A kept view over a
 * table in `altered` is dropped before the change and created again after it (with the views reading it), unless
 * its query still names a column the change takes away: that is refused, since the view could not be created again.
 */
export function diffViews(
  prev: Snapshot,
  next: Snapshot,
  goneTables: ReadonlySet<string>,
  altered: ReadonlyMap<string, TableAlteration> = new Map(),
): { drops: ViewChange[]; creates: ViewChange[] } {
  const before = prev.views ?? {};
  const after = next.views ?? {};
  // A cycle is refused before anything else (CrateDB would accept it and then fail on information_schema).
  const ordered = orderViews(Object.values(after));
  for (const view of ordered) {
    const gone = viewReads(view.definition).find((relation) => goneTables.has(relationKey(relation)));
    if (gone) {
      throw new ViewDependencyError(
        `view ${qualifiedName(view)} reads ${qualifiedName(gone)}, which this change drops or renames; CrateDB would leave the view broken. ` +
          'Change the view to read another table, or remove the view from the schema in the same change (it is then dropped first)',
      );
    }
  }
  const recreated = viewsAroundAlterations(before, after, altered);
  const dropped = orderViews(Object.entries(before).filter(([key]) => !after[key] || recreated.has(key)).map(([, view]) => view)).reverse();
  const drops: ViewChange[] = dropped.map((view) => {
    const reason = recreated.get(relationKey(view));
    return { kind: 'drop_view', view, description: `- view ${qualifiedName(view)}${reason ? ` (created again after ${reason})` : ''}`, lossy: false, inPlace: true };
  });
  const creates: ViewChange[] = [];
  for (const view of ordered) {
    const key = relationKey(view);
    const old = before[key];
    const reason = recreated.get(key);
    if (reason) {
      creates.push({ kind: 'create_view', view, replace: false, description: `+ view ${qualifiedName(view)} (again, after ${reason})`, lossy: false, inPlace: true });
      continue;
    }
    if (old && !isCorruptedView(old.definition) && normalizeViewDefinition(old.definition) === normalizeViewDefinition(view.definition)) continue;
    creates.push({
      kind: 'create_view',
      view,
      replace: old !== undefined,
      description: `${old ? '~' : '+'} view ${qualifiedName(view)}${old ? ' (definition changed)' : ''}`,
      lossy: false,
      inPlace: true,
    });
  }
  return { drops, creates };
}

/**
 * The kept views to drop before the table changes and create after them, each with why: those reading an altered
 * table (in the old query, which is what the server holds, or the new one), then those reading such a view, since
 * dropping a view a kept view reads would break that one as well. Refuses a view whose new query names a gone column.
 */
function viewsAroundAlterations(
  before: Readonly<Record<string, ViewDefinition>>,
  after: Readonly<Record<string, ViewDefinition>>,
  altered: ReadonlyMap<string, TableAlteration>,
): Map<string, string> {
  const reasons = new Map<string, string>();
  if (altered.size === 0) return reasons;
  const kept = Object.keys(after).filter((key) => before[key] !== undefined);
  const reads = (key: string) => [...viewReads(before[key]!.definition), ...viewReads(after[key]!.definition)].map(relationKey);
  for (const key of kept) {
    const view = after[key]!;
    for (const relation of viewReads(view.definition)) {
      const alteration = altered.get(relationKey(relation));
      const gone = alteration?.goneColumns.find((column) => viewNamesColumn(view.definition, column.path));
      if (alteration && gone) {
        throw new ViewDependencyError(
          `view ${qualifiedName(view)} reads column ${columnPath(gone.path)} of ${qualifiedName(alteration.table)}, which this change ${gone.how}; ` +
            'CrateDB would leave the view broken. Change the view so it no longer names the column (it is then dropped before the change and ' +
            'created again after it), or remove the view from the schema in the same change',
        );
      }
    }
    const table = reads(key).map((read) => altered.get(read)).find((alteration) => alteration !== undefined);
    if (table) reasons.set(key, `the change to ${qualifiedName(table.table)}`);
  }
  // Views over a view dropped for the change go with it, until no more are found.
  for (let grew = true; grew; ) {
    grew = false;
    for (const key of kept) {
      if (reasons.has(key)) continue;
      const over = reads(key).find((read) => reasons.has(read));
      if (over === undefined) continue;
      reasons.set(key, reasons.get(over)!);
      grew = true;
    }
  }
  return reasons;
}

export interface IntrospectedView extends ViewDefinition {
  /** The query's columns, in order, with the types information_schema.columns gives (empty for a broken view). */
  readonly columns: readonly { readonly name: string; readonly type: ColumnType }[];
}

/** The views of `schemas` that `keep` accepts, with CrateDB's stored definition and their columns' types. */
export async function introspectViews(client: CrateClient, schemas: readonly string[], keep: (schema: string, name: string) => boolean): Promise<IntrospectedView[]> {
  const listed = await client.sql(
    'SELECT table_schema, table_name, view_definition FROM information_schema.views WHERE table_schema = ANY(?) ORDER BY 1, 2',
    [schemas],
  );
  const views: IntrospectedView[] = [];
  for (const [schema, name, definition] of listed.rows as [string, string, string][]) {
    if (!keep(schema, name)) continue;
    const columns = await client.sql(
      'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position',
      [schema, name],
    );
    views.push({
      name,
      ...(schema === DEFAULT_SCHEMA ? {} : { schema }),
      definition: definition.trim(),
      // Object sub-columns are listed as rows of their own (`o['x']`); the object column carries them.
      columns: (columns.rows as [string, string][]).filter(([column]) => !column.includes('[')).map(([column, type]) => ({ name: column, type: viewColumnType(type) })),
    });
  }
  return views;
}

/** information_schema's data_type (`text`, `bigint_array`, `object`) as a column type. */
function viewColumnType(dataType: string): ColumnType {
  if (dataType.endsWith('_array')) return { kind: 'array', element: viewColumnType(dataType.slice(0, -'_array'.length)) };
  if (dataType === 'object') return { kind: 'object', policy: 'dynamic', columns: [] };
  return { kind: 'scalar', name: canonicalTypeName(dataType) };
}

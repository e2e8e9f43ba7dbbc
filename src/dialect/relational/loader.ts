/**
 * Runs a planned relational query: the root statement, then for every relation one statement per chunk of distinct
 * parent keys, and stitches the rows together on the client. The number of round trips grows with the number of
 * relations in `with` (and with the key chunks), never with the number of rows.
 */
import { fillPlaceholders, type Placeholder, type Query, type SQL } from 'drizzle-orm';
import { CrateArgumentError } from '../../shared/errors.js';
import { compileRowMapper, compileRowsMapper, type MappedField } from '../row-mapper.js';
import { inIndexOrder } from '../uuid-guards.js';

type LimitValue = number | Placeholder | undefined;

/**
 * One statement of a planned relational query, as the planners of both lines make it: the root table's, or a
 * relation's, which reads its parents' keys from {@link keyPlaceholder} placeholders.
 */
export interface RelationalNode {
  /** Where the node sits, as written in the query: `users`, `users.posts`, `users.posts.comments`. */
  readonly path: string;
  /** The key the loaded rows are put under in each parent row. */
  readonly tsKey: string;
  /** A one-relation keeps the first row of each parent key. */
  readonly cardinality: 'root' | 'one' | 'many';
  /** What each result row holds, in order: selected columns, then extras. They are the first cells of a row. */
  readonly fields: readonly MappedField[];
  /** Row positions of the columns parent keys are matched against (the relation's target columns). */
  readonly keyIndexes: readonly number[];
  readonly children: readonly RelationalEdge[];
  readonly statement: SQL;
  /** Each parent's share of the rows when the client slices them (`perParentLimit: 'client'`). */
  readonly clientSlice: { offset: LimitValue; limit: LimitValue } | undefined;
}

export interface RelationalEdge {
  readonly node: RelationalNode;
  /** Row positions, in the parent's rows, of the values a child is looked up by (the relation's source columns). */
  readonly parentKeyIndexes: readonly number[];
  /** Row position, in the parent's rows, of a condition a parent must meet to have related rows at all. */
  readonly parentFilterIndex?: number;
}

/** Name of the placeholder that carries the parent keys for the `index`th key column. */
export function keyPlaceholder(index: number): string {
  return `drizzle-cratedb:parent-keys:${index}`;
}

type Row = Record<string, unknown>;
type RawRow = unknown[];

/** A node's statement rendered, and bound to the session that runs it. */
export interface BoundStatement {
  readonly query: Query;
  /** Runs the statement with these placeholder values and returns the rows as CrateDB sent them. */
  readonly run: (placeholders: Record<string, unknown>) => Promise<RawRow[]>;
}

/** A plan node ready to run: its statement bound to the session, its rows mappers compiled. */
export interface CompiledNode extends BoundStatement {
  readonly node: RelationalNode;
  readonly mapRows: (rows: RawRow[]) => Row[];
  readonly mapRow: (row: RawRow) => Row;
  readonly children: readonly { compiled: CompiledNode; parentKeyIndexes: readonly number[]; parentFilterIndex: number | undefined }[];
}

export interface LoadOptions {
  /** Distinct parent keys sent in one statement; more are split over several requests. */
  keysPerRequest: number;
  /** Requests of one relation in flight at once when its keys span several chunks. */
  concurrency: number;
}

export function compileNode(node: RelationalNode, bind: (node: RelationalNode) => BoundStatement): CompiledNode {
  return {
    node,
    ...bind(node),
    mapRows: compileRowsMapper(node.fields),
    mapRow: compileRowMapper(node.fields),
    children: node.children.map((edge) => ({
      compiled: compileNode(edge.node, bind),
      parentKeyIndexes: edge.parentKeyIndexes,
      parentFilterIndex: edge.parentFilterIndex,
    })),
  };
}

/** The rows loaded for one relation, grouped by the parent key they belong to. */
interface LoadedRelation {
  readonly rows: RawRow[];
  /** Normalised parent key → positions in `rows`, in the order CrateDB sent them. */
  readonly groups: Map<string, number[]>;
  objects: Row[] | undefined;
  /** Whether a row's mapped object has been handed out; a row shared by several parents is mapped again for each. */
  used: Uint8Array | undefined;
}

export async function loadRelational(root: CompiledNode, placeholders: Record<string, unknown>, options: LoadOptions): Promise<Row[]> {
  const rows = await root.run(placeholders);
  const loaded = new Map<CompiledNode, LoadedRelation>();
  await loadChildren(root, rows, placeholders, options, loaded);
  const objects = root.mapRows(rows);
  if (root.children.length > 0) objects.forEach((object, i) => attachChildren(root, object, rows[i]!, loaded));
  return objects;
}

async function loadChildren(
  parent: CompiledNode,
  parentRows: readonly RawRow[],
  placeholders: Record<string, unknown>,
  options: LoadOptions,
  loaded: Map<CompiledNode, LoadedRelation>,
): Promise<void> {
  await Promise.all(
    parent.children.map(async ({ compiled, parentKeyIndexes, parentFilterIndex }) => {
      const keys = distinctKeys(parentRows, parentKeyIndexes, parentFilterIndex);
      const fetched = keys.size === 0 ? [] : await fetchByKeys(compiled, [...keys.values()], placeholders, options);
      const relation = groupRows(compiled.node, fetched, keys, placeholders);
      loaded.set(compiled, relation);
      if (compiled.children.length > 0 && relation.rows.length > 0) {
        await loadChildren(compiled, relation.rows, placeholders, options, loaded);
      }
    }),
  );
}

/**
 * The distinct keys of the parent rows, by normalised form; rows with a null in the key, or that fail the relation's
 * condition on parents, have no related rows.
 */
function distinctKeys(rows: readonly RawRow[], indexes: readonly number[], filterIndex: number | undefined): Map<string, unknown[]> {
  const keys = new Map<string, unknown[]>();
  for (const row of rows) {
    if (filterIndex !== undefined && row[filterIndex] !== true) continue;
    const key = keyOf(row, indexes);
    if (key !== undefined && !keys.has(key)) keys.set(key, indexes.map((index) => row[index]));
  }
  return keys;
}

async function fetchByKeys(
  compiled: CompiledNode,
  keys: readonly unknown[][],
  placeholders: Record<string, unknown>,
  options: LoadOptions,
): Promise<RawRow[]> {
  const chunks: unknown[][][] = [];
  for (let start = 0; start < keys.length; start += options.keysPerRequest) chunks.push(keys.slice(start, start + options.keysPerRequest));
  const width = keys[0]!.length;
  const results = await mapConcurrently(chunks, options.concurrency, (chunk) => {
    const values: Record<string, unknown> = { ...placeholders };
    for (let column = 0; column < width; column++) {
      const columnValues = chunk.map((key) => key[column]);
      // Parent keys of a UUID column go in the UUID index's order, which CrateDB needs for `= any(?)`.
      values[keyPlaceholder(column)] = inIndexOrder(width === 1 ? columnValues : [...new Set(columnValues)]);
    }
    return compiled.run(values);
  });
  return results.length === 1 ? results[0]! : results.flat();
}

/** `work` over every item, at most `concurrency` at a time; results in the items' order. */
export async function mapConcurrently<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}

/**
 * Groups a relation's rows by parent key, keeping only rows some parent asked for (a key of several columns is
 * fetched by each column's values, which can match combinations no parent has) and each parent's share: the first
 * row of a one-relation, or the `offset`/`limit` slice when the client cuts it.
 */
function groupRows(node: RelationalNode, fetched: RawRow[], requested: Map<string, unknown[]>, placeholders: Record<string, unknown>): LoadedRelation {
  const slice = node.clientSlice ? resolveSlice(node, placeholders) : undefined;
  const start = slice?.offset ?? 0;
  const end = node.cardinality === 'one' ? start + 1 : slice?.limit === undefined ? Infinity : start + slice.limit;
  const counts = new Map<string, number>();
  const groups = new Map<string, number[]>();
  const rows: RawRow[] = [];
  for (const row of fetched) {
    const key = keyOf(row, node.keyIndexes);
    if (key === undefined || !requested.has(key)) continue;
    const seen = counts.get(key) ?? 0;
    counts.set(key, seen + 1);
    if (seen < start || seen >= end) continue;
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = []));
    group.push(rows.length);
    rows.push(row);
  }
  return { rows, groups, objects: undefined, used: undefined };
}

function resolveSlice(node: RelationalNode, placeholders: Record<string, unknown>): { offset: number; limit: number | undefined } {
  const [offset, limit] = fillPlaceholders([node.clientSlice!.offset, node.clientSlice!.limit], placeholders) as unknown[];
  const count = (name: string, value: unknown): number | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
      throw new CrateArgumentError(`${node.path}: ${name} must be a whole number of rows, 0 or more (got ${String(value)})`);
    }
    return value;
  };
  return { offset: count('offset', offset) ?? 0, limit: count('limit', limit) };
}

function attachChildren(compiled: CompiledNode, object: Row, row: RawRow, loaded: Map<CompiledNode, LoadedRelation>): void {
  for (const { compiled: child, parentKeyIndexes, parentFilterIndex } of compiled.children) {
    const relation = loaded.get(child);
    const key = parentFilterIndex !== undefined && row[parentFilterIndex] !== true ? undefined : keyOf(row, parentKeyIndexes);
    const group = key === undefined || relation === undefined ? undefined : relation.groups.get(key);
    if (child.node.cardinality === 'many') {
      object[child.node.tsKey] = group === undefined ? [] : group.map((index) => materialize(child, relation!, index, loaded));
    } else {
      object[child.node.tsKey] = group === undefined ? null : materialize(child, relation!, group[0]!, loaded);
    }
  }
}

/** A related row as an object of its own: the first parent gets the row mapped in bulk, any further parent a fresh copy. */
function materialize(compiled: CompiledNode, relation: LoadedRelation, index: number, loaded: Map<CompiledNode, LoadedRelation>): Row {
  relation.objects ??= compiled.mapRows(relation.rows);
  relation.used ??= new Uint8Array(relation.rows.length);
  const row = relation.rows[index]!;
  let object: Row;
  if (relation.used[index] === 0) {
    relation.used[index] = 1;
    object = relation.objects[index]!;
  } else {
    object = compiled.mapRow(row);
  }
  if (compiled.children.length > 0) attachChildren(compiled, object, row, loaded);
  return object;
}

/**
 * A key's normalised form, or undefined when any part is null. Numbers, bigints and numeric strings of the same value
 * normalise alike, as CrateDB compares them; a key of several columns joins its parts with their lengths.
 */
function keyOf(row: RawRow, indexes: readonly number[]): string | undefined {
  if (indexes.length === 1) return keyPart(row[indexes[0]!]);
  let key = '';
  for (const index of indexes) {
    const part = keyPart(row[index]);
    if (part === undefined) return undefined;
    key += `${part.length}:${part}`;
  }
  return key;
}

function keyPart(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      return JSON.stringify(value);
  }
}

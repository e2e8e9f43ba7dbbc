/**
 * Views as CrateDB knows them, shared by both Drizzle lines and the kit (which imports no Drizzle): a name, a schema
 * and the query text. CREATE VIEW / DROP VIEW text, the order views must be created in, and the relations a view's
 * query reads, found in the text itself, since the kit only ever has text (snapshots, information_schema.views).
 */
import { CrateSchemaError } from '../shared/errors.js';
import { DEFAULT_SCHEMA, qualifiedName, quote } from '../shared/sql-text.js';
import { tokenizeSql, type SqlToken } from '../shared/sql-tokens.js';
import { tableNameProblem } from './rules.js';

export interface ViewDefinition {
  readonly name: string;
  /** Absent for the connection's default schema (`doc`). */
  readonly schema?: string | undefined;
  /** The query, as SQL text with every value inlined (CrateDB stores a view's arguments as literals anyway). */
  readonly definition: string;
}

export interface RelationRef {
  readonly name: string;
  readonly schema?: string | undefined;
}

/** `schema.name`, with `doc` for an unqualified name: the key tables and views share, since they share a namespace. */
export function relationKey(relation: RelationRef): string {
  return `${relation.schema ?? DEFAULT_SCHEMA}.${relation.name}`;
}

export function checkViewName(name: string, schema: string | undefined): void {
  const problem = tableNameProblem(name, schema);
  if (problem) throw new CrateSchemaError({ view: name }, 'identifier', `${JSON.stringify(name)} is not a valid name: ${problem}`);
}

/** `CREATE [OR REPLACE] VIEW "s"."v" AS <query>`. CrateDB has no IF NOT EXISTS for views; OR REPLACE is its idempotent form. */
export function createViewSql(view: ViewDefinition, options: { orReplace?: boolean } = {}): string {
  return `CREATE ${options.orReplace ? 'OR REPLACE ' : ''}VIEW ${qualifiedName(view)} AS ${view.definition.trim()}`;
}

export function dropViewSql(view: RelationRef, options: { ifExists?: boolean } = {}): string {
  return `DROP VIEW ${options.ifExists ? 'IF EXISTS ' : ''}${qualifiedName(view)}`;
}

// --- Registry: how a crateView of either line makes itself known to createTables and the kit. ---

const DESCRIBE_VIEW: unique symbol = Symbol.for('drizzle-cratedb:describe-view') as never;

export interface DescribeViewOptions {
  /** Column casing of Drizzle 0.45 (`drizzle({ casing })`); v1 views carry their names. */
  casing?: 'snake_case' | 'camelCase' | undefined;
}

type ViewDescriber = (options: DescribeViewOptions) => ViewDefinition;

export function registerView(view: object, describe: ViewDescriber): void {
  Object.defineProperty(view, DESCRIBE_VIEW, { value: describe, enumerable: false });
}

/**
 * True for views made by crateView(...).as(...) on either line. `.existing()` views are not registered: they
 * are declared for typed selects only, and nothing creates, drops or diffs them.
 */
export function isRegisteredView(value: unknown): boolean {
  // A view is a Proxy over pg-core's view; reading an unknown symbol through it is harmless.
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { [DESCRIBE_VIEW]?: unknown })[DESCRIBE_VIEW] === 'function';
}

export function describeRegisteredView(value: unknown, options: DescribeViewOptions = {}): ViewDefinition | undefined {
  if (!isRegisteredView(value)) return undefined;
  return (value as { [DESCRIBE_VIEW]: ViewDescriber })[DESCRIBE_VIEW](options);
}

// --- Reading the query text ---

/** Words that end a FROM list or follow a relation without being its alias. */
const NOT_ALIAS = new Set([
  'where', 'group', 'order', 'limit', 'offset', 'having', 'join', 'inner', 'left', 'right', 'full', 'cross', 'natural',
  'on', 'using', 'union', 'except', 'intersect', 'window', 'outer',
]);

const identifierOf = (token: SqlToken | undefined): string | undefined =>
  token?.kind === 'ident' ? token.text : token?.kind === 'word' ? token.text.toLowerCase() : undefined;

/**
 * The relations a view's query reads: every name after FROM or JOIN (and after a comma in a FROM list), subqueries
 * and CTEs included. Table functions (`unnest(...)`) are not relations. A CTE's own name may appear too; callers
 * only match the result against relations they know.
 */
export function viewReads(definition: string): RelationRef[] {
  const tokens = tokenizeSql(definition);
  const found = new Map<string, RelationRef>();
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.kind !== 'word' || !/^(from|join)$/i.test(token.text)) continue;
    let j = i + 1;
    for (;;) {
      const first = identifierOf(tokens[j]);
      if (first === undefined || (tokens[j]!.kind === 'word' && NOT_ALIAS.has(first))) break;
      let relation: RelationRef = { name: first };
      j++;
      if (tokens[j]?.text === '.' && identifierOf(tokens[j + 1]) !== undefined) {
        relation = { schema: first, name: identifierOf(tokens[j + 1])! };
        j += 2;
      }
      if (tokens[j]?.text === '(') break; // a table function
      found.set(relationKey(relation), relation.schema === DEFAULT_SCHEMA ? { name: relation.name } : relation);
      if (tokens[j]?.kind === 'word' && tokens[j]!.text.toLowerCase() === 'as') j += 2;
      else if (identifierOf(tokens[j]) !== undefined && !(tokens[j]!.kind === 'word' && NOT_ALIAS.has(tokens[j]!.text.toLowerCase()))) j++;
      if (tokens[j]?.text !== ',') break;
      j++;
    }
  }
  return [...found.values()];
}

/**
 * True when a view's query names a column: its name as an identifier anywhere in the text (quoted exactly, or
 * unquoted and folded to lower case, as CrateDB folds it), and for an object's sub-column each further key as a
 * string (`"o"['zip']`). Text alone cannot tell which relation an identifier belongs to, so a same-named column of
 * another relation, or an alias, counts too: the kit then refuses rather than leave a view broken.
 */
export function viewNamesColumn(definition: string, path: readonly string[]): boolean {
  const tokens = tokenizeSql(definition);
  if (!tokens.some((token) => identifierOf(token) === path[0])) return false;
  return path.slice(1).every((key) => tokens.some((token) => token.kind === 'string' && token.text === key));
}

/**
 * The views in the order CrateDB needs them created: a view after every view of the list it reads. A cycle is
 * refused: CrateDB accepts one made with CREATE OR REPLACE, after which reading any of its views, every
 * information_schema.tables query and even DROP VIEW fail with a StackOverflowError.
 */
export function orderViews<T extends ViewDefinition>(views: readonly T[]): T[] {
  const byKey = new Map(views.map((view) => [relationKey(view), view]));
  const ordered: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (view: T, path: string[]): void => {
    const key = relationKey(view);
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(key)), key];
      throw new CrateSchemaError(
        { view: view.name },
        'view-cycle',
        `views read each other in a cycle (${cycle.join(' -> ')}); CrateDB would accept it and then fail every query on ` +
          'information_schema.tables with a StackOverflowError. Break the cycle',
      );
    }
    state.set(key, 'visiting');
    for (const read of viewReads(view.definition)) {
      const other = byKey.get(relationKey(read));
      if (other) visit(other, [...path, key]);
    }
    state.set(key, 'done');
    ordered.push(view);
  };
  for (const view of views) visit(view, []);
  return ordered;
}

const CORRUPTED = '/* Corrupted view, needs fix */';

/** CrateDB marks a view whose table was dropped, renamed or lost a column it reads. */
export function isCorruptedView(definition: string): boolean {
  return definition.trimStart().startsWith(CORRUPTED);
}

/**
 * A view's query in a form that two texts CrateDB reads as the same query share: CrateDB stores its own
 * formatting (upper-case keywords, quoted identifiers, no AS before an alias, new lines), not the text it was
 * given, so the kit compares this form. A corrupted view never equals a sound one.
 */
export function normalizeViewDefinition(definition: string): string {
  const text = tokenizeSql(definition)
    .filter((token) => !(token.kind === 'word' && token.text.toLowerCase() === 'as'))
    .map((token) => {
      switch (token.kind) {
        case 'ident':
          return /^[a-z_][a-z0-9_]*$/.test(token.text) ? token.text : quote(token.text);
        case 'word':
          return token.text.toLowerCase();
        case 'string':
          return `'${token.text.replace(/'/g, "''")}'`;
        default:
          return token.text;
      }
    })
    .join(' ');
  return isCorruptedView(definition) ? `${CORRUPTED} ${text}` : text;
}

/**
 * Introspection: TableDefinitions from a live CrateDB. information_schema lists the tables; each table's definition
 * is read from `SHOW CREATE TABLE`, which (unlike information_schema) carries index, analyzer, storage and geo index
 * options, object policies and sub-columns, named full-text indexes and check constraints.
 */
import type { CrateClient } from '../driver/index.js';
import type { ColumnDefinition, ColumnIndex, ColumnType, ObjectPolicy, TableDefinition, TableSettingValue } from '../columns/definition.js';
import { normalizeReportedSettings } from '../tables/settings.js';
import { canonicalTypeName } from '../columns/types.js';
import { DEFAULT_SCHEMA, qualifiedName } from '../shared/sql-text.js';
import { tokenizeSql } from '../shared/sql-tokens.js';
import { canonicalTable } from './snapshot.js';
import { CrateMigrationError } from '../shared/errors.js';
import { introspectViews, type IntrospectedView } from './views.js';

export interface IntrospectOptions {
  schemaFilter?: readonly string[];
  tablesFilter?: (name: string) => boolean;
  /** Tables never reported, as `schema.name` (the migrations table). */
  exclude?: readonly string[];
}

export interface IntrospectedDatabase {
  readonly version: string;
  readonly tables: TableDefinition[];
  /** Views, with the definition CrateDB stores and their columns' types. */
  readonly views: IntrospectedView[];
  /** The shard count CrateDB gives a table created without one: max(4, 2 × data nodes). */
  readonly defaultShards: number;
}

export async function introspect(client: CrateClient, options: IntrospectOptions = {}): Promise<IntrospectedDatabase> {
  const schemas = [...(options.schemaFilter ?? [DEFAULT_SCHEMA])];
  const info = await client.serverInfo();
  const listed = await client.sql(
    `SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema = ANY(?) ORDER BY 1, 2`,
    [schemas],
  );
  const exclude = new Set(options.exclude ?? []);
  const tables: TableDefinition[] = [];
  for (const [schema, name] of listed.rows as [string, string][]) {
    if (exclude.has(`${schema}.${name}`)) continue;
    if (options.tablesFilter && !options.tablesFilter(name)) continue;
    const shown = await client.sql(`SHOW CREATE TABLE ${qualifiedName({ schema, name })}`);
    tables.push(parseShowCreateTable(String(shown.rows[0]![0])));
  }
  const views = await introspectViews(client, schemas, (schema, name) => !exclude.has(`${schema}.${name}`) && (!options.tablesFilter || options.tablesFilter(name)));
  const nodes = await client.sql(`SELECT count(*) FROM sys.nodes`);
  return { version: info.version, tables, views, defaultShards: Math.max(4, 2 * Number(nodes.rows[0]![0])) };
}

export class IntrospectionError extends CrateMigrationError {
  static override readonly errorName: string = 'IntrospectionError';
}

/** Parses CrateDB's `SHOW CREATE TABLE` output into a TableDefinition (canonical form). */
export function parseShowCreateTable(text: string): TableDefinition {
  const tokens = tokenizeSql(text);
  let pos = 0;
  const peek = (offset = 0) => tokens[pos + offset];
  const isWord = (word: string, offset = 0) => peek(offset)?.kind === 'word' && peek(offset)!.text.toUpperCase() === word;
  const isSymbol = (symbol: string, offset = 0) => peek(offset)?.kind === 'symbol' && peek(offset)!.text === symbol;
  const fail = (what: string): never => {
    const token = peek();
    throw new IntrospectionError(`cannot read SHOW CREATE TABLE output: expected ${what} at ${token ? `'${token.text}' (offset ${token.start})` : 'the end'}`);
  };
  const expectWord = (...words: string[]) => {
    for (const word of words) {
      if (!isWord(word)) fail(word);
      pos++;
    }
  };
  const expectSymbol = (symbol: string) => {
    if (!isSymbol(symbol)) fail(`'${symbol}'`);
    pos++;
  };
  const name = (): string => {
    const token = peek();
    if (!token || (token.kind !== 'ident' && token.kind !== 'word')) return fail('a name');
    pos++;
    return token.text;
  };
  const nameList = (): string[] => {
    expectSymbol('(');
    const names = [name()];
    while (isSymbol(',')) {
      pos++;
      names.push(name());
    }
    expectSymbol(')');
    return names;
  };
  /** Raw source text of an expression up to a stop condition at depth 0. */
  const expression = (stop: () => boolean): string => {
    const first = pos;
    let depth = 0;
    while (pos < tokens.length) {
      if (depth === 0 && (isSymbol(',') || isSymbol(')') || stop())) break;
      if (isSymbol('(') || isSymbol('[')) depth++;
      if (isSymbol(')') || isSymbol(']')) depth--;
      pos++;
    }
    if (pos === first) fail('an expression');
    return text.slice(tokens[first]!.start, tokens[pos - 1]!.end).trim();
  };
  const value = (): TableSettingValue => {
    const token = peek();
    if (!token) return fail('a value');
    pos++;
    if (token.kind === 'string') return token.text;
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'symbol' && token.text === '-' && peek()?.kind === 'number') return -Number(tokens[pos++]!.text);
    if (token.kind === 'word' && /^(true|false)$/i.test(token.text)) return token.text.toLowerCase() === 'true';
    return token.text;
  };
  const properties = (): Record<string, TableSettingValue> => {
    expectWord('WITH');
    expectSymbol('(');
    const result: Record<string, TableSettingValue> = {};
    while (!isSymbol(')')) {
      const key = name();
      expectSymbol('=');
      result[key] = value();
      if (isSymbol(',')) pos++;
    }
    expectSymbol(')');
    return result;
  };

  const type = (): ColumnType => {
    if (isWord('OBJECT')) {
      pos++;
      let policy: ObjectPolicy = 'dynamic';
      if (isSymbol('(')) {
        pos++;
        policy = name().toLowerCase() as ObjectPolicy;
        expectSymbol(')');
      }
      const columns: ColumnDefinition[] = [];
      if (isWord('AS')) {
        pos++;
        expectSymbol('(');
        columns.push(column());
        while (isSymbol(',')) {
          pos++;
          columns.push(column());
        }
        expectSymbol(')');
      }
      return { kind: 'object', policy, columns };
    }
    if (isWord('ARRAY')) {
      pos++;
      expectSymbol('(');
      const element = type();
      expectSymbol(')');
      return { kind: 'array', element };
    }
    const words: string[] = [];
    if (isWord('TIMESTAMP') || isWord('TIME')) {
      words.push(peek()!.text);
      pos++;
      if (isWord('WITH') || isWord('WITHOUT')) {
        words.push(peek()!.text);
        pos++;
        expectWord('TIME', 'ZONE');
        words.push('TIME', 'ZONE');
      }
    } else if (isWord('DOUBLE') && isWord('PRECISION', 1)) {
      words.push('DOUBLE', 'PRECISION');
      pos += 2;
    } else if (isWord('CHARACTER') && isWord('VARYING', 1)) {
      words.push('CHARACTER', 'VARYING');
      pos += 2;
    } else words.push(name());
    let args = '';
    if (isSymbol('(')) {
      pos++;
      const parts: string[] = [];
      while (!isSymbol(')')) {
        parts.push(peek()!.text);
        pos++;
        if (isSymbol(',')) pos++;
      }
      pos++;
      args = `(${parts.join(', ')})`;
    }
    return { kind: 'scalar', name: canonicalTypeName(`${words.join(' ')}${args}`) };
  };

  const column = (): ColumnDefinition => {
    const definition: { -readonly [K in keyof ColumnDefinition]: ColumnDefinition[K] } = { name: name(), type: { kind: 'scalar', name: 'TEXT' }, notNull: false };
    definition.type = type();
    const clauseStart = () => isWord('GENERATED') || (isWord('NOT') && isWord('NULL', 1)) || isWord('INDEX') || isWord('STORAGE') || isWord('DEFAULT');
    for (;;) {
      if (isWord('DEFAULT')) {
        pos++;
        definition.default = expression(clauseStart);
      } else if (isWord('GENERATED')) {
        expectWord('GENERATED', 'ALWAYS', 'AS');
        definition.generated = expression(clauseStart);
      } else if (isWord('NOT') && isWord('NULL', 1)) {
        pos += 2;
        definition.notNull = true;
      } else if (isWord('INDEX')) {
        pos++;
        if (isWord('OFF')) {
          pos++;
          definition.index = { method: 'off' };
        } else {
          expectWord('USING');
          const method = name().toLowerCase();
          const options = isWord('WITH') ? properties() : {};
          definition.index = indexOf(method, options);
        }
      } else if (isWord('STORAGE')) {
        pos++;
        const options = properties();
        if (options.columnstore === false) definition.columnstore = false;
      } else break;
    }
    return definition;
  };

  expectWord('CREATE', 'TABLE');
  if (isWord('IF')) expectWord('IF', 'NOT', 'EXISTS');
  let schema: string | undefined;
  let tableName = name();
  if (isSymbol('.')) {
    pos++;
    schema = tableName;
    tableName = name();
  }
  const table: { -readonly [K in keyof TableDefinition]: TableDefinition[K] } = {
    name: tableName,
    columns: [],
    checks: [],
    fulltextIndexes: [],
    partitionedBy: [],
    settings: {},
  };
  if (schema !== undefined) table.schema = schema;
  const columns: ColumnDefinition[] = [];
  const checks: { name?: string; expression: string }[] = [];
  const indexes: { name: string; columns: string[]; analyzer?: string }[] = [];
  expectSymbol('(');
  while (!isSymbol(')')) {
    if (isWord('PRIMARY') || (isWord('CONSTRAINT') && isWord('PRIMARY', 2))) {
      let constraintName: string | undefined;
      if (isWord('CONSTRAINT')) {
        pos++;
        constraintName = name();
      }
      expectWord('PRIMARY', 'KEY');
      const keyColumns = nameList();
      table.primaryKey = constraintName === undefined ? { columns: keyColumns } : { name: constraintName, columns: keyColumns };
    } else if (isWord('CONSTRAINT') || isWord('CHECK')) {
      let constraintName: string | undefined;
      if (isWord('CONSTRAINT')) {
        pos++;
        constraintName = name();
      }
      expectWord('CHECK');
      expectSymbol('(');
      const check = expression(() => false);
      expectSymbol(')');
      checks.push(constraintName === undefined ? { expression: check } : { name: constraintName, expression: check });
    } else if (isWord('INDEX') && peek(1)?.kind !== 'word') {
      pos++;
      const indexName = name();
      expectWord('USING');
      const method = name().toLowerCase();
      expectSymbol('(');
      const indexColumns = [expression(() => false)];
      while (isSymbol(',')) {
        pos++;
        indexColumns.push(expression(() => false));
      }
      expectSymbol(')');
      const options = isWord('WITH') ? properties() : {};
      if (method !== 'fulltext') throw new IntrospectionError(`index "${indexName}" uses ${method}; only named FULLTEXT indexes are supported`);
      const analyzer = options.analyzer === undefined ? undefined : String(options.analyzer);
      indexes.push(analyzer === undefined ? { name: indexName, columns: indexColumns } : { name: indexName, columns: indexColumns, analyzer });
    } else {
      columns.push(column());
    }
    if (isSymbol(',')) pos++;
    else if (!isSymbol(')')) fail("',' or ')'");
  }
  expectSymbol(')');
  table.columns = columns;
  table.checks = checks;
  table.fulltextIndexes = indexes;
  let clusteredBy: { column?: string; shards?: number } | undefined;
  while (pos < tokens.length) {
    if (isWord('CLUSTERED')) {
      pos++;
      clusteredBy = {};
      if (isWord('BY')) {
        pos++;
        expectSymbol('(');
        clusteredBy.column = name();
        expectSymbol(')');
      }
      if (isWord('INTO')) {
        pos++;
        clusteredBy.shards = Number(peek()!.text);
        pos++;
        expectWord('SHARDS');
      }
    } else if (isWord('PARTITIONED')) {
      expectWord('PARTITIONED', 'BY');
      table.partitionedBy = nameList();
    } else if (isWord('WITH')) {
      table.settings = properties();
    } else if (isSymbol(';')) pos++;
    else fail('CLUSTERED, PARTITIONED or WITH');
  }
  if (clusteredBy) table.clusteredBy = clusteredBy;
  // Settings CrateDB always prints, at their defaults, carry no information.
  table.settings = normalizeReportedSettings(table.settings);
  return canonicalTable(table);
}

function indexOf(method: string, options: Record<string, TableSettingValue>): ColumnIndex {
  switch (method) {
    case 'plain':
      return { method: 'plain' };
    case 'fulltext':
      return options.analyzer === undefined ? { method: 'fulltext' } : { method: 'fulltext', analyzer: String(options.analyzer) };
    case 'geohash':
    case 'quadtree':
    case 'bkdtree': {
      const index: { method: typeof method; precision?: string; distanceErrorPct?: number; treeLevels?: number } = { method };
      if (options.precision !== undefined) index.precision = String(options.precision);
      if (options.distance_error_pct !== undefined) index.distanceErrorPct = Number(options.distance_error_pct);
      if (options.tree_levels !== undefined) index.treeLevels = Number(options.tree_levels);
      return index;
    }
    default:
      throw new IntrospectionError(`unknown index method ${method}`);
  }
}

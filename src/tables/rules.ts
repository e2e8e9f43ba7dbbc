/**
 * CrateDB's rules for CREATE TABLE, checked on a {@link TableDefinition} before anything is sent. Both Drizzle lines
 * run them when a table is defined, and again when its DDL is rendered (then with lazily given expressions
 * resolved). Each rule lives here once; the error names the table, the column (a path for sub-columns) and the rule.
 *
 * Identifier rules are CrateDB 6.4's (crate/crate: RelationName.ensureValidName, IndexName.validate with
 * Strings.INVALID_FILENAME_CHARS, ColumnIdent.validateColumnName / validateObjectKey, SysColumns.NAMES), as measured
 * on a real server.
 */
import { CrateSchemaError, type SchemaRule } from '../shared/errors.js';
import { referencedColumns } from '../shared/expressions.js';
import type { ColumnDefinition, ColumnType, TableDefinition } from '../columns/definition.js';
import { DEFAULT_SCHEMA } from '../shared/sql-text.js';
import { typeSql } from './ddl.js';
import { capabilitiesOf, elementScalar } from '../columns/types.js';

/** Characters CrateDB refuses in table and schema names (besides `.`, which separates schema and table). */
const INVALID_RELATION_CHARS = ['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#'];
/** System columns every table has; a column of the same name is refused. Sub-columns may use these names. */
export const SYSTEM_COLUMNS: ReadonlySet<string> = new Set([
  '_id',
  '_version',
  '_score',
  '_uid',
  '_doc',
  '_raw',
  '_seq_no',
  '_primary_term',
  '_tombstone',
  '_fetchid',
  '_docid',
]);

/**
 * Why CrateDB would refuse this table or schema name on its own, or undefined when it takes it. The start and length
 * rules apply to the name of the table's index, which depends on the schema: see {@link tableNameProblem}.
 */
export function relationNameProblem(name: string): string | undefined {
  if (name === '') return 'the name is empty';
  if (name.includes('.')) return "CrateDB names cannot contain '.' (it separates schema and table)";
  const bad = INVALID_RELATION_CHARS.filter((char) => name.includes(char));
  if (bad.length) return `CrateDB names cannot contain ${bad.map((char) => (char === ' ' ? 'a space' : `'${char}'`)).join(', ')}`;
  return undefined;
}

/**
 * Why CrateDB would refuse this table in this schema. A table's index is named `schema.table`, or just `table` in
 * the `doc` schema, and that name may not start with '-' or '+' nor exceed 255 bytes (measured on 6.4.3: `s1."-x"` is
 * taken, `doc."-x"` refused). A table defined without a schema is judged as in `doc`, where most tables live.
 */
export function tableNameProblem(name: string, schema: string | undefined): string | undefined {
  const own = relationNameProblem(name) ?? (schema === undefined ? undefined : relationNameProblem(schema));
  if (own) return own;
  const inDoc = schema === undefined || schema === DEFAULT_SCHEMA;
  const indexName = inDoc ? name : `${schema}.${name}`;
  const where = inDoc ? `a table in the ${DEFAULT_SCHEMA} schema` : `the schema`;
  if (/^[-+]/.test(indexName)) return `${where} cannot start with '-' or '+'${inDoc ? ' (CrateDB takes such a name in another schema)' : ''}`;
  if (new TextEncoder().encode(indexName).length > 255) {
    return inDoc ? 'the name is longer than 255 bytes' : `schema and table name together ("${indexName.slice(0, 20)}...") are longer than 255 bytes`;
  }
  return undefined;
}

/** Why CrateDB would refuse this column name (`topLevel`) or object key, or undefined when it takes it. */
export function columnNameProblem(name: string, topLevel: boolean): string | undefined {
  if (name === '') return 'the name is empty';
  if (name.includes('.')) return "column names cannot contain '.' (CrateDB reads it as an object path)";
  if (name.includes('[')) return "column names cannot contain '[' (CrateDB reads it as a subscript)";
  if (/[\t\n\r]/.test(name)) return 'column names cannot contain a tab, newline or carriage return';
  if (topLevel && SYSTEM_COLUMNS.has(name)) return `"${name}" is a CrateDB system column; choose another name`;
  return undefined;
}

/** Checks a table name in its schema (undefined: the connection's default, judged as `doc`). */
export function checkTableName(name: string, schema: string | undefined): void {
  const problem = tableNameProblem(name, schema);
  if (problem) throw new CrateSchemaError({ table: name }, 'identifier', `${JSON.stringify(name)} is not a valid name: ${problem}`);
}

/** Checks a schema name; `place` says where it was given (for the error). */
export function checkSchemaName(name: string, place: { table?: string; option: string }): void {
  const problem = schemaNameProblem(name);
  if (problem) throw new CrateSchemaError(place, 'identifier', `${JSON.stringify(name)} is not a valid schema name: ${problem}`);
}

/** A schema name starts the index name of each of its tables, so the start rule applies to it alone. */
export function schemaNameProblem(name: string): string | undefined {
  return relationNameProblem(name) ?? (/^[-+]/.test(name) ? "a schema name cannot start with '-' or '+'" : undefined);
}

export interface RuleOptions {
  /** Generated expressions given as functions that were not resolved yet: their references are checked later. */
  readonly unresolvedGenerated?: ReadonlySet<string>;
}

/** Runs every rule; throws the first broken one. */
export function checkTable(table: TableDefinition, options: RuleOptions = {}): void {
  const where = (column?: string, option?: string) => ({ table: table.name, column, option });
  const fail: Fail = (rule, message, column, option) => {
    throw new CrateSchemaError(where(column, option), rule, message);
  };

  if (table.schema !== undefined) checkSchemaName(table.schema, { table: table.name, option: 'schema' });
  checkTableName(table.name, table.schema);

  const seen = new Set<string>();
  for (const column of table.columns) {
    if (seen.has(column.name)) fail('duplicate-name', 'two columns have this name (after casing); rename one of them', column.name);
    seen.add(column.name);
    checkColumn(column, column.name, true, fail);
  }

  const byName = new Map(table.columns.map((column) => [column.name, column]));
  const keyColumns = new Set(table.primaryKey?.columns ?? []);
  for (const name of keyColumns) {
    const column = byName.get(name);
    if (!column) fail('key-type', 'primaryKey() names a column this table does not have', name);
    if (!capabilitiesOf(column.type).key) {
      fail('key-type', `${typeSql(column.type)} cannot be part of a PRIMARY KEY (CrateDB refuses object, geo, vector and array keys)`, name);
    }
  }

  const clustered = table.clusteredBy?.column;
  if (clustered !== undefined) {
    const column = byName.get(clustered);
    if (!column) fail('clustered-by', 'clusteredBy() names a column this table does not have', clustered);
    if (!capabilitiesOf(column.type).key) fail('clustered-by', `cannot route by ${typeSql(column.type)}: CLUSTERED BY takes a primitive column`, clustered);
    if (keyColumns.size > 0 && !keyColumns.has(clustered)) fail('clustered-by', 'the CLUSTERED BY column must be part of the primary key', clustered);
  }

  for (const name of table.partitionedBy) {
    const column = byName.get(name);
    if (!column) fail('partitioned-by', 'partitionedBy() names a column this table does not have', name);
    if (!capabilitiesOf(column.type).partition) {
      fail('partitioned-by', `cannot partition by ${typeSql(column.type)}: partition columns must be primitive types other than UUID`, name);
    }
    if (keyColumns.size > 0 && !keyColumns.has(name)) {
      fail('partitioned-by', 'a PARTITIONED BY column must be part of the primary key when the table has one; add it to primaryKey({ columns })', name);
    }
    if (name === clustered) fail('partitioned-by', 'a column cannot be both CLUSTERED BY and PARTITIONED BY', name);
    if (column.index?.method === 'fulltext') fail('partitioned-by', 'a PARTITIONED BY column cannot have a full-text index', name);
    if (column.columnstore === false) fail('partitioned-by', 'a PARTITIONED BY column cannot turn off its columnstore', name);
  }

  for (const index of table.fulltextIndexes) {
    if (byName.has(index.name)) fail('duplicate-name', `fulltextIndex('${index.name}') has the same name as a column`, index.name);
    for (const source of index.columns) {
      const column = byName.get(unquoted(source) ?? '');
      if (column && !capabilitiesOf(column.type).fulltext) {
        fail(
          'fulltext',
          `fulltextIndex('${index.name}') can only index TEXT or ARRAY(TEXT) columns; CrateDB refuses ${typeSql(column.type)} as a source`,
          column.name,
        );
      }
    }
  }

  checkGeneratedReferences(table, options.unresolvedGenerated ?? new Set(), fail);
}

type Fail = (rule: SchemaRule, message: string, column?: string, option?: string) => never;

/** Column clauses against what the column's type allows; sub-columns are checked under their path. */
function checkColumn(column: ColumnDefinition, path: string, topLevel: boolean, fail: Fail): void {
  const problem = columnNameProblem(column.name, topLevel);
  if (problem) fail('identifier', problem, path);
  const capabilities = capabilitiesOf(column.type);
  const type = shortType(column.type);
  if (column.type.kind === 'array' && elementScalar(column.type)?.startsWith('FLOAT_VECTOR')) {
    fail('array-element', 'FLOAT_VECTOR cannot be an array element in CrateDB; store one vector per row', path);
  }
  const method = column.index?.method;
  if (method === 'off' && !capabilities.indexOff) fail('column-clause', `indexOff() (INDEX OFF) is not allowed: CrateDB cannot turn off the index of ${type}`, path);
  if (method === 'fulltext' && !capabilities.fulltext) {
    fail('column-clause', `fulltext() is not allowed: only TEXT columns (not ${type}) can have a full-text index`, path);
  }
  if ((method === 'geohash' || method === 'quadtree' || method === 'bkdtree') && !capabilities.geoIndex) {
    fail('column-clause', `a ${method} index is for GEO_SHAPE columns, not ${type}`, path);
  }
  if (column.columnstore === false && !capabilities.columnstore) {
    fail('column-clause', `columnstore() is not allowed: CrateDB only accepts the columnstore option on TEXT, numeric and TIMESTAMP columns (not ${type})`, path);
  }
  if (column.default !== undefined && !capabilities.default) {
    fail('default', 'CrateDB does not allow a DEFAULT on an OBJECT column; put defaults on its sub-columns instead', path);
  }
  if (column.default !== undefined && column.generated !== undefined) fail('generated', 'a generated column cannot also have a DEFAULT', path);
  const object = column.type.kind === 'object' ? column.type : column.type.kind === 'array' && column.type.element.kind === 'object' ? column.type.element : undefined;
  for (const sub of object?.columns ?? []) {
    const subPath = `${path}['${sub.name}']`;
    if (sub.generated !== undefined) fail('object-sub-column', 'generated sub-columns are not supported inside objects; generate a top-level column instead', subPath);
    checkColumn(sub, subPath, false, fail);
  }
}

/**
 * CrateDB refuses a generated column whose expression references another generated column. Checked on the rendered
 * text, so expressions written as raw SQL (`sql\`b + 1\``) are caught as well as those built from column objects.
 */
function checkGeneratedReferences(table: TableDefinition, unresolved: ReadonlySet<string>, fail: Fail): void {
  const generated = new Set(table.columns.filter((column) => column.generated !== undefined || unresolved.has(column.name)).map((column) => column.name));
  for (const column of table.columns) {
    if (column.generated === undefined) continue;
    for (const name of referencedColumns(column.generated)) {
      if (generated.has(name) && name !== column.name) {
        fail(
          'generated',
          `the generated expression references generated column "${name}"; CrateDB does not allow generated columns to reference ` +
            'each other: repeat the other expression instead',
          column.name,
        );
      }
    }
  }
}

/** `"name"` → `name`; undefined for an expression. */
function unquoted(source: string): string | undefined {
  const match = /^"((?:[^"]|"")*)"$/.exec(source.trim());
  return match ? match[1]!.replace(/""/g, '"') : undefined;
}

/** A type for messages: objects without their sub-columns. */
function shortType(type: ColumnType): string {
  if (type.kind === 'object') return `OBJECT(${type.policy.toUpperCase()})`;
  if (type.kind === 'array') return `ARRAY(${shortType(type.element)})`;
  return elementScalar(type) ?? type.name;
}

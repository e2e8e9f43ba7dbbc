/**
 * pull: TableDefinitions → a `schema.ts` of drizzle-cratedb builders. Every column keeps its database name
 * (`text('first_name')`), so the file describes the same tables whatever `casing` the project uses.
 */
import type { ColumnDefinition, ColumnType, TableDefinition } from '../columns/definition.js';
import { canonicalTypeName, COLUMN_TYPES, scalarFamily, typeParameters, type PullSpelling } from '../columns/types.js';
import { referencedIdentifiers } from '../shared/expressions.js';
import { CrateKitError } from '../shared/errors.js';
import { DEFAULT_SCHEMA, quote } from '../shared/sql-text.js';
import { orderViews, type ViewDefinition } from '../tables/views.js';

/** A view as pull writes it: its stored query and its columns' types. */
export interface PulledView extends ViewDefinition {
  readonly columns: readonly { readonly name: string; readonly type: ColumnType }[];
}

export interface PullOptions {
  /**
   * Shard count to leave out (the server's default). `pull` keeps every count, so the file agrees with its baseline
   * migration; this is for tools that want a file without the cluster's default.
   */
  defaultShards?: number;
  /** Module the builders are imported from. Default `drizzle-cratedb`. */
  importFrom?: string;
  /**
   * How keys and variables are named: `camel` (`firstName`, the default) or `preserve` (the database's own
   * `first_name`), as drizzle-kit's `--introspect-casing`. Column names in the builders are the database's either way.
   */
  casing?: 'camel' | 'preserve';
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const RESERVED = new Set(['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let', 'static', 'enum', 'await', 'implements', 'package', 'protected', 'interface', 'private', 'public']);

/** `first_name` → `firstName`; anything that is no identifier gets a safe spelling. */
export function camelCase(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  let result = words.map((word, i) => (i === 0 ? word.charAt(0).toLowerCase() + word.slice(1) : word.charAt(0).toUpperCase() + word.slice(1))).join('');
  if (!result) result = 'column';
  if (/^[0-9]/.test(result)) result = `_${result}`;
  if (RESERVED.has(result)) result = `${result}_`;
  return result;
}

const str = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const propertyKey = (key: string) => (IDENTIFIER.test(key) ? key : str(key));
const sqlTemplate = (text: string) => `sql\`${text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``;

function literalValue(value: unknown): string {
  return typeof value === 'string' ? str(value) : String(value);
}

interface Imports {
  builders: Set<string>;
  sql: boolean;
}

function builderFor(name: string | undefined, type: ColumnType, column: ColumnDefinition, imports: Imports, indent: string): string {
  const nameArg = name === undefined ? '' : str(name);
  const withName = (config?: string) => (config ? (nameArg ? `${nameArg}, ${config}` : config) : nameArg);
  const use = (builder: string) => {
    imports.builders.add(builder);
    return builder;
  };
  switch (type.kind) {
    case 'object': {
      const policy = type.policy;
      const defaultPolicy = type.columns.length ? 'strict' : 'dynamic';
      const parts: string[] = [];
      if (policy !== defaultPolicy) parts.push(`policy: '${policy}'`);
      if (type.columns.length) {
        const inner = type.columns.map((sub) => `${indent}    ${propertyKey(sub.name)}: ${columnExpression(undefined, sub, imports, `${indent}    `)},`);
        parts.push(`columns: {\n${inner.join('\n')}\n${indent}  }`);
      }
      return `${use('object')}(${withName(parts.length ? `{ ${parts.join(', ')} }` : undefined)})`;
    }
    case 'array': {
      let element: ColumnType = type.element;
      let depth = 1;
      for (; element.kind === 'array'; depth++) element = element.element;
      if (depth === 1 && element.kind === 'object') {
        const object = builderFor(name, element, column, imports, indent);
        return object.replace(/^object\(/, `${use('objectArray')}(`);
      }
      // Nested arrays in one call, '[][]': Drizzle v1's only form, which the 0.45 entry takes too.
      const dimensions = depth === 1 ? '' : `'${'[]'.repeat(depth)}'`;
      return `${builderFor(name, element, column, imports, indent)}${elementClauses(column, element)}.array(${dimensions})`;
    }
    case 'scalar': {
      const typeName = canonicalTypeName(type.name);
      const family = scalarFamily(typeName);
      const spelling: PullSpelling | undefined = family && COLUMN_TYPES[family].pull;
      if (!family || !spelling) {
        throw new CrateKitError(
          `pull: column "${column.name}" is of type ${typeName}, which no drizzle-cratedb builder declares; leave its table out with tablesFilter and declare it by hand`,
        );
      }
      const parameters = typeParameters(typeName);
      const options = [
        ...Object.entries(spelling.options ?? {}).map(([key, value]) => `${key}: ${value}`),
        ...(spelling.parameters ?? []).flatMap((key, i) => (parameters[i] === undefined ? [] : [`${key}: ${parameters[i]}`])),
        ...(COLUMN_TYPES[family].allows.geoIndex ? geoIndexOptions(column) : []),
      ];
      return `${use(spelling.builder)}(${withName(options.length ? `{ ${options.join(', ')} }` : undefined)})`;
    }
  }
}

/** A geo shape's index, as its builder takes it: the column's own, not its type's. */
function geoIndexOptions(column: ColumnDefinition): string[] {
  const index = column.index;
  if (!index || index.method === 'off' || index.method === 'plain' || index.method === 'fulltext') return [];
  const parts = [`index: '${index.method}'`];
  if (index.precision !== undefined) parts.push(`precision: ${str(index.precision)}`);
  if (index.distanceErrorPct !== undefined) parts.push(`distanceErrorPct: ${index.distanceErrorPct}`);
  return parts;
}

/** Index and storage clauses, written on the scalar (before `.array()`, which carries them to the array column). */
function elementClauses(column: ColumnDefinition, type: ColumnType): string {
  if (type.kind !== 'scalar') return '';
  let text = '';
  if (column.index?.method === 'off') text += '.indexOff()';
  if (column.index?.method === 'fulltext') text += column.index.analyzer ? `.fulltext({ analyzer: ${str(column.index.analyzer)} })` : '.fulltext()';
  if (column.columnstore === false) text += '.columnstore(false)';
  return text;
}

function columnExpression(name: string | undefined, column: ColumnDefinition, imports: Imports, indent: string, primary = false): string {
  let text = builderFor(name, column.type, column, imports, indent);
  if (column.type.kind === 'scalar') text += elementClauses(column, column.type);
  if (primary) text += '.primaryKey()';
  else if (column.notNull) text += '.notNull()';
  if (column.default !== undefined) {
    imports.sql = true;
    text += `.default(${sqlTemplate(column.default)})`;
  }
  if (column.generated !== undefined) {
    imports.sql = true;
    text += `.generatedAlwaysAs(${sqlTemplate(column.generated)})`;
  }
  return text;
}

/** The TypeScript source of a schema file describing the tables. */
export function writeSchemaSource(tables: readonly TableDefinition[], options: PullOptions = {}, views: readonly PulledView[] = []): string {
  // A preserved name still has to be a usable identifier for a variable; keys only need quoting.
  const keyName = options.casing === 'preserve' ? (name: string) => name : camelCase;
  const variableName = options.casing === 'preserve' ? (name: string) => (IDENTIFIER.test(name) && !RESERVED.has(name) ? name : camelCase(name)) : camelCase;
  const imports: Imports = { builders: new Set(), sql: false };
  const schemas = new Map<string, string>();
  const usedNames = new Set<string>();
  const unique = (base: string) => {
    let name = base;
    for (let i = 2; usedNames.has(name); i++) name = `${base}${i}`;
    usedNames.add(name);
    return name;
  };
  const bodies: string[] = [];
  for (const table of [...tables, ...views]) {
    const schema = table.schema && table.schema !== DEFAULT_SCHEMA ? table.schema : undefined;
    if (schema && !schemas.has(schema)) schemas.set(schema, unique(`${camelCase(schema)}Schema`));
  }
  for (const table of tables) {
    const schema = table.schema && table.schema !== DEFAULT_SCHEMA ? table.schema : undefined;
    const variable = unique(variableName(table.name));
    const keys = new Map<string, string>();
    const keyNames = new Set<string>();
    for (const column of table.columns) {
      let key = keyName(column.name);
      for (let i = 2; keyNames.has(key); i++) key = `${keyName(column.name)}${i}`;
      keyNames.add(key);
      keys.set(column.name, key);
    }
    const inlinePk = table.primaryKey && table.primaryKey.columns.length === 1 && !table.primaryKey.name ? table.primaryKey.columns[0] : undefined;
    const columns = table.columns.map(
      (column) => `  ${propertyKey(keys.get(column.name)!)}: ${columnExpression(column.name, column, imports, '  ', column.name === inlinePk)},`,
    );
    const ref = (name: string) => {
      const key = keys.get(name);
      if (!key) throw new CrateKitError(`pull: table "${table.name}" names a column it does not have, "${name}", in its key, partitioning or index`);
      return IDENTIFIER.test(key) ? `t.${key}` : `t[${str(key)}]`;
    };
    const extras: string[] = [];
    if (table.primaryKey && inlinePk === undefined) {
      imports.builders.add('primaryKey');
      const name = table.primaryKey.name ? `name: ${str(table.primaryKey.name)}, ` : '';
      extras.push(`primaryKey({ ${name}columns: [${table.primaryKey.columns.map(ref).join(', ')}] })`);
    }
    for (const check of table.checks) {
      imports.builders.add('check');
      imports.sql = true;
      extras.push(`check(${str(check.name ?? `${table.name}_check`)}, ${sqlTemplate(check.expression)})`);
    }
    for (const index of table.fulltextIndexes) {
      imports.builders.add('fulltextIndex');
      const columnsText = index.columns.map((expression) => {
        const identifiers = referencedIdentifiers(expression);
        if (identifiers.length === 1 && expression.trim() === quote(identifiers[0]!) && keys.has(identifiers[0]!)) return ref(identifiers[0]!);
        imports.sql = true;
        return sqlTemplate(expression);
      });
      extras.push(`fulltextIndex(${str(index.name)}).on(${columnsText.join(', ')})${index.analyzer ? `.with({ analyzer: ${str(index.analyzer)} })` : ''}`);
    }
    const shards = table.clusteredBy?.shards !== undefined && table.clusteredBy.shards !== options.defaultShards ? table.clusteredBy.shards : undefined;
    if (table.clusteredBy?.column !== undefined || shards !== undefined) {
      imports.builders.add('clusteredBy');
      const parts: string[] = [];
      if (table.clusteredBy?.column !== undefined) parts.push(`column: ${ref(table.clusteredBy.column)}`);
      if (shards !== undefined) parts.push(`shards: ${shards}`);
      extras.push(`clusteredBy({ ${parts.join(', ')} })`);
    }
    if (table.partitionedBy.length) {
      imports.builders.add('partitionedBy');
      extras.push(`partitionedBy(${table.partitionedBy.map(ref).join(', ')})`);
    }
    const settings = Object.entries(table.settings);
    if (settings.length) {
      imports.builders.add('withOptions');
      extras.push(`withOptions({ ${settings.map(([key, value]) => `${propertyKey(key)}: ${literalValue(value)}`).join(', ')} })`);
    }
    const factory = schema ? `${schemas.get(schema)}.table` : (imports.builders.add('crateTable'), 'crateTable');
    const extraText = extras.length ? `,\n  (t) => [\n${extras.map((extra) => `    ${extra},`).join('\n')}\n  ]` : '';
    bodies.push(`export const ${variable} = ${factory}(\n  ${str(table.name)},\n  {\n${columns.map((c) => `  ${c}`).join('\n')}\n  }${extraText},\n);`);
  }
  // Views last, each after the views it reads, so a view can name another's variable if edited to.
  for (const view of orderViews(views)) {
    const schema = view.schema && view.schema !== DEFAULT_SCHEMA ? view.schema : undefined;
    const variable = unique(variableName(view.name));
    const keyNames = new Set<string>();
    const columns = view.columns.map((column) => {
      let key = keyName(column.name);
      for (let i = 2; keyNames.has(key); i++) key = `${keyName(column.name)}${i}`;
      keyNames.add(key);
      return `    ${propertyKey(key)}: ${columnExpression(column.name, { name: column.name, type: column.type, notNull: false }, imports, '    ')},`;
    });
    imports.sql = true;
    const factory = schema ? `${schemas.get(schema)}.view` : (imports.builders.add('crateView'), 'crateView');
    // CrateDB's own text of the query, kept as it is, so the pulled view diffs clean against the database.
    bodies.push(`export const ${variable} = ${factory}(${str(view.name)}, {\n${columns.join('\n')}\n}).as(\n  ${sqlTemplate(view.definition)},\n);`);
  }
  if (schemas.size) imports.builders.add('crateSchema');
  const lines = ['// Written by drizzle-cratedb pull from the live database.'];
  if (imports.sql) lines.push("import { sql } from 'drizzle-orm';");
  lines.push(`import { ${[...imports.builders].sort().join(', ')} } from '${options.importFrom ?? 'drizzle-cratedb'}';`, '');
  for (const [schema, variable] of schemas) lines.push(`export const ${variable} = crateSchema(${str(schema)});`, '');
  return `${lines.join('\n')}${bodies.join('\n\n')}\n`;
}

/**
 * Turns the config's `schema` (files, folders, globs) into the crateTables they export, and those into
 * TableDefinitions.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Casing } from '../shared/casing.js';
import type { TableDefinition } from '../columns/definition.js';
import { describeRegisteredTable, isRegisteredTable } from '../tables/registry.js';
import { describeRegisteredView, isRegisteredView, type ViewDefinition } from '../tables/views.js';
import { CrateRuntimeError } from '../shared/errors.js';
import { ConfigError, globToRegExp, importModule } from './config.js';

const SOURCE = /\.(?:[mc]?ts|tsx|[mc]?js|jsx)$/;
const SKIP_DIRS = new Set(['node_modules', '.git', 'dist']);

/** The files a `schema` entry names: a file, every source file under a folder, or the files a glob matches. */
export function resolveSchemaFiles(patterns: readonly string[], root: string): string[] {
  const files = new Set<string>();
  for (const pattern of patterns) {
    const found: string[] = [];
    if (/[*?{]/.test(pattern)) {
      const normalized = pattern.replace(/\\/g, '/').replace(/^\.\//, '');
      const segments = normalized.split('/');
      const firstGlob = segments.findIndex((segment) => /[*?{]/.test(segment));
      const base = resolve(root, segments.slice(0, firstGlob).join('/') || '.');
      const matcher = globToRegExp(segments.slice(firstGlob).join('/'));
      for (const file of walk(base)) {
        if (matcher.test(relative(base, file).split(sep).join('/'))) found.push(file);
      }
    } else {
      const path = resolve(root, pattern);
      if (!existsSync(path)) throw new ConfigError(`schema: ${pattern} does not exist`);
      if (statSync(path).isDirectory()) found.push(...walk(path).filter((file) => SOURCE.test(file) && !file.endsWith('.d.ts')));
      else found.push(path);
    }
    if (found.length === 0) throw new ConfigError(`schema: ${pattern} matches no file`);
    for (const file of found.sort()) files.add(file);
  }
  return [...files];
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const result: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) result.push(...walk(join(dir, entry.name)));
    } else result.push(join(dir, entry.name));
  }
  return result;
}

export interface LoadedSchema {
  readonly files: readonly string[];
  /** The crateTables exported, of either Drizzle line. */
  readonly tables: readonly object[];
  /** The views made with crateView(...).as(...), of either line. */
  readonly views: readonly object[];
}

/** Imports the schema files and collects the crateTables they export (each table once). */
export async function loadSchemaTables(patterns: readonly string[], root: string): Promise<LoadedSchema> {
  if (patterns.length === 0) throw new ConfigError("schema is missing from the config: name the file, folder or glob with your crateTable()s, e.g. schema: './src/schema.ts'");
  const files = resolveSchemaFiles(patterns, root);
  const tables: object[] = [];
  const views: object[] = [];
  const seen = new Set<unknown>();
  for (const file of files) {
    let module: Record<string, unknown>;
    try {
      module = await importModule(file);
    } catch (error) {
      if (error instanceof CrateRuntimeError) throw error;
      throw new ConfigError(`could not load schema file ${relative(root, file)}: ${(error as Error).message}`);
    }
    for (const [name, value] of Object.entries(module)) {
      if (seen.has(value)) continue;
      seen.add(value);
      if (isRegisteredTable(value)) tables.push(value as object);
      else if (isRegisteredView(value)) views.push(value as object);
      else if (isDrizzleTable(value)) {
        throw new ConfigError(
          `${relative(root, file)}: export '${name}' is a Drizzle table, not a crateTable; declare it with crateTable() from drizzle-cratedb ` +
            '(or two copies of drizzle-cratedb are installed)',
        );
      }
    }
  }
  return { files, tables, views };
}

/** TableDefinitions and ViewDefinitions of every crateTable and crateView in the schema files. */
export async function loadSchemaModel(patterns: readonly string[], root: string, casing?: Casing): Promise<{ tables: TableDefinition[]; views: ViewDefinition[] }> {
  const loaded = await loadSchemaTables(patterns, root);
  return {
    tables: loaded.tables.map((table) => describeRegisteredTable(table, { casing })!),
    views: loaded.views.map((view) => describeRegisteredView(view, { casing })!),
  };
}

/** TableDefinitions of every crateTable in the schema files. */
export async function loadSchemaDefinitions(patterns: readonly string[], root: string, casing?: Casing): Promise<TableDefinition[]> {
  const { tables } = await loadSchemaTables(patterns, root);
  return tables.map((table) => describeRegisteredTable(table, { casing })!);
}

/** A Drizzle table of any dialect or line: it carries Drizzle's registered name symbol. */
function isDrizzleTable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Record<symbol, unknown>)[Symbol.for('drizzle:Name')] === 'string';
}

/**
 * `instanceof` on the error classes: true for exactly a class and its ancestors, checked for every error class against
 * every other, and across two copies of the package (the ESM and CommonJS builds, or two versions side by side).
 *
 * The classes are not listed by hand: they are what the package's public entries (package.json `exports`) and the
 * modules of src/ export, so a new class is checked as soon as it exists. Only how to construct one is listed, and a
 * class missing from that table fails the test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CrateError } from '../../src/shared/errors.js';
import { LINES } from '../../src/lines/manifest.js';
import { currentLine } from '../support/lines.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each class takes its own arguments
type ErrorClass = new (...args: any[]) => Error;

const root = resolve(import.meta.dirname, '..', '..');
const src = join(root, 'src');

/** The public entries on this run's Drizzle line, as a user imports them (vitest's aliases lead them to src/). */
function publicEntries(): string[] {
  const exports = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports;
  return Object.keys(exports)
    .filter((subpath) => subpath !== './package.json')
    // Another line's own entries load its drizzle-orm, which this run does not resolve; that line's run checks them.
    .filter((subpath) => !otherLinePrefixes().some((prefix) => subpath === prefix || subpath.startsWith(`${prefix}/`)))
    .map((subpath) => (subpath === '.' ? 'drizzle-cratedb' : `drizzle-cratedb/${subpath.slice(2)}`));
}

/** The subpaths of the other lines' entries ('./v1' on 0.45); the unprefixed ones serve every run's line. */
function otherLinePrefixes(): string[] {
  return LINES.filter((line) => line.id !== currentLine() && line.entry.subpath !== '.').map((line) => line.entry.subpath);
}

/**
 * The modules of src/ that declare an error class, found from the text: a class extending `Error`, or extending a
 * class that does. Internal classes (the kit's JournalError, ...) reach users too, through the CLI.
 */
function modulesDeclaringErrors(): string[] {
  const otherLines = LINES.filter((line) => line.id !== currentLine()).map((line) => `lines/${line.folder}/`);
  const files = readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !otherLines.some((folder) => relative(src, file).split(/[\\/]/).join('/').startsWith(folder)));
  const declared = files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/^(?:export\s+)?class\s+(\w+)\s+extends\s+(\w+)/gm)].map((match) => ({ file, name: match[1]!, base: match[2]! })),
  );
  const errors = new Set(['Error']);
  for (let grew = true; grew; ) {
    grew = false;
    for (const { name, base } of declared) {
      if (errors.has(base) && !errors.has(name)) {
        errors.add(name);
        grew = true;
      }
    }
  }
  return [...new Set(declared.filter(({ name }) => errors.has(name)).map(({ file }) => file))];
}

/** The error classes a set of modules exports, by name; two different classes of one name fail the test. */
async function errorClasses(specifiers: readonly string[]): Promise<Map<string, ErrorClass>> {
  const found = new Map<string, ErrorClass>();
  for (const specifier of specifiers) {
    const module = (await import(specifier)) as Record<string, unknown>;
    for (const value of Object.values(module)) {
      if (typeof value !== 'function' || !(value.prototype instanceof Error)) continue;
      const type = value as ErrorClass;
      const known = found.get(type.name);
      if (known !== undefined && known !== type) throw new Error(`two error classes are named ${type.name} (one in ${specifier})`);
      found.set(type.name, type);
    }
  }
  return found;
}

/** The classes a class extends, itself first, by the prototype chain (what `instanceof` would say without brands). */
function lineage(type: ErrorClass): ErrorClass[] {
  const chain: ErrorClass[] = [];
  for (let current: unknown = type; current !== Function.prototype; current = Object.getPrototypeOf(current)) chain.push(current as ErrorClass);
  return chain;
}

/** By the prototype chain: `instanceof` asks a prototype for a brand that only instances carry. */
const isCrateErrorClass = (type: ErrorClass): type is ErrorClass & typeof CrateError =>
  type === (CrateError as unknown) || Object.prototype.isPrototypeOf.call(CrateError.prototype, type.prototype);

const details = { kind: 'connection' } as const;
const written = { rowCount: 1, results: [{ rowCount: 1 }], failed: [] };

/** How to make one error of each class. */
const MAKE: Record<string, (type: ErrorClass) => Error> = {
  CrateError: (C) => new C('an error'),
  CrateSchemaError: (C) => new C({ table: 't', column: 'c' }, 'key-type', 'not a key type'),
  CrateUnsupportedError: (C) => new C('transactions', 'Write without one.'),
  CrateValueError: (C) => new C('column "c"', 'NaN'),
  CrateConfigError: (C) => new C('bad option', 'servers'),
  CrateArgumentError: (C) => new C('bad argument'),
  CrateDrizzleLineError: (C) => new C('wrong line'),
  CratePartialWriteError: (C) => new C('partly written'),
  CrateMigrationError: (C) => new C('bad folder'),
  CrateKitError: (C) => new C('bad flag'),
  CrateRuntimeError: (C) => new C('old Node.js'),
  CrateDBError: (C) => new C('server error', { kind: 'other', serverCode: 5000 }),
  CrateConnectionError: (C) => new C('no server', details, [{ server: 'http://h:4200', error: 'refused' }]),
  CrateCursorError: (C) => new C('cursor lost', details, 'http://h:4200', 3),
  BatchError: (C) => new C(1, 'statement 1 failed', new Error('cause')),
  BulkWriteError: (C) => new C(written, 1, 2, false, new Error('cause')),
  InsertRowCountError: (C) => new C('t', 3, 1),
  PartialInsertError: (C) => new C(1, 2, new Error('cause')),
  ConfigError: (C) => new C('bad config'),
  MigrationError: (C) => new C('migration failed', '0001_init'),
  JournalError: (C) => new C('bad journal'),
  SnapshotError: (C) => new C('bad snapshot'),
  RebuildError: (C) => new C('rebuild failed'),
  ViewDependencyError: (C) => new C('a view reads a dropped table'),
  IntrospectionError: (C) => new C('cannot read'),
  KitError: (C) => new C('kit failed'),
  RenameError: (C) => new C('bad rename'),
  UsageError: (C) => new C('unknown command'),
  DownloadNotFound: (C) => new C('404'),
  TransportError: (C) => new C(new Error('ECONNRESET'), true),
};

function make(name: string, type: ErrorClass): Error {
  const maker = MAKE[name];
  if (maker === undefined) throw new Error(`no way to construct ${name}: add it to MAKE in ${relative(root, import.meta.filename)}`);
  return maker(type);
}

/** Where `instanceof` disagrees with the prototype chain, for instances of `instances` against the classes `against`. */
function mismatches(instances: Map<string, ErrorClass>, against: Map<string, ErrorClass>, lineageOf: (name: string) => string[]): string[] {
  const wrong: string[] = [];
  for (const [name, type] of instances) {
    const error = make(name, type);
    const ancestors = lineageOf(name);
    for (const [otherName, other] of against) {
      const expected = ancestors.includes(otherName);
      if ((error instanceof other) !== expected) wrong.push(`new ${name}() instanceof ${otherName} is ${!expected}`);
    }
  }
  return wrong;
}

let publicClasses: Map<string, ErrorClass>;
let allClasses: Map<string, ErrorClass>;
const names = (types: Map<string, ErrorClass>) => [...types.keys()].sort();
const nameLineage = (types: Map<string, ErrorClass>) => (name: string) => lineage(types.get(name)!).map((type) => type.name);

beforeAll(async () => {
  publicClasses = await errorClasses(publicEntries());
  const internal = await errorClasses(modulesDeclaringErrors());
  allClasses = new Map([...internal, ...publicClasses]);
}, 60_000);

describe('error classes', () => {
  it('finds the classes it checks', () => {
    // A collector that found nothing would pass every check below.
    expect(names(publicClasses)).toEqual(expect.arrayContaining(['CrateError', 'CrateDBError', 'BatchError', 'BulkWriteError', 'ConfigError', 'MigrationError']));
    expect(names(allClasses)).toEqual(expect.arrayContaining(['JournalError', 'SnapshotError', 'RebuildError', 'IntrospectionError', 'UsageError']));
    // Every class the source declares with `export` is among those imported: the text and the modules agree.
    const declared = modulesDeclaringErrors().flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/^export\s+class\s+(\w+)\s+extends/gm)].map((match) => match[1]!));
    expect(declared.filter((name) => !allClasses.has(name))).toEqual([]);
  });

  it('each class has a brand no other class has, registered under its own name when it declares one', () => {
    const crateErrors = [...allClasses.values()].filter(isCrateErrorClass);
    // A copied errorName would give two classes one registered brand.
    expect(crateErrors.filter((type) => Object.hasOwn(type, 'errorName') && type.errorName !== type.name).map((type) => type.name)).toEqual([]);
    expect(new Set(crateErrors.map((type) => type.brand)).size).toBe(crateErrors.length);
    for (const [name, type] of allClasses) expect(make(name, type).name, name).toBe((type as unknown as typeof CrateError).errorName ?? name);
  });

  it('instanceof is true for exactly a class and its ancestors, for every pair of classes', () => {
    expect(mismatches(allClasses, allClasses, nameLineage(allClasses))).toEqual([]);
  });

  it('every public error class is a CrateError with an errorName of its own, so a brand of its own another copy shares', () => {
    const brandless = names(publicClasses).filter((name) => {
      const type = publicClasses.get(name)!;
      return !isCrateErrorClass(type) || !Object.hasOwn(type, 'errorName') || type.errorName !== name;
    });
    expect(brandless).toEqual([]);
    // The key is what two copies (or two versions) agree on: changing its form breaks instanceof between versions.
    for (const name of names(publicClasses)) {
      expect(Symbol.keyFor((publicClasses.get(name) as unknown as typeof CrateError).brand)).toBe(`drizzle-cratedb.error.${name}`);
    }
  });

  it('a class that declares no errorName still gets a brand of its own', () => {
    class Quiet extends CrateError {}
    class Quieter extends Quiet {}
    expect(Quiet.brand).not.toBe(CrateError.brand);
    expect(Quieter.brand).not.toBe(Quiet.brand);
    expect(new Quiet('q')).toBeInstanceOf(CrateError);
    expect(new Quiet('q') instanceof Quieter).toBe(false);
    expect(new Quieter('q') instanceof Quiet).toBe(true);
    expect(new CrateError('e') instanceof Quiet).toBe(false);
  });

  it('instanceof holds across two copies of the package, both ways, and only for a class and its ancestors', async () => {
    vi.resetModules();
    const second = await errorClasses(publicEntries());
    // A second copy indeed: its classes are other objects than the first's.
    expect(second.get('CrateError')).toBeDefined();
    expect(second.get('CrateError')).not.toBe(publicClasses.get('CrateError'));
    expect(names(second)).toEqual(names(publicClasses));
    expect(mismatches(second, publicClasses, nameLineage(second))).toEqual([]);
    expect(mismatches(publicClasses, second, nameLineage(publicClasses))).toEqual([]);
  }, 60_000);
});

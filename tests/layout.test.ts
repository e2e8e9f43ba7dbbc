/**
 * The layout's one rule, checked on the source: the core (shared, schema, driver, kit) knows CrateDB and not
 * Drizzle, and each Drizzle line's seam imports nothing of the other line. An import that crosses is a test failure,
 * not a review comment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = resolve(import.meta.dirname, '..', 'src');

function sourceFiles(folder: string): string[] {
  return readdirSync(join(src, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Module specifiers a file imports or re-exports (static and dynamic), not strings it writes as generated code. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"`;]*?\bfrom\s+'([^']+)'/gm),
    ...text.matchAll(/^\s*import\s+'([^']+)'/gm),
    ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g),
  ];
  return specifiers.map((match) => match[1]!);
}

/** Every import of `folders` that matches `forbidden`, as `file: specifier`. */
function crossings(folders: string[], forbidden: (specifier: string, file: string) => boolean): string[] {
  return folders.flatMap((folder) =>
    sourceFiles(folder).flatMap((file) => importsOf(file).filter((specifier) => forbidden(specifier, file)).map((specifier) => `${relative(src, file)}: ${specifier}`)),
  );
}

/** The src/ folder an import lands in, for relative imports. */
function targetFolder(specifier: string, file: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return relative(src, resolve(file, '..', specifier)).split(/[\\/]/)[0];
}

describe('layout', () => {
  it('finds the imports it checks', () => {
    // A parser that found nothing would pass every rule below.
    expect(importsOf(join(src, 'drizzle-v1', 'drizzle.ts'))).toContain('drizzle-orm');
    expect(importsOf(join(src, 'drizzle-v1', 'index.ts'))).toContain('./orm.js');
    expect(sourceFiles('driver').length).toBeGreaterThan(5);
  });

  it('the core imports neither drizzle-orm nor a Drizzle seam', () => {
    const core = ['shared', 'schema', 'driver', 'kit', 'testing'];
    expect(
      crossings(core, (specifier, file) => specifier.startsWith('drizzle-orm') || ['drizzle-common', 'drizzle-045', 'drizzle-v1'].includes(targetFolder(specifier, file) ?? '')),
    ).toEqual([]);
  });

  it('the driver stands alone: it imports only shared code', () => {
    expect(crossings(['driver'], (specifier, file) => !['driver', 'shared', undefined].includes(targetFolder(specifier, file)))).toEqual([]);
  });

  it("each line's seam leaves the other line alone, and the shared seam both", () => {
    expect(crossings(['drizzle-045'], (specifier, file) => targetFolder(specifier, file) === 'drizzle-v1' || specifier.startsWith('drizzle-orm-v1'))).toEqual([]);
    expect(crossings(['drizzle-v1'], (specifier, file) => targetFolder(specifier, file) === 'drizzle-045')).toEqual([]);
    expect(crossings(['drizzle-common'], (specifier, file) => ['drizzle-045', 'drizzle-v1'].includes(targetFolder(specifier, file) ?? ''))).toEqual([]);
  });

  it('every error thrown to a caller is a CrateError with a code: no plain Error, TypeError or RangeError', () => {
    const folders = readdirSync(src, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    const plain = folders.flatMap((folder) =>
      sourceFiles(folder).flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((text, index) => ({ text, index }))
          .filter(({ text }) => /\bthrow new (Error|TypeError|RangeError)\(/.test(text))
          .map(({ index }) => `${relative(src, file)}:${index + 1}`),
      ),
    );
    expect(plain).toEqual([]);
  });
});

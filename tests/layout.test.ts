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

/**
 * The room of src/ a path lies in: its first folder, `lines/<line>` for a Drizzle line's seam, or `manifest` for the
 * line manifest, which every room may read.
 */
function roomOf(path: string): string {
  const parts = relative(src, path).split(/[\\/]/);
  if (parts[0] === 'lines' && /^manifest\.[jt]s$/.test(parts[1] ?? '')) return 'manifest';
  return parts[0] === 'lines' ? `lines/${parts[1]}` : parts.length === 1 ? 'entries' : parts[0]!;
}

/** The room a relative import lands in; undefined for a package. */
function targetRoom(specifier: string, file: string): string | undefined {
  return specifier.startsWith('.') ? roomOf(resolve(file, '..', specifier)) : undefined;
}

const lines = readdirSync(join(src, 'lines'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => `lines/${entry.name}`);

/**
 * Who may import whom. The core (shared, driver, columns, tables, kit, testing) knows CrateDB and not Drizzle; the
 * dialect is the Drizzle layer both lines share; a line's seam may use everything but another line.
 */
const allowed: Record<string, { rooms: string[]; drizzle: boolean }> = {
  shared: { rooms: ['shared'], drizzle: false },
  driver: { rooms: ['driver', 'shared'], drizzle: false },
  columns: { rooms: ['columns', 'shared'], drizzle: false },
  tables: { rooms: ['tables', 'columns', 'shared'], drizzle: false },
  kit: { rooms: ['kit', 'tables', 'columns', 'driver', 'shared'], drizzle: false },
  testing: { rooms: ['testing', 'driver', 'shared'], drizzle: false },
  otel: { rooms: ['otel', 'driver', 'shared'], drizzle: false },
  dialect: { rooms: ['dialect', 'tables', 'columns', 'driver', 'shared'], drizzle: true },
};

describe('layout', () => {
  it('finds the imports it checks', () => {
    // A parser that found nothing would pass every rule below.
    expect(importsOf(join(src, 'lines', 'drizzle-v1', 'drizzle.ts'))).toContain('drizzle-orm');
    expect(importsOf(join(src, 'lines', 'drizzle-v1', 'index.ts'))).toContain('./orm.js');
    expect(sourceFiles('driver').length).toBeGreaterThan(5);
    expect(lines).toEqual(expect.arrayContaining(['lines/drizzle-045', 'lines/drizzle-v1']));
  });

  it('every folder of src/ has a place in the rules', () => {
    const rooms = readdirSync(src, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'lines')
      .map((entry) => entry.name);
    expect(rooms.filter((room) => !(room in allowed))).toEqual([]);
  });

  it.each(Object.entries(allowed))('%s imports only what its rule allows', (room, rule) => {
    expect(
      crossings([room], (specifier, file) => {
        const target = targetRoom(specifier, file);
        if (target === undefined) return !rule.drizzle && specifier.startsWith('drizzle-orm');
        return target !== 'manifest' && !rule.rooms.includes(target);
      }),
    ).toEqual([]);
  });

  it('the line manifest imports nothing, so that the core, the scripts and the test configs can all read it', () => {
    expect(importsOf(join(src, 'lines', 'manifest.ts'))).toEqual([]);
  });

  it("each line's seam leaves the other lines alone", () => {
    for (const line of lines) {
      const others = lines.filter((other) => other !== line);
      expect(crossings([line], (specifier, file) => others.includes(targetRoom(specifier, file) ?? '') || (line !== 'lines/drizzle-v1' && specifier.startsWith('drizzle-orm-v1')))).toEqual([]);
    }
  });

  it('no circle of imports among the files of src/, type imports and re-exports included', () => {
    const files = readdirSync(src, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
      .map((entry) => join(entry.parentPath, entry.name));
    const edges = new Map(
      files.map((file) => [
        file,
        importsOf(file)
          .filter((specifier) => specifier.startsWith('.'))
          .map((specifier) => resolve(file, '..', specifier).replace(/\.js$/, '.ts'))
          .filter((target) => files.includes(target)),
      ]),
    );
    expect([...edges.values()].flat().length).toBeGreaterThan(300);
    // Depth-first search; a file met again while still on the path closes a circle.
    const done = new Set<string>();
    const circles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      const at = path.indexOf(file);
      if (at >= 0) return void circles.push([...path.slice(at), file].map((step) => relative(src, step)).join(' → '));
      if (done.has(file)) return;
      for (const target of edges.get(file)!) visit(target, [...path, file]);
      done.add(file);
    };
    for (const file of files) visit(file, []);
    expect(circles).toEqual([]);
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

/**
 * src/lines/manifest.ts is the one list of Drizzle lines: the files generated from it are up to date, what it names
 * exists, and its one rule (`lineOf`) is what both the runtime guard and the kit answer with.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installedLine } from '../../src/dialect/line-guard.js';
import { projectLine } from '../../src/kit/project-line.js';
import { DEFAULT_LINE, LINES, SIDE_EFFECT_MODULES, lineOf, npmRange, publicEntries } from '../../src/lines/manifest.js';
import { currentLine } from '../support/lines.js';

const root = resolve(import.meta.dirname, '..', '..');
const readJson = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, Record<string, string>>;

describe('the line manifest', () => {
  it('the files generated from it are up to date', () => {
    const result = spawnSync(process.execPath, [join(root, 'scripts', 'sync-lines.ts'), '--check'], { cwd: root, encoding: 'utf8' });
    // The script's own message names each stale file and the command that rewrites it.
    expect(result.status, result.stderr).toBe(0);
  }, 30_000);

  it('lists every folder of src/lines, and each line has its entries, modules and test folder', () => {
    const folders = readdirSync(join(root, 'src', 'lines'), { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(folders.sort()).toEqual(LINES.map((line) => line.folder).sort());
    const modules = publicEntries().flatMap((entry) => [entry.source, entry.node, entry.portable]);
    const missing = [...modules, ...SIDE_EFFECT_MODULES].filter((module) => module !== undefined && !existsSync(join(root, 'src', module)));
    expect(missing).toEqual([]);
    expect(LINES.filter((line) => !existsSync(join(root, line.tests))).map((line) => line.tests)).toEqual([]);
    expect(LINES.map((line) => line.id)).toContain(DEFAULT_LINE);
  });

  it("has each line's packages as dev dependencies, at versions the line's rule accepts", () => {
    const { devDependencies } = readJson('package.json');
    for (const line of LINES) {
      for (const [name, pkg] of Object.entries(line.packages)) {
        const spec = devDependencies![pkg.dev];
        expect(spec, `devDependencies["${pkg.dev}"]`).toBeDefined();
        if (pkg.dev !== name) expect(spec).toMatch(new RegExp(`^npm:${name}@`));
      }
      const installed = readJson(`node_modules/${line.packages['drizzle-orm'].dev}/package.json`).version as unknown as string;
      expect(lineOf({ npmVersion: installed })?.id, installed).toBe(line.id);
    }
  });

  it('the peer ranges are the lines joined', () => {
    const { peerDependencies } = readJson('package.json');
    expect(peerDependencies!['drizzle-orm']).toBe(LINES.map((line) => npmRange(line.packages['drizzle-orm'])).join(' || '));
  });
});

describe('lineOf, the one rule', () => {
  it.each([
    ['0.45.0', '0.45'],
    ['0.45.4', '0.45'],
    ['0.44.7', undefined],
    ['0.46.0-beta.1', undefined],
    ['1.0.0-beta.2', undefined],
    ['1.0.0-rc.4', undefined],
    ['1.0.0-rc.5', 'v1'],
    ['1.0.0-rc.5-5935859', 'v1'],
    ['1.0.0', 'v1'],
    ['1.3.0-beta.1', 'v1'],
    ['2.0.0-beta.1', undefined],
    ['2.0.0', undefined],
  ])('drizzle-orm %s is on line %s', (npmVersion, line) => {
    // The npm version decides even where compatibilityVersion would say otherwise.
    expect(lineOf({ npmVersion, compatibilityVersion: 14 })?.id).toBe(line);
  });

  it('reads compatibilityVersion only when the npm version is not one', () => {
    expect(lineOf({ npmVersion: 'workspace', compatibilityVersion: 10 })?.id).toBe('0.45');
    expect(lineOf({ compatibilityVersion: 14 })?.id).toBe('v1');
    expect(lineOf({ compatibilityVersion: 12 })).toBeUndefined();
    expect(lineOf({})).toBeUndefined();
  });

  it("the runtime guard and the kit answer the same for this run's drizzle-orm", () => {
    expect(installedLine()).toBe(currentLine());
    const project = mkdtempSync(join(tmpdir(), 'manifest-line-'));
    try {
      const version = readJson(`node_modules/${LINES.find((line) => line.id === currentLine())!.packages['drizzle-orm'].dev}/package.json`).version as unknown as string;
      mkdirSync(join(project, 'node_modules', 'drizzle-orm'), { recursive: true });
      writeFileSync(join(project, 'node_modules', 'drizzle-orm', 'package.json'), JSON.stringify({ name: 'drizzle-orm', version }));
      expect(projectLine(project).id).toBe(currentLine());
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});

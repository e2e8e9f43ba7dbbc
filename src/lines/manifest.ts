/**
 * The Drizzle lines drizzle-cratedb serves, and the package's public entries: the one list everything else reads or
 * is generated from. `npm run sync:lines` (scripts/sync-lines.ts) writes package.json's `exports`, `sideEffects`,
 * the drizzle-orm and drizzle-seed peer ranges and the per-line npm scripts, the tsconfigs and the vitest configs;
 * tests/support/lines.ts builds vitest's aliases from it; the runtime guard (dialect/line-guard.ts) and the kit
 * (kit/project-line.ts) decide the line with `lineOf`. docs/architecture.md says how to add a line.
 *
 * No imports and no Drizzle: the core, the scripts (run by Node's type stripping, so only erasable syntax) and the
 * test configs all load it.
 */

/** A public entry of the package. Paths are relative to src/; dist/ mirrors them with .js, .cjs, .d.ts, .d.cts. */
export interface Entry {
  /** The subpath in package.json `exports`: '.', './kit'. */
  readonly subpath: string;
  /** The module TypeScript's paths and vitest's aliases resolve the subpath to. */
  readonly source: string;
  /** The module Node's `import` and `require` get (and whose declarations every condition uses), when not `source`. */
  readonly node?: string;
  /** The module of runtimes without Node's sockets (workerd, worker, edge-light, browser, bun, deno), if any. */
  readonly portable?: string;
  /** The Node module runs code on import (the Node.js version check, undici's registration): package.json `sideEffects`. */
  readonly sideEffects?: boolean;
}

/** A version range `>=from <below`, as npm's peer range and as `lineOf` reads it. */
export interface VersionRange {
  readonly from: string;
  readonly below: string;
}

/** A package each line pairs with its own major of: its supported range and the dev dependency the tests use. */
export interface LinePackage extends VersionRange {
  /** How a user reads the range in an error message. */
  readonly label: string;
  /** The dev dependency holding this line's copy (`drizzle-orm-v1` is `npm:drizzle-orm@1.0.0-rc.5`). */
  readonly dev: string;
}

export interface DrizzleLineManifest {
  /** The line's name in code and tests: `assertDrizzleLine('v1')`, `onLine({ '0.45': ..., v1: ... })`. */
  readonly id: string;
  /** Names this line's config files and npm script: tsconfig.<name>.json, vitest.<name>.config.ts, test:<name>. */
  readonly name: string;
  /** The line's seam: src/lines/<folder>. */
  readonly folder: string;
  /** The line's main entry (its Node module starts with the Node.js check and undici's registration, as src/v1.ts). */
  readonly entry: Entry;
  /** The line's own entries, `<entry subpath>/<key>`, as modules of its folder. */
  readonly subpaths: Readonly<Record<string, string>>;
  readonly packages: { readonly 'drizzle-orm': LinePackage; readonly 'drizzle-seed': LinePackage };
  /**
   * drizzle-orm's `compatibilityVersion` on this line, read only when its npm version cannot be (see lineOf).
   * No `max` is open-ended.
   */
  readonly compatibilityVersion: { readonly min: number; readonly max?: number };
  /** The migration folder layout of the line's drizzle-kit, which the kit writes for a project on it. */
  readonly migrations: 'journal' | 'folders';
  /** Tests that run on this line only. */
  readonly tests: string;
}

const VALIDATORS = { zod: 'validators/zod.ts', valibot: 'validators/valibot.ts', typebox: 'validators/typebox.ts', arktype: 'validators/arktype.ts' } as const;

export const LINES = [
  {
    id: '0.45',
    name: '045',
    folder: 'drizzle-045',
    entry: { subpath: '.', source: 'index.ts', portable: 'portable.ts', sideEffects: true },
    subpaths: { ...VALIDATORS, seed: 'seed.ts' },
    packages: {
      'drizzle-orm': { from: '0.45.0', below: '0.46.0', label: '0.45.x', dev: 'drizzle-orm' },
      'drizzle-seed': { from: '0.3.1', below: '1.0.0', label: '0.x', dev: 'drizzle-seed' },
    },
    compatibilityVersion: { min: 10, max: 10 },
    migrations: 'journal',
    tests: 'tests/lines/drizzle-045',
  },
  {
    id: 'v1',
    name: 'v1',
    folder: 'drizzle-v1',
    entry: { subpath: './v1', source: 'v1.ts', portable: 'v1-portable.ts', sideEffects: true },
    subpaths: { ...VALIDATORS, seed: 'seed.ts' },
    packages: {
      'drizzle-orm': { from: '1.0.0-rc.5', below: '2.0.0', label: '1.x', dev: 'drizzle-orm-v1' },
      'drizzle-seed': { from: '1.0.0-rc.4', below: '2.0.0', label: '1.x', dev: 'drizzle-seed-v1' },
    },
    compatibilityVersion: { min: 14 },
    migrations: 'folders',
    tests: 'tests/lines/drizzle-v1',
  },
] as const satisfies readonly DrizzleLineManifest[];

export type DrizzleLine = (typeof LINES)[number];
export type LineId = DrizzleLine['id'];

/**
 * The line `drizzle-cratedb` and the unprefixed subpaths (`drizzle-cratedb/zod`, `/seed`) serve, whose tsconfig is
 * the base tsconfig.json, and which the kit writes code for when a project has no drizzle-orm yet (npm's `latest`).
 */
export const DEFAULT_LINE: LineId = '0.45';

/** The entries every line shares. One line per entry. */
export const SHARED_ENTRIES: readonly Entry[] = [
  { subpath: './driver', source: 'driver/index.ts', node: 'driver/node.ts', portable: 'driver/index.ts', sideEffects: true },
  { subpath: './kit', source: 'kit/index.ts' },
  { subpath: './migrator', source: 'kit/migrator-entry.ts' },
  { subpath: './testing', source: 'testing/index.ts' },
  { subpath: './otel', source: 'otel/index.ts' },
];

/** Modules run for their effect wherever they are imported from, besides the entries marked `sideEffects`. */
export const SIDE_EFFECT_MODULES: readonly string[] = ['shared/node-version.ts', 'driver/register-undici.ts'];

export function lineById(id: LineId): DrizzleLine {
  return LINES.find((line) => line.id === id)!;
}

/** The package specifier of a subpath: '.' → 'drizzle-cratedb', './v1/zod' → 'drizzle-cratedb/v1/zod'. */
export function specifier(subpath: string): string {
  return subpath === '.' ? 'drizzle-cratedb' : `drizzle-cratedb/${subpath.slice(2)}`;
}

/** A line's own subpath entries, under its entry's subpath (unprefixed for the line whose entry is '.'). */
export function lineSubpaths(line: DrizzleLine, prefix: string = line.entry.subpath): Entry[] {
  return Object.entries(line.subpaths).map(([key, module]) => ({
    subpath: prefix === '.' ? `./${key}` : `${prefix}/${key}`,
    source: `lines/${line.folder}/${module}`,
  }));
}

/**
 * Every public entry with the line it serves (none for the shared ones), in package.json's order: the lines' main
 * entries, the prefixed entries of each line, the default line's unprefixed ones, then the shared entries.
 */
export function publicEntries(): (Entry & { line?: LineId })[] {
  const defaultLine = lineById(DEFAULT_LINE);
  const tag = (line: DrizzleLine) => (entry: Entry) => ({ ...entry, line: line.id });
  const main = LINES.flatMap((line) => [
    ...(line === defaultLine && line.entry.subpath !== '.' ? [{ ...line.entry, subpath: '.', line: line.id }] : []),
    { ...line.entry, line: line.id },
  ]);
  const prefixed = LINES.filter((line) => line.entry.subpath !== '.').flatMap((line) => lineSubpaths(line).map(tag(line)));
  const unprefixed = lineSubpaths(defaultLine, '.').map(tag(defaultLine));
  return [...main, ...prefixed, ...unprefixed, ...SHARED_ENTRIES];
}

/**
 * What `drizzle-cratedb...` resolves to in this repository's own code on one line (TypeScript's paths, vitest's
 * aliases): the line's entry as `drizzle-cratedb` and as its own subpath, its subpaths prefixed and unprefixed (the
 * tests read as user code on every line), and the shared entries. Specifier → module under src/.
 */
export function developmentEntries(line: DrizzleLine): Map<string, string> {
  const entries = new Map<string, string>([[specifier('.'), line.entry.source]]);
  entries.set(specifier(line.entry.subpath), line.entry.source);
  for (const entry of SHARED_ENTRIES) entries.set(specifier(entry.subpath), entry.source);
  for (const entry of [...lineSubpaths(line, '.'), ...lineSubpaths(line)]) entries.set(specifier(entry.subpath), entry.source);
  return entries;
}

/** The files of one line's configuration: the default line's are the repository's base files. */
export function lineFiles(line: DrizzleLine): { tsconfig: string; build: string; vitest: string; script: string } {
  const base = line.id === DEFAULT_LINE;
  return {
    tsconfig: base ? 'tsconfig.json' : `tsconfig.${line.name}.json`,
    build: base ? 'tsconfig.build.json' : `tsconfig.build.${line.name}.json`,
    vitest: base ? 'vitest.config.ts' : `vitest.${line.name}.config.ts`,
    script: `test:${line.name}`,
  };
}

/** The packages whose copy for this line is a dev dependency under another name: { 'drizzle-orm': 'drizzle-orm-v1' }. */
export function devAliases(line: DrizzleLine): Record<string, string> {
  return Object.fromEntries(Object.entries(line.packages).filter(([name, pkg]) => pkg.dev !== name).map(([name, pkg]) => [name, pkg.dev]));
}

/** drizzle-orm's own account of itself, from `drizzle-orm/version` at run time or its package.json. */
export interface DrizzleVersion {
  readonly npmVersion?: string | undefined;
  readonly compatibilityVersion?: number | undefined;
}

/**
 * THE rule for which line a drizzle-orm belongs to; the runtime guard and the kit both call it. It reads the npm
 * version, against the same range npm checks as the peer dependency: that is the one fact both callers have (the
 * kit reads package.json and never loads drizzle-orm; `drizzle-orm/version` exports `npmVersion` on both lines), and
 * it makes "supported" mean one thing: what installs without a peer warning runs, and a drizzle-orm 2.0 nobody has
 * tried is refused with advice rather than failing later. `compatibilityVersion` decides only when the npm version
 * is missing or not a version (a hand-made build).
 */
export function lineOf(version: DrizzleVersion): DrizzleLine | undefined {
  const npm = parseVersion(version.npmVersion);
  if (npm !== undefined) {
    return LINES.find((line) => inRange(npm, line.packages['drizzle-orm']));
  }
  const compatibility = version.compatibilityVersion;
  if (typeof compatibility !== 'number' || !Number.isFinite(compatibility)) return undefined;
  return LINES.find((line) => {
    const rule: DrizzleLineManifest['compatibilityVersion'] = line.compatibilityVersion;
    return compatibility >= rule.min && compatibility <= (rule.max ?? Number.POSITIVE_INFINITY);
  });
}

/** `>=from <below` as npm writes it, for the peer dependency. */
export function npmRange(range: VersionRange): string {
  return `>=${range.from} <${range.below}`;
}

type Version = { core: [number, number, number]; pre: string[] };

function parseVersion(text: string | undefined): Version | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text?.trim() ?? '');
  if (!match) return undefined;
  return { core: [Number(match[1]), Number(match[2]), Number(match[3])], pre: match[4] ? match[4].split('.') : [] };
}

/**
 * `from` by semver precedence (1.0.0-rc.5 < 1.0.0-rc.6 < 1.0.0); `below` by the version numbers alone, so that a
 * prerelease of the next line (2.0.0-beta.1) is not taken for this one, as npm's range would not take it either.
 */
function inRange(version: Version, range: VersionRange): boolean {
  const release = { core: version.core, pre: [] };
  return compareVersions(version, parseVersion(range.from)!) >= 0 && compareVersions(release, parseVersion(range.below)!) < 0;
}

/** Semver precedence: the core numbers, then a prerelease below its release, then identifier by identifier. */
function compareVersions(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a.core[i] !== b.core[i]) return a.core[i]! - b.core[i]!;
  if (a.pre.length === 0 || b.pre.length === 0) return b.pre.length - a.pre.length;
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    const x = a.pre[i];
    const y = b.pre[i];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    if (x === y) continue;
    const xn = /^\d+$/.test(x);
    const yn = /^\d+$/.test(y);
    if (xn && yn) return Number(x) - Number(y);
    if (xn !== yn) return xn ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

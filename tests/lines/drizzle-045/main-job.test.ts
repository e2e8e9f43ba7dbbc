/**
 * `npm run main` (examples/main.ts, written for the 0.45 entry) reproduces CrateDB's SQLAlchemy tutorial: the same
 * books and dates, and the results the tutorial prints for its queries, compared line by line against the real
 * CrateDB (in a schema of its own). Without a CrateDB and without Docker, it prints what to do in a few lines, with
 * no stack trace, and exits 1.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crateUrl, describeCrate, uniqueName } from '../../support/crate.js';

const root = resolve(import.meta.dirname, '..', '..', '..');
const tsx = join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function runMain(env: Record<string, string | undefined>) {
  const vars: Record<string, string | undefined> = { ...process.env, ...env };
  for (const key of Object.keys(vars)) if (vars[key] === undefined) delete vars[key];
  return spawnSync(process.execPath, [tsx, 'examples/main.ts'], { cwd: root, encoding: 'utf8', env: vars as NodeJS.ProcessEnv, timeout: 120_000 });
}

describeCrate('the main job against a real CrateDB', () => {
  it("prints the SQLAlchemy tutorial's results", () => {
    const result = runMain({ CRATEDB_URL: crateUrl!, DRIZZLE_CRATEDB_EXAMPLE_SCHEMA: uniqueName('main_job') });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    const after = (heading: string, count: number) => lines.slice(lines.indexOf(heading) + 1, lines.indexOf(heading) + 1 + count).map((line) => line.trim());
    expect(lines[0]).toMatch(/^Connected to CrateDB 6\.\d+\.\d+ \(node .+\) via CRATEDB_URL$/);
    expect(after("Douglas Adams' books by publication date:", 3)).toEqual([
      "1979-10-12  The Hitchhiker's Guide to the Galaxy",
      '1980-01-01  The Restaurant at the End of the Universe',
      '',
    ]);
    // The tutorial's count per author, as its Python session prints it.
    expect(after('Books per author:', 1)).toEqual(["[(2, 'Douglas Adams'), (1, 'Monty Python')]"]);
    // Its full-text search for 'monty' finds one book.
    const found = after("Full-text search for 'monty':", 2);
    expect(found[0]).toMatch(/^"Monty Python's Big Red Book" \(score \d+\.\d{3}\)$/);
    expect(found[1]).toBe('');
    expect(result.stdout).toContain('Arthur Dent: manly man human');
    expect(result.stdout).toContain('Carries a towel: Arthur Dent');
  }, 120_000);
});

const tarball = process.env.CRATEDB_TARBALL;
const asRoot = process.geteuid?.() === 0;

describe('the main job from a release tarball', () => {
  const reason = !tarball ? 'set CRATEDB_TARBALL' : asRoot && !process.env.CRATEDB_USER ? 'root without CRATEDB_USER' : undefined;
  it.skipIf(reason !== undefined)(`runs with CRATEDB_TARBALL and no CRATEDB_URL, and stops its CrateDB${reason ? ` [SKIPPED: ${reason}]` : ''}`, () => {
    const result = runMain({ CRATEDB_URL: undefined, CRATEDB_HOME: undefined, DRIZZLE_CRATEDB_EXAMPLE_SCHEMA: uniqueName('main_tarball') });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n')[0]).toMatch(/^Connected to CrateDB 6\.\d+\.\d+ \(node crate1\) via CRATEDB_TARBALL$/);
    expect(result.stdout).toContain("[(2, 'Douglas Adams'), (1, 'Monty Python')]");
  }, 180_000);
});

// On a machine with a Docker engine, testcontainers would find it and start CrateDB: that case is not tested there.
const dockerEngine = existsSync('/var/run/docker.sock') || existsSync(`${process.env.HOME}/.docker/run/docker.sock`);

describe('the main job with no CrateDB', () => {
  it.skipIf(dockerEngine)(`with CRATEDB_DOWNLOAD=0 and no other way, says what it tried in a few lines, names the variables, and exits 1${dockerEngine ? ' [SKIPPED: this machine has a Docker engine]' : ''}`, () => {
    // No variable, and a Docker endpoint that does not exist, so testcontainers finds no engine on any machine.
    const result = runMain({
      CRATEDB_URL: undefined,
      CRATEDB_TARBALL: undefined,
      CRATEDB_HOME: undefined,
      CRATEDB_DOWNLOAD: '0',
      DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(9);
    expect(result.stderr).toContain('No CrateDB to run the example against. Tried, in this order:');
    for (const name of ['CRATEDB_URL', 'CRATEDB_TARBALL', 'CRATEDB_HOME', 'Docker', 'CRATEDB_DOWNLOAD=0']) expect(result.stderr).toContain(name);
    expect(result.stderr).toContain('CRATEDB_URL=http://localhost:4200 npm run main');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  }, 120_000);

  it('says so when CRATEDB_URL names a server that does not answer', () => {
    const result = runMain({ CRATEDB_URL: 'http://127.0.0.1:9' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('No CrateDB answered at http://127.0.0.1:9');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(3);
  }, 60_000);
});

/** `up`: moving a drizzle-kit 0.31 folder to drizzle-kit 1.0's layout. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFolder } from '../../src/kit/check.js';
import { runCli } from '../../src/kit/cli.js';
import { detectLayout, latestSnapshot, readMigrations } from '../../src/kit/folders.js';
import { tagSuffix, upgradeFolder } from '../../src/kit/up.js';
import { tempDirs } from '../support/temp-dirs.js';
import { capture, writeTwo } from '../support/kit-fixtures.js';

const tempDir = tempDirs('kit-layout-');

describe('up', () => {
  it('moves every migration to its folder, byte for byte, named by its journal time, and removes the journal', () => {
    const out = tempDir();
    const [, second] = writeTwo(out, 'journal', Date.UTC(2025, 4, 6, 7, 8, 9, 10));
    const before = readMigrations(out);
    const journal = JSON.parse(readFileSync(join(out, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
    // The two entries are a millisecond apart: the second folder is moved a second on, so the names still sort.
    expect(journal.entries[1]!.when - journal.entries[0]!.when).toBe(1);
    const result = upgradeFolder(out);
    expect(result.moved).toEqual([
      { from: '0000_init', to: '20250506070809_init' },
      { from: '0001_drop', to: '20250506070810_drop' },
    ]);
    expect(existsSync(join(out, 'meta'))).toBe(false);
    expect(detectLayout(out)).toBe('folders');
    const after = readMigrations(out);
    expect(after.map((m) => m.hash)).toEqual(before.map((m) => m.hash));
    expect(after.map((m) => m.idx)).toEqual(before.map((m) => m.idx));
    expect(after.map((m) => tagSuffix(m.tag))).toEqual(before.map((m) => tagSuffix(m.tag)));
    expect(latestSnapshot(out).id).toBe(second!.id);
    expect(checkFolder(out)).toEqual([]);
    expect(() => upgradeFolder(out)).toThrow(/nothing to convert/);
  });

  it('refuses a folder check finds broken, and changes nothing', () => {
    const out = tempDir();
    writeTwo(out, 'journal');
    rmSync(join(out, 'meta', '0001_snapshot.json'));
    expect(() => upgradeFolder(out)).toThrow(/up stopped: fix these first[\s\S]*0001_drop: its snapshot/);
    expect(existsSync(join(out, '0000_init.sql'))).toBe(true);
    expect(detectLayout(out)).toBe('journal');
  });

  it('the CLI command works with --out and no config file', async () => {
    const out = tempDir();
    writeTwo(join(out, 'm'), 'journal');
    const output = capture();
    expect(await runCli(['up', '--out', 'm'], { out: output, cwd: out })).toBe(0);
    expect(output.text()).toMatch(/0000_init\.sql → \d{14}_init\/migration\.sql/);
    expect(detectLayout(join(out, 'm'))).toBe('folders');
  });
});

/**
 * What the CLI prints when it cannot go on: `Error: <message>`, and the command or option probably meant when one is
 * misspelt. In-process through runCli, as tests/kit/layouts.test.ts runs it; tests/integration/kit-cli.test.ts runs
 * the CLI as a child process against a database.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs, runCli } from '../../src/kit/cli.js';
import type { Output } from '../../src/kit/output.js';
import { sourceEntry } from '../support/lines.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function capture(): Output & { errors: string[] } {
  const errors: string[] = [];
  const id = (text: string) => text;
  return { color: false, errors, line: () => {}, error: (text) => void errors.push(text), green: id, red: id, yellow: id, dim: id, bold: id };
}

describe('kit CLI errors', () => {
  it('a misspelt command gets the command probably meant', async () => {
    const output = capture();
    expect(await runCli(['generat'], { out: output })).toBe(1);
    expect(output.errors).toEqual(["Error: unknown command 'generat'; did you mean 'generate'? (commands: generate, migrate, push, pull, check, export, up)"]);
    expect(() => parseArgs(['pussh'])).toThrow(/unknown command 'pussh'; did you mean 'push'\?/);
    expect(() => parseArgs(['introspekt'])).toThrow(/did you mean 'introspect'\?/);
    // Nothing close: no guess, only the list.
    expect(() => parseArgs(['frobnicate'])).toThrow(/^unknown command 'frobnicate' \(commands: generate, migrate/);
  });

  it('so does a misspelt option', () => {
    expect(() => parseArgs(['generate', '--nme', 'init'])).toThrow(/unknown option --nme for generate; did you mean --name\? \(see drizzle-cratedb generate --help\)/);
    expect(() => parseArgs(['push', '--tablesfilter', 'a'])).toThrow(/did you mean --tablesFilter\?/);
    expect(() => parseArgs(['generate', '--force'])).toThrow(/^unknown option --force for generate \(see drizzle-cratedb generate --help\)$/);
  });

  it("prints 'Error:' with a colon before the message, as for the rename question it cannot ask", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'kit-cli-'));
    dirs.push(cwd);
    writeFileSync(join(cwd, 'drizzle.config.json'), JSON.stringify({ dialect: 'cratedb', out: './drizzle' }));
    const schema = (file: string, column: string) =>
      writeFileSync(
        join(cwd, file),
        `import { crateTable, integer, text } from ${JSON.stringify(sourceEntry())};\n` +
          `export const users = crateTable('users', { id: text('id').primaryKey(), ${column}: integer('${column}') });\n`,
      );
    schema('before.ts', 'n');
    schema('after.ts', 'm');
    const output = capture();
    expect(await runCli(['generate', '--schema', './before.ts', '--name', 'init'], { out: output, cwd, interactive: false })).toBe(0);
    expect(await runCli(['generate', '--schema', './after.ts'], { out: output, cwd, interactive: false })).toBe(1);
    expect(output.errors[0]).toMatch(/^Error: these changes may be renames, and there is no terminal to ask on:\n {2}column doc\.users\.m: created, or renamed from n\?/);
  });
});

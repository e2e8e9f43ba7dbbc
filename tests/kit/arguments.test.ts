/** The kit's config and command-line arguments: validation, defaults, credentials, drizzle-kit style flags. */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/kit/cli.js';
import { clientOptions, resolveConfig } from '../../src/kit/config.js';

describe('config and arguments', () => {
  it('validates the config and applies defaults', () => {
    const config = resolveConfig({ dialect: 'cratedb', schema: './s.ts', dbCredentials: 'http://localhost:4200' });
    expect(config).toMatchObject({ out: './drizzle', schemaFilter: ['doc'], migrationsTable: '__drizzle_migrations', migrationsSchema: 'drizzle', breakpoints: true });
    expect(() => resolveConfig({ dialect: 'postgresql' })).toThrow(/dialect must be 'cratedb'/);
    expect(() => resolveConfig({ dialect: 'cratedb', colour: true })).toThrow(/unknown option 'colour'/);
  });

  it('dbCredentials given as a url and options: options add to the url, and may not contradict it', () => {
    expect(clientOptions({ url: 'http://localhost:4200', poolSize: 3 } as never)).toMatchObject({ servers: ['http://localhost:4200'], poolSize: 3 });
    expect(clientOptions({ url: 'http://crate:secret@localhost:4200', password: 'secret' } as never)).toMatchObject({ password: 'secret' });
    const call = () => clientOptions({ url: 'http://crate:secret@localhost:4200', password: 'other' } as never);
    expect(call).toThrow(/'password' is given both in the url and as an option/);
    expect(call).not.toThrow(/secret|other/);
  });

  it('parses drizzle-kit style flags', () => {
    expect(parseArgs(['generate', '--name', 'init', '--custom', '--config=x.ts', '--rename', 'a=b', '--rename', 'c.d=e', '--breakpoints', 'false'])).toEqual({
      command: 'generate',
      options: { name: 'init', custom: true, config: 'x.ts', rename: ['a=b', 'c.d=e'], breakpoints: false },
    });
    expect(parseArgs(['push', '--force', '--no-strict']).options).toEqual({ force: true, strict: false });
    expect(() => parseArgs(['generate', '--force'])).toThrow(/unknown option --force for generate/);
    expect(() => parseArgs(['frobnicate'])).toThrow(/unknown command/);
  });
});

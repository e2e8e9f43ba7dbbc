/**
 * `npm run build`: dist/ from scratch, one tsc build per Drizzle line of src/lines/manifest.ts (each line's
 * build config, written by `npm run sync:lines`), then the CommonJS half (scripts/build-cjs.mjs). The default line
 * builds first: it emits the core, which the other lines' builds only emit again.
 *
 * Run by Node's type stripping, hence the .ts import specifier.
 */
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_LINE, LINES, lineFiles } from '../src/lines/manifest.ts';

const root = resolve(import.meta.dirname, '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, stdio: 'inherit' });

rmSync(join(root, 'dist'), { recursive: true, force: true });
const lines = [...LINES].sort((a, b) => Number(b.id === DEFAULT_LINE) - Number(a.id === DEFAULT_LINE));
for (const line of lines) run([tsc, '-p', lineFiles(line).build]);
run([join(root, 'scripts', 'build-cjs.mjs')]);

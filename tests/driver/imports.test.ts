/** No circle of imports among the driver's files, type imports and re-exports included. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

const DRIVER = resolve(import.meta.dirname, '../../src/driver');

it('src/driver imports without a circle', () => {
  const files = readdirSync(DRIVER).filter((file) => file.endsWith('.ts'));
  const edges = new Map(
    files.map((file) => {
      const source = readFileSync(join(DRIVER, file), 'utf8');
      const targets = [...source.matchAll(/(?:import|export)\s[^;]*?from\s+'\.\/([^'/]+)\.js'|import\s+'\.\/([^'/]+)\.js'/g)].map((match) => `${match[1] ?? match[2]}.ts`);
      return [file, targets.filter((target) => files.includes(target))];
    }),
  );
  // Depth-first search; a file met again while still on the path closes a circle.
  const done = new Set<string>();
  const circles: string[] = [];
  const visit = (file: string, path: string[]): void => {
    const at = path.indexOf(file);
    if (at >= 0) {
      circles.push([...path.slice(at), file].join(' → '));
      return;
    }
    if (done.has(file)) return;
    for (const target of edges.get(file)!) visit(target, [...path, file]);
    done.add(file);
  };
  for (const file of files) visit(file, []);
  expect(circles).toEqual([]);
});

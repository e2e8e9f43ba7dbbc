/**
 * Option objects are checked for keys nobody reads: a typo such as `{ server: ... }` would otherwise be ignored and
 * the default used silently. The error names the key and, when one is close, the key that was probably meant.
 */
import { CrateConfigError } from './errors.js';

/** Levenshtein distance, small inputs only (option names). */
function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** The known name closest to `name`, when it is close enough to be a likely typo or a prefix of it. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of known) {
    const other = candidate.toLowerCase();
    const score = other.startsWith(lower) || lower.startsWith(other) ? 1 : distance(lower, other);
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best !== undefined && bestScore <= Math.max(1, Math.floor(Math.min(name.length, best.length) / 3)) ? best : undefined;
}

/** Refuses keys of `options` that are not in `known`; `where` names the options (`drizzle()`, `CrateClient`). */
export function checkOptionKeys(where: string, options: object, known: readonly string[], prefix = ''): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const suggestion = closestName(key, known);
    throw new CrateConfigError(
      `${where}: unknown option '${prefix}${key}'${suggestion ? `; did you mean '${prefix}${suggestion}'?` : ''} (known: ${known.join(', ')})`,
      `${prefix}${key}`,
    );
  }
}

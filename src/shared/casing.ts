/**
 * Column-name casing as Drizzle applies it (`casing: 'snake_case'` on 0.45, `snakeCase.table` on v1), without
 * importing Drizzle: the kit turns keys into database names with it. Words are runs of lower-case letters and
 * digits, runs of capitals not followed by a lower-case letter (acronyms), and a capital followed by lower-case
 * letters; apostrophes are dropped. The tests compare it with drizzle-orm's own on both lines.
 */

export type Casing = 'snake_case' | 'camelCase';

const WORD = /[\d\p{Ll}\p{Lo}]+|\p{Lu}+(?![\p{Ll}\p{Lo}])|\p{Lu}[\d\p{Ll}\p{Lo}]+/gu;

function words(key: string): string[] {
  return key.replace(/['\u2019]/g, '').match(WORD) ?? [];
}

export function toSnakeCase(key: string): string {
  return words(key)
    .map((word) => word.toLowerCase())
    .join('_');
}

export function toCamelCase(key: string): string {
  return words(key)
    .map((word, i) => (i === 0 ? word.toLowerCase() : word[0]!.toUpperCase() + word.slice(1)))
    .join('');
}

/** The function that turns a key into a column name for a casing; names given explicitly are never passed to it. */
export function casingFunction(casing: Casing | undefined): (key: string) => string {
  if (casing === 'snake_case') return toSnakeCase;
  if (casing === 'camelCase') return toCamelCase;
  return (key) => key;
}

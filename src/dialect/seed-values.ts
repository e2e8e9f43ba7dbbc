/**
 * Sample values for drizzle-cratedb columns, for seeding: one value generator per column, read from the column's
 * shape and value spec, so that every value is one the column's codec accepts (integers in range, vectors of their
 * dimension, points on the globe, objects with their declared sub-columns, timestamps in their mode). Deterministic
 * for a seed, as drizzle-seed is. Knows no Drizzle: both lines' `seed()` hand their columns here.
 */
import { CrateArgumentError } from '../shared/errors.js';
import { scalarFamily } from '../columns/types.js';
import type { ValueSpec } from '../columns/values.js';
import type { ColumnShape, CrateColumnLike } from './column-model.js';

/** A number in [0, 1). */
export type Random = () => number;

/** mulberry32: small, fast and good enough for sample data; the same seed gives the same values. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** FNV-1a: a seed per table and column from their names, so adding a column leaves the others' values as they were. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/**
 * Makes the value of row `index`; `unique` asks for a value no other index gets (for primary key columns), which
 * the key types (numbers, text, timestamps, IP, BIT) can give.
 */
export type Sampler = (random: Random, index: number, unique: boolean) => unknown;

const int = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'da', 'pe', 'qu', 'ba', 'fi', 'go', 'hu'];
const word = (random: Random, maxLength: number): string => {
  let text = '';
  const target = Math.min(maxLength, int(random, 4, 12));
  while (text.length < target) text += SYLLABLES[int(random, 0, SYLLABLES.length - 1)];
  return text.slice(0, target);
};
const round = (value: number, decimals: number): number => Number(value.toFixed(decimals));
/** 2020-01-01 .. 2026-01-01 (UTC): dates a reader recognises as sample data. */
const TIME_FROM = Date.UTC(2020, 0, 1);
const TIME_SPAN = Date.UTC(2026, 0, 1) - TIME_FROM;

/** The sampler of a column, or a {@link CrateArgumentError} naming it when its type has none. */
export function columnSampler(column: CrateColumnLike, where: () => string): Sampler {
  return shapeSampler(column.crate.shape, where);
}

function shapeSampler(shape: ColumnShape, where: () => string): Sampler {
  switch (shape.kind) {
    case 'scalar':
      return scalarSampler(shape.typeName, shape.spec, where);
    case 'array': {
      const element = shapeSampler(shape.element, where);
      return (random) => Array.from({ length: int(random, 1, 3) }, (_, i) => element(random, i, false));
    }
    case 'object': {
      const members = Object.entries(shape.columns)
        // CrateDB computes generated sub-columns; a value given for one must equal what it computes.
        .filter(([, member]) => member.generated === undefined)
        .map(([key, member]) => [key, shapeSampler(member.crate.shape, () => `${where()}['${member.name}']`)] as const);
      // A dynamic or ignored object without declared sub-columns takes any keys: give it two.
      const free = members.length === 0 && shape.policy !== 'strict';
      const one: Sampler = (random, index) => {
        const value: Record<string, unknown> = {};
        for (const [key, sampler] of members) value[key] = sampler(random, index, false);
        if (free) Object.assign(value, { note: word(random, 12), rank: int(random, 1, 100) });
        return value;
      };
      return shape.isArray ? (random, index) => Array.from({ length: int(random, 1, 3) }, () => one(random, index, false)) : one;
    }
  }
}

function scalarSampler(typeName: string, spec: ValueSpec, where: () => string): Sampler {
  const family = scalarFamily(typeName);
  switch (spec.kind) {
    case 'text': {
      if (family === 'IP') return (random, index, unique) => (unique ? `10.${(index >> 16) & 255}.${(index >> 8) & 255}.${index & 255}` : `192.168.${int(random, 0, 255)}.${int(random, 1, 254)}`);
      if (family !== 'TEXT' && family !== 'VARCHAR' && family !== 'CHARACTER') break;
      const maxLength = spec.maxLength ?? 24;
      return (random, index, unique) => {
        if (!unique) return word(random, maxLength);
        const id = index.toString(36);
        const prefix = word(random, Math.max(0, maxLength - id.length - 1));
        return prefix.length > 0 ? `${prefix}-${id}` : id;
      };
    }
    case 'boolean':
      return (random) => random() < 0.5;
    case 'uuid':
      // Version 4 layout from the seeded random source, so a seed gives the same rows; unique ones carry the index.
      return (random, index, unique) => seedUuid(random, unique ? index : undefined);
    case 'integer': {
      const max = spec.bits === 8 ? 127 : spec.bits === 16 ? 32_767 : 2_147_483_647;
      // Unique values count from -128 for BYTE, so all 256 can be used (and wrap beyond, staying in range).
      if (spec.bits === 8) return (random, index, unique) => (unique ? (index % 256) - 128 : int(random, -128, 127));
      return (random, index, unique) => (unique ? index + 1 : int(random, -Math.min(max, 1_000_000), Math.min(max, 1_000_000)));
    }
    case 'bigint': {
      const value = (random: Random, index: number, unique: boolean): number => (unique ? index + 1 : int(random, -1e12, 1e12));
      // In bigint mode, values beyond 2^53 too (up to 10^15, well inside BIGINT).
      return spec.mode === 'bigint' ? (random, index, unique) => BigInt(value(random, index, unique)) * (unique ? 1n : 1_000n) : value;
    }
    case 'float':
      return (random, index, unique) => (unique ? index + 0.5 : round((random() - 0.5) * 2e4, 2));
    case 'numeric': {
      const scale = spec.scale ?? 0;
      const wholeDigits = Math.max(0, Math.min(spec.precision - scale, 9));
      const decimal = (whole: string, fraction: string) => (fraction.length > 0 ? `${whole}.${fraction}` : whole);
      return (random, index, unique) => {
        let text: string;
        if (unique) {
          // The index as the unscaled number, so distinct values fit even a NUMERIC(2, 1) while there are enough.
          const digits = String(index + 1).padStart(scale + 1, '0');
          text = decimal(digits.slice(0, digits.length - scale), digits.slice(digits.length - scale));
        } else {
          const fractionDigits = Math.min(scale, 6);
          const fraction = fractionDigits > 0 ? String(int(random, 0, 10 ** fractionDigits - 1)).padStart(fractionDigits, '0') : '';
          text = decimal(String(int(random, 0, 10 ** wholeDigits - 1)), fraction);
        }
        return spec.mode === 'string' ? text : Number(text);
      };
    }
    case 'timestamp':
      return (random, index, unique) => {
        const millis = unique ? TIME_FROM + index * 60_000 : TIME_FROM + Math.floor(random() * TIME_SPAN);
        if (spec.mode === 'number') return millis;
        if (spec.mode === 'date') return new Date(millis);
        const iso = new Date(millis).toISOString();
        return spec.withTimezone ? iso : iso.slice(0, -1);
      };
    case 'bit':
      return (random, index, unique) =>
        unique ? (index % 2 ** Math.min(spec.length, 30)).toString(2).padStart(spec.length, '0') : Array.from({ length: spec.length }, () => (random() < 0.5 ? '0' : '1')).join('');
    case 'geo_point':
      return (random) => [round(random() * 360 - 180, 6), round(random() * 180 - 90, 6)];
    case 'geo_shape':
      // A small square around a point, closed as GeoJSON requires, kept inside the globe.
      return (random) => {
        const lon = round(random() * 300 - 150, 4);
        const lat = round(random() * 140 - 70, 4);
        const d = round(0.01 + random(), 4);
        return { type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] };
      };
    case 'float_vector':
      // float32 values, so what is read back equals what was written.
      return (random) => Array.from({ length: spec.dimensions }, () => Math.fround(round(random() * 2 - 1, 4)));
    case 'object':
    case 'array':
      break;
  }
  throw new CrateArgumentError(
    `seed(): cannot generate values for ${where()} of type ${typeName}; give it a generator in .refine((f) => ({ <table>: { columns: { <column>: ... } } }))`,
  );
}

function seedUuid(random: Random, index: number | undefined): string {
  const hex = (digits: number) => Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join('');
  const variant = (8 + Math.floor(random() * 4)).toString(16);
  const tail = index === undefined ? hex(12) : index.toString(16).padStart(12, '0').slice(-12);
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${tail}`;
}

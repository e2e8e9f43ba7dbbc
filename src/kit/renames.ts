/**
 * Rename decisions: a new table or column that appears while another disappears may be a rename. drizzle-kit asks;
 * so does this kit on a terminal. In CI the answers come from `--rename old=new` flags; without them the question
 * is an error rather than a silent drop-and-create.
 */
import { columnRenameQuestions, tableRenameQuestions, type RenameDecisions, type RenameQuestion } from './diff.js';
import type { Prompter } from './prompt.js';
import { DEFAULT_SCHEMA, type Snapshot } from './snapshot.js';
import { CrateKitError } from '../shared/errors.js';

export class RenameError extends CrateKitError {
  static override readonly errorName: string = 'RenameError';
}

export interface RenameSpec {
  /** `[schema.]table` or `[schema.]table.column` */
  readonly from: string[];
  readonly to: string;
}

/** Parses `--rename users=people`, `--rename users.name=full_name`, `--rename metrics.users.name=full_name`. */
export function parseRenameSpec(text: string): RenameSpec {
  const match = /^([^=]+)=([^=.]+)$/.exec(text.trim());
  if (!match) throw new RenameError(`--rename ${text}: expected old=new, e.g. users=people or users.name=full_name`);
  return { from: match[1]!.split('.'), to: match[2]! };
}

export interface ResolveRenamesOptions {
  specs?: readonly RenameSpec[];
  /** Answers questions no spec answered; without one an open question is an error. */
  prompter?: Prompter | undefined;
  /** Treat every open question as "created" (no renames). */
  noRenames?: boolean;
}

export async function resolveRenames(prev: Snapshot, next: Snapshot, options: ResolveRenamesOptions = {}): Promise<RenameDecisions> {
  const specs = options.specs ?? [];
  const usedSpecs = new Set<RenameSpec>();
  const tables: Record<string, string> = {};
  const open: RenameQuestion[] = [];

  const answer = async (question: RenameQuestion, available: string[]): Promise<string | undefined> => {
    for (const spec of specs) {
      if (spec.to !== question.name) continue;
      if (question.kind === 'table' && spec.from.length <= 2) {
        const key = spec.from.length === 1 ? `${DEFAULT_SCHEMA}.${spec.from[0]}` : spec.from.join('.');
        if (available.includes(key) && question.table.startsWith(`${key.split('.')[0]}.`)) {
          usedSpecs.add(spec);
          return key;
        }
      }
      if (question.kind === 'column' && spec.from.length >= 2) {
        const column = spec.from.at(-1)!;
        const tableParts = spec.from.slice(0, -1);
        const key = tableParts.length === 1 ? `${DEFAULT_SCHEMA}.${tableParts[0]}` : tableParts.join('.');
        if (key === question.table && available.includes(column)) {
          usedSpecs.add(spec);
          return column;
        }
      }
    }
    if (options.noRenames) return undefined;
    if (!options.prompter) {
      open.push(question);
      return undefined;
    }
    const what = question.kind === 'table' ? `table "${question.table}"` : `column "${question.name}" in table "${question.table}"`;
    const choice = await options.prompter.choose(`Is ${what} created or renamed from another ${question.kind}?`, [
      `+ ${question.name}  (create ${question.kind})`,
      ...available.map((old) => `~ ${old} → ${question.name}  (rename ${question.kind})`),
    ]);
    return choice === 0 ? undefined : available[choice - 1];
  };

  const tableQuestions = tableRenameQuestions(prev, next);
  const takenTables = new Set<string>();
  for (const question of tableQuestions) {
    const old = await answer(question, question.candidates.filter((c) => !takenTables.has(c)));
    if (old) {
      tables[old] = question.table;
      takenTables.add(old);
    }
  }
  const columns: Record<string, Record<string, string>> = {};
  const taken = new Map<string, Set<string>>();
  for (const question of columnRenameQuestions(prev, next, tables)) {
    const used = taken.get(question.table) ?? new Set<string>();
    taken.set(question.table, used);
    const available = question.candidates.filter((c) => !used.has(c));
    if (!available.length) continue;
    const old = await answer(question, available);
    if (old) {
      (columns[question.table] ??= {})[old] = question.name;
      used.add(old);
    }
  }
  const unused = specs.filter((spec) => !usedSpecs.has(spec));
  if (unused.length) {
    throw new RenameError(
      `--rename ${unused.map((s) => `${s.from.join('.')}=${s.to}`).join(', ')}: no such rename in this change (the old name must disappear and the new one appear)`,
    );
  }
  if (open.length) {
    const lines = open.map((q) =>
      q.kind === 'table'
        ? `  table ${q.table}: created, or renamed from ${q.candidates.join(' / ')}?  e.g. --rename ${q.candidates[0]!.replace(/^doc\./, '')}=${q.name}`
        : `  column ${q.table}.${q.name}: created, or renamed from ${q.candidates.join(' / ')}?  e.g. --rename ${q.table.replace(/^doc\./, '')}.${q.candidates[0]}=${q.name}`,
    );
    throw new RenameError(
      `these changes may be renames, and there is no terminal to ask on:\n${lines.join('\n')}\n` +
        'Answer with --rename old=new (repeatable), or pass --no-renames to create and drop instead.',
    );
  }
  const decisions: { tables?: Record<string, string>; columns?: Record<string, Record<string, string>> } = {};
  if (Object.keys(tables).length) decisions.tables = tables;
  if (Object.keys(columns).length) decisions.columns = columns;
  return decisions;
}

/**
 * Terminal output: colours only when the stream is a terminal (and NO_COLOR is unset), plain text otherwise.
 */
import type { Writable } from 'node:stream';

export interface Output {
  readonly color: boolean;
  line(text?: string): void;
  error(text: string): void;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

export function createOutput(stdout: Writable = process.stdout, stderr: Writable = process.stderr, env: NodeJS.ProcessEnv = process.env): Output {
  const tty = Boolean((stdout as { isTTY?: boolean }).isTTY);
  const color = tty && !env.NO_COLOR && env.TERM !== 'dumb' || Boolean(env.FORCE_COLOR && env.FORCE_COLOR !== '0');
  const paint = (code: number, reset: number) => (text: string) => (color ? `\x1b[${code}m${text}\x1b[${reset}m` : text);
  return {
    color,
    line: (text = '') => void stdout.write(`${text}\n`),
    error: (text) => void stderr.write(`${text}\n`),
    green: paint(32, 39),
    red: paint(31, 39),
    yellow: paint(33, 39),
    dim: paint(2, 22),
    bold: paint(1, 22),
  };
}

/** A line of the plan, coloured by what it does: `+` green, `-` red, `~` yellow, `!` bold red. */
export function changeLine(out: Output, description: string): string {
  const sign = description[0];
  if (sign === '+') return out.green(description);
  if (sign === '-') return out.red(description);
  if (sign === '~') return out.yellow(description);
  if (sign === '!') return out.bold(out.red(description));
  return description;
}

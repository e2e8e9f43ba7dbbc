/**
 * Questions on the terminal: rename-or-create choices (as drizzle-kit asks them) and yes/no confirmations.
 */
import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';

export interface Prompter {
  /** Index of the chosen option; 0 is the default. */
  choose(question: string, options: readonly string[]): Promise<number>;
  confirm(question: string): Promise<boolean>;
}

export function terminalPrompter(input: Readable = process.stdin, output: Writable = process.stdout): Prompter {
  const ask = async (question: string) => {
    const rl = createInterface({ input, output, terminal: false });
    try {
      return (await rl.question(question)).trim();
    } finally {
      rl.close();
    }
  };
  return {
    async choose(question, options) {
      output.write(`${question}\n${options.map((option, i) => `  ${i + 1}) ${option}`).join('\n')}\n`);
      for (;;) {
        const answer = await ask(`Choose 1-${options.length} [1]: `);
        if (answer === '') return 0;
        const n = Number(answer);
        if (Number.isInteger(n) && n >= 1 && n <= options.length) return n - 1;
      }
    },
    async confirm(question) {
      const answer = (await ask(`${question} [y/N] `)).toLowerCase();
      return answer === 'y' || answer === 'yes';
    },
  };
}

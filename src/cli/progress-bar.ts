// Renders stage progress on stderr: a redrawn bar on a terminal, and a line per finished
// task (plus one every few seconds on long tasks) when output goes to a file or CI log.

import type { Progress, ProgressTask } from '../progress.js';
import type { CliIo } from './io.js';

const BAR_WIDTH = 24;

/** A Progress writing to `io.stderr`; silent when `quiet`. */
export function cliProgress(io: CliIo, quiet: boolean): Progress {
  if (quiet) return { task: () => ({ tick: () => {}, done: () => {} }) };
  return {
    task(label: string, total?: number): ProgressTask {
      const started = Date.now();
      let count = 0;
      let lastDraw = 0;
      const draw = (final: boolean, summary?: string) => {
        const secs = ((Date.now() - started) / 1000).toFixed(1);
        if (final) {
          // A task that never ticked and gives no summary just says it is done.
          const tail = summary ?? (count > 0 ? count.toLocaleString('en-US') : 'done');
          io.stderr(`${io.isTTY ? '\r\x1b[2K' : ''}✔ ${label}: ${tail} (${secs}s)\n`);
          return;
        }
        let body: string;
        if (total !== undefined && total > 0) {
          const frac = Math.min(1, count / total);
          const filled = Math.round(frac * BAR_WIDTH);
          body = `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${(frac * 100).toFixed(0)}% ${count.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`;
        } else {
          body = `${count.toLocaleString('en-US')}`;
        }
        io.stderr(io.isTTY ? `\r\x1b[2K… ${label} ${body} ${secs}s` : `… ${label} ${body} ${secs}s\n`);
      };
      return {
        tick(n = 1) {
          count += n;
          const now = Date.now();
          const every = io.isTTY ? 100 : 10_000;
          if (now - lastDraw >= every) {
            lastDraw = now;
            if (io.isTTY || now - started >= every) draw(false);
          }
        },
        done(summary?: string) {
          draw(true, summary);
        },
      };
    },
  };
}

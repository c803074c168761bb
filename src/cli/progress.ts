/**
 * Progress on stderr while a check runs: one line rewritten in place on a terminal, a plain line
 * every ten seconds otherwise (CI logs), nothing for runs that finish within a second.
 */
import type { Progress } from '../explorer/bfs.js';

const fmt = (n: number) => n.toLocaleString('en-US');

export function progressReporter(name: string, stream: NodeJS.WriteStream = process.stderr) {
  const tty = stream.isTTY === true;
  let last = { distinct: 0, seconds: 0 };
  let lastPrinted = 0;
  let drew = false;
  return {
    update(p: Progress): void {
      if (p.seconds < 1) return;
      const rate = (p.distinct - last.distinct) / Math.max(1e-3, p.seconds - last.seconds);
      last = { distinct: p.distinct, seconds: p.seconds };
      const mem = (process.memoryUsage.rss() / 2 ** 20).toFixed(0);
      const line =
        `${name}: ${fmt(p.distinct)} distinct, ${fmt(p.generated)} generated, queue ${fmt(p.queue)}, ` +
        `depth ${p.depth}, ${fmt(Math.round(rate))} states/s, ${mem} MiB, ${p.seconds.toFixed(0)} s`;
      if (tty) {
        stream.write(`\r\x1b[K${line}`);
        drew = true;
      } else if (p.seconds - lastPrinted >= 10) {
        lastPrinted = p.seconds;
        stream.write(line + '\n');
      }
    },
    done(): void {
      if (drew) stream.write('\r\x1b[K');
    },
  };
}

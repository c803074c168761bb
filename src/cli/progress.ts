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
  const t0 = performance.now();
  const show = (line: string, seconds: number) => {
    if (tty) {
      stream.write(`\r\x1b[K${line}`);
      drew = true;
    } else if (seconds - lastPrinted >= 10) {
      lastPrinted = seconds;
      stream.write(line + '\n');
    }
  };
  return {
    update(p: Progress): void {
      if (p.seconds < 1) return;
      const rate = (p.distinct - last.distinct) / Math.max(1e-3, p.seconds - last.seconds);
      last = { distinct: p.distinct, seconds: p.seconds };
      const mem = (process.memoryUsage.rss() / 2 ** 20).toFixed(0);
      const line =
        `${name}: ${fmt(p.distinct)} distinct, ${fmt(p.generated)} generated, queue ${fmt(p.queue)}, ` +
        `depth ${p.depth}, ${fmt(Math.round(rate))} states/s, ${mem} MiB, ${p.seconds.toFixed(0)} s`;
      show(line, p.seconds);
    },
    /** The liveness check's state graph: `done` of `total` states re-expanded. */
    liveness(done: number, total: number): void {
      const seconds = (performance.now() - t0) / 1000;
      const mem = (process.memoryUsage.rss() / 2 ** 20).toFixed(0);
      const pct = total > 0 ? Math.floor((100 * done) / total) : 100;
      show(`${name}: liveness, state graph ${fmt(done)} of ${fmt(total)} states (${pct}%), ${mem} MiB, ${seconds.toFixed(0)} s`, seconds);
    },
    done(): void {
      if (drew) stream.write('\r\x1b[K');
    },
  };
}

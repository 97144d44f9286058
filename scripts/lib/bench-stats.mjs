// @ts-check
// Latency figures for the benchmark scripts: run calls with some in flight, print quantiles.

/** @param {number[]} xs @param {number} q */
export const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

/** One line: name, count, p50/p95/p99 and the rate. */
export function reportLine(/** @type {string} */ name, /** @type {number[]} */ ms, /** @type {number} */ wallMs) {
  const f = (/** @type {number} */ n) => n.toFixed(1).padStart(7);
  return `${name.padEnd(44)} n=${String(ms.length).padStart(4)}  p50 ${f(quantile(ms, 0.5))} ms  p95 ${f(quantile(ms, 0.95))} ms  p99 ${f(quantile(ms, 0.99))} ms  ${(ms.length / (wallMs / 1000)).toFixed(0).padStart(6)} req/s`;
}

/**
 * Runs `count` calls of `fn` with `concurrency` in flight (stopping early after `maxMs`, if given);
 * returns each call's latency and the wall time.
 */
export async function load(
  /** @type {number} */ count,
  /** @type {number} */ concurrency,
  /** @type {(i: number) => Promise<void>} */ fn,
  /** @type {number} */ maxMs = Infinity,
) {
  /** @type {number[]} */
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count && performance.now() - started < maxMs) {
        const i = next;
        next += 1;
        const t = performance.now();
        await fn(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - started };
}

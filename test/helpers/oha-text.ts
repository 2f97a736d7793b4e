/**
 * Writes a small oha text summary (the `secs` era) for end-to-end tests. Figures are whatever the
 * test passes; the layout is oha's.
 */
export function ohaText(p: { total: number; rps: number; p50: number; p90: number; p99: number; p999: number; responses: number; started?: string; finished?: string }): string {
  const f = (n: number) => n.toFixed(4);
  return [
    ...(p.started ? [`Started at ${p.started}`] : []),
    'Summary:',
    '  Success rate:\t100.00%',
    `  Total:\t${f(p.total)} secs`,
    `  Slowest:\t${f(p.p999 * 1.5)} secs`,
    `  Fastest:\t${f(p.p50 / 3)} secs`,
    `  Average:\t${f(p.p50 * 1.01)} secs`,
    `  Requests/sec:\t${f(p.rps)}`,
    '',
    '  Total data:\t1.39 GiB',
    '  Size/request:\t4.75 KiB',
    '  Size/sec:\t762.38 KiB',
    '',
    'Response time histogram:',
    `  ${(p.p50 / 3).toFixed(3)} [1] |`,
    `  ${(p.p999 * 1.5).toFixed(3)} [${p.responses - 1}] |■■■■`,
    '',
    'Response time distribution:',
    `  10.00% in ${f(p.p50 * 0.8)} secs`,
    `  25.00% in ${f(p.p50 * 0.9)} secs`,
    `  50.00% in ${f(p.p50)} secs`,
    `  75.00% in ${f(p.p50 * 1.1)} secs`,
    `  90.00% in ${f(p.p90)} secs`,
    `  95.00% in ${f(p.p90 * 1.05)} secs`,
    `  99.00% in ${f(p.p99)} secs`,
    `  99.90% in ${f(p.p999)} secs`,
    `  99.99% in ${f(p.p999 * 1.1)} secs`,
    '',
    '',
    'Details (average, fastest, slowest):',
    '  DNS+dialup:\t0.0003 secs, 0.0001 secs, 0.0230 secs',
    '  DNS-lookup:\t0.0000 secs, 0.0000 secs, 0.0074 secs',
    '',
    'Status code distribution:',
    `  [200] ${p.responses} responses`,
    ...(p.finished ? [`Finished at ${p.finished}`] : []),
    '',
  ].join('\n');
}

/** Figures of a Baseline run and a slower Istio run, for small end-to-end studies. */
export const BASELINE_FIGURES = { total: 6.3512, rps: 157.4506, p50: 0.2017, p90: 0.241, p99: 0.2891, p999: 0.3389, responses: 1000 } as const;
export const ISTIO_FIGURES = { total: 8.3143, rps: 120.2747, p50: 0.2641, p90: 0.3267, p99: 0.3872, p999: 0.435, responses: 1000 } as const;

/** Writes `<dir>/data/{baseline,istio}/<scenario>/oha-32-1000.txt`: a two-option study of one run each. */
export async function writeTwoOptionStudy(dir: string, scenario = 'pod'): Promise<void> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  for (const [env, figures] of [['baseline', BASELINE_FIGURES], ['istio', ISTIO_FIGURES]] as const) {
    await mkdir(join(dir, 'data', env, scenario), { recursive: true });
    await writeFile(join(dir, 'data', env, scenario, 'oha-32-1000.txt'), ohaText(figures));
  }
}

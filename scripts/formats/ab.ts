/**
 * Writes ApacheBench's (ab 2.3) text report from parameters and figures, the way `ab.c` prints it:
 * the banner, progress lines (`Completed N requests` every tenth of the requests asked when more
 * than 150, else `.....done`), the `Label:` block padded to column 25, `Connection Times (ms)`
 * with ab's `%5d %4d %5.1f %6d %7d` columns (or `min avg max` with `-S`) and its sanity warnings,
 * and the percentile table (`  50%      3` … ` 100%     17 (longest request)`). The project's own
 * fixture generator for tests: pure, no I/O.
 */

/** One `Connection Times (ms)` row, milliseconds (ab rounds them to whole ms; `sd` to 0.1). */
export interface AbTimesRow {
  min: number;
  mean: number;
  sd: number;
  median: number;
  max: number;
}

/** A run to write. Times in milliseconds and seconds as ab prints them. */
export interface AbRun {
  /** `$Revision$` number of the banner (default `1903618`; '' for Debian's unexpanded `<$Revision$>`). */
  revision?: string;
  serverSoftware?: string;
  hostname: string;
  port: number;
  /** TLS lines (an `https://` target). */
  ssl?: { protocol: string; tempKey?: string; serverName?: string };
  path: string;
  /** Body length of the first response, or `Variable` (`-l`). */
  documentLength: number | 'Variable';
  concurrency: number;
  /** `-n` (default 1), or null for `-t` (ab then asks for 50,000). */
  requestsAsked: number | null;
  /** Whether stderr (the `Completed`/`Finished` progress lines) is part of the capture (default true). */
  progress?: boolean;
  timeTaken: number;
  complete: number;
  failures?: { connect: number; receive: number; length: number; exceptions: number };
  writeErrors?: number;
  non2xx?: number;
  /** `Keep-Alive requests` (`-k`), or undefined without `-k`. */
  keepAlive?: number;
  totalTransferred: number;
  /** `Total body sent` (`-p`/`-u`). */
  bodySent?: number;
  htmlTransferred: number;
  times: { connect: AbTimesRow; processing: AbTimesRow; waiting: AbTimesRow; total: AbTimesRow };
  /** Whether ab printed mean, sd and median (default true; false with `-S`). */
  confidence?: boolean;
  /** The 50, 66, 75, 80, 90, 95, 98, 99 and 100 % rows, ms; null for `-d` (no table). */
  percentiles: readonly [number, number, number, number, number, number, number, number, number] | null;
}

const PERCENTS = [50, 66, 75, 80, 90, 95, 98, 99, 100] as const;

/** ab's banner (`ab -V` prints the first three lines). */
export function abBanner(revision = '1903618'): string[] {
  return [
    `This is ApacheBench, Version 2.3 <${revision === '' ? '$Revision$' : `$Revision: ${revision} $`}>`,
    'Copyright 1996 Adam Twiss, Zeus Technology Ltd, http://www.zeustech.net/',
    'Licensed to The Apache Software Foundation, http://www.apache.org/',
    '',
  ];
}

const pad = (text: string | number, width: number) => String(text).padStart(width);
const field = (label: string, value: string | number) => `${`${label}:`.padEnd(24)}${value}`;

/** ab's whole report for one run, lines joined by `\n`, ending with a newline. */
export function writeAbText(run: AbRun): string {
  const out = [...abBanner(run.revision)];
  const asked = run.requestsAsked ?? 50000;
  const heartbeat = asked > 150 ? Math.max(100, Math.floor(asked / 10)) : 0;
  if (heartbeat > 0) {
    out.push(`Benchmarking ${run.hostname} (be patient)`);
    if (run.progress !== false) {
      for (let done = heartbeat; done <= run.complete; done += heartbeat) out.push(`Completed ${done} requests`);
      out.push(`Finished ${run.complete} requests`);
    }
  } else {
    out.push(`Benchmarking ${run.hostname} (be patient).....done`);
  }
  out.push('', '');
  out.push(field('Server Software', run.serverSoftware ?? ''), field('Server Hostname', run.hostname), field('Server Port', run.port));
  if (run.ssl !== undefined) {
    out.push(field('SSL/TLS Protocol', run.ssl.protocol));
    if (run.ssl.tempKey !== undefined) out.push(field('Server Temp Key', run.ssl.tempKey));
    if (run.ssl.serverName !== undefined) out.push(field('TLS Server Name', run.ssl.serverName));
  }
  out.push('', field('Document Path', run.path));
  out.push(field('Document Length', run.documentLength === 'Variable' ? 'Variable' : `${run.documentLength} bytes`), '');
  const f = run.failures ?? { connect: 0, receive: 0, length: 0, exceptions: 0 };
  const bad = f.connect + f.receive + f.length + f.exceptions;
  out.push(field('Concurrency Level', run.concurrency), field('Time taken for tests', `${run.timeTaken.toFixed(3)} seconds`));
  out.push(field('Complete requests', run.complete), field('Failed requests', bad));
  if (bad > 0) out.push(`   (Connect: ${f.connect}, Receive: ${f.receive}, Length: ${f.length}, Exceptions: ${f.exceptions})`);
  if ((run.writeErrors ?? 0) > 0) out.push(field('Write errors', run.writeErrors ?? 0));
  if ((run.non2xx ?? 0) > 0) out.push(field('Non-2xx responses', run.non2xx ?? 0));
  if (run.keepAlive !== undefined) out.push(field('Keep-Alive requests', run.keepAlive));
  out.push(field('Total transferred', `${run.totalTransferred} bytes`));
  if (run.bodySent !== undefined) out.push(field('Total body sent', run.bodySent));
  out.push(field('HTML transferred', `${run.htmlTransferred} bytes`));
  if (run.timeTaken > 0 && run.complete > 0) {
    const t = run.timeTaken;
    out.push(field('Requests per second', `${(run.complete / t).toFixed(2)} [#/sec] (mean)`));
    out.push(field('Time per request', `${((run.concurrency * t * 1000) / run.complete).toFixed(3)} [ms] (mean)`));
    out.push(field('Time per request', `${((t * 1000) / run.complete).toFixed(3)} [ms] (mean, across all concurrent requests)`));
    out.push(field('Transfer rate', `${(run.totalTransferred / 1024 / t).toFixed(2)} [Kbytes/sec] received`));
    if (run.bodySent !== undefined) {
      out.push(`${' '.repeat(24)}${(run.bodySent / 1024 / t).toFixed(2)} kb/s sent`);
      out.push(`${' '.repeat(24)}${((run.totalTransferred + run.bodySent) / 1024 / t).toFixed(2)} kb/s total`);
    }
  }
  if (run.complete > 0) out.push(...timesTable(run));
  if (run.percentiles !== null && run.complete > 1) {
    out.push('', 'Percentage of the requests served within a certain time (ms)');
    PERCENTS.forEach((percent, i) => {
      const ms = Math.round(run.percentiles![i]!);
      out.push(percent === 100 ? ` 100%  ${pad(ms, 5)} (longest request)` : `  ${percent}%  ${pad(ms, 5)}`);
    });
  }
  return `${out.join('\n')}\n`;
}

function timesTable(run: AbRun): string[] {
  const rows: Array<[string, AbTimesRow, string]> = [
    ['Connect:    ', run.times.connect, 'the initial connection time'],
    ['Processing: ', run.times.processing, 'the processing time'],
    ['Waiting:    ', run.times.waiting, 'the waiting time'],
    ['Total:      ', run.times.total, 'the total time'],
  ];
  const r = Math.round;
  if (run.confidence === false) {
    return ['', 'Connection Times (ms)', '              min   avg   max', ...rows.map(([label, row]) => `${label}${pad(r(row.min), 5)} ${pad(r(row.mean), 5)}${pad(r(row.max), 5)}`)];
  }
  const out = ['', 'Connection Times (ms)', '              min  mean[+/-sd] median   max'];
  for (const [label, row] of rows) {
    out.push(`${label}${pad(r(row.min), 5)} ${pad(r(row.mean), 4)} ${pad(row.sd.toFixed(1), 5)} ${pad(r(row.median), 6)} ${pad(r(row.max), 7)}`);
  }
  for (const [, row, what] of rows) {
    const d = Math.abs(row.mean - row.median);
    if (d > 2 * row.sd) out.push(`ERROR: The median and mean for ${what} are more than twice the standard`, '       deviation apart. These results are NOT reliable.');
    else if (d > row.sd) out.push(`WARNING: The median and mean for ${what} are not within a normal deviation`, '        These results are probably not that reliable.');
  }
  return out;
}

/** A typical run: 10,000 requests over 10 connections in 1.234 s, 612-byte page, nothing failed. */
export function sampleAbRun(overrides: Partial<AbRun> = {}): AbRun {
  return {
    hostname: '10.0.0.5',
    port: 8080,
    path: '/index.html',
    serverSoftware: 'nginx/1.25.3',
    documentLength: 612,
    concurrency: 10,
    requestsAsked: 10000,
    timeTaken: 1.234,
    complete: 10000,
    totalTransferred: 8450000,
    htmlTransferred: 6120000,
    times: {
      connect: { min: 0, mean: 0, sd: 0.1, median: 0, max: 3 },
      processing: { min: 0, mean: 1, sd: 0.6, median: 1, max: 33 },
      waiting: { min: 0, mean: 1, sd: 0.6, median: 1, max: 33 },
      total: { min: 0, mean: 1, sd: 0.7, median: 1, max: 34 },
    },
    percentiles: [1, 1, 1, 2, 2, 3, 4, 5, 34],
    ...overrides,
  };
}

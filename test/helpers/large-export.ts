/**
 * Writes metric exports of a chosen size, as a whole-cluster export is: a Prometheus `query_range`
 * answer (one series per pod, a sample every 15 s) or a wide Grafana CSV (a column per pod, a row
 * per timestamp). Written in chunks, so that a file of hundreds of MiB costs this process nothing.
 * Used by the tests of the input size limits and to measure peak memory by hand:
 *
 *   node --import tsx test/helpers/large-export.ts prometheus 300 /tmp/app-cpu.json
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Start of the samples, Unix seconds: 2024-04-10T12:00:00Z, an hour and a half before 13:26. */
const FROM = Date.UTC(2024, 3, 10, 12) / 1000;
/** Samples per series: 15 s apart, from 12:00 to 15:00. */
const SAMPLES = 720;

/** Writes `text` pieces to `file` until it holds about `bytes`, then `end`. */
function writeUpTo(file: string, bytes: number, start: string, piece: (i: number) => string, end: string): void {
  const fd = openSync(file, 'w');
  try {
    let written = writeSync(fd, start);
    let chunk = '';
    for (let i = 0; written + chunk.length < bytes; i++) {
      chunk += piece(i);
      if (chunk.length > 1 << 20) {
        written += writeSync(fd, chunk);
        chunk = '';
      }
    }
    writeSync(fd, chunk + end);
  } finally {
    closeSync(fd);
  }
}

/** A Prometheus `query_range` answer of about `bytes`: series `pod="app-<i>"` of {@link SAMPLES} samples each. */
export function writePrometheusExport(file: string, bytes: number): void {
  const series = (i: number): string => {
    const values = Array.from({ length: SAMPLES }, (_, j) => `[${FROM + 15 * j},"${(0.1 + ((i * 7 + j) % 100) / 1000).toFixed(4)}"]`);
    return `${i === 0 ? '' : ','}{"metric":{"namespace":"bookinfo","pod":"app-${i}"},"values":[${values.join(',')}]}`;
  };
  writeUpTo(file, bytes, '{"status":"success","data":{"resultType":"matrix","result":[', series, ']}}\n');
}

/** A wide Grafana CSV of about `bytes`: `Time` in epoch ms, then `columns` pods, a row per second from 12:00. */
export function writeGrafanaCsv(file: string, bytes: number, columns = 50): void {
  const header = ['"Time"', ...Array.from({ length: columns }, (_, c) => `"app-${c}"`)].join(',') + '\n';
  const row = (i: number): string => [(FROM + i) * 1000, ...Array.from({ length: columns }, (_, c) => (0.1 + ((i + c) % 100) / 1000).toFixed(4))].join(',') + '\n';
  writeUpTo(file, bytes, header, row, '');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [kind, mib, file] = process.argv.slice(2);
  if ((kind !== 'prometheus' && kind !== 'grafana') || !mib || !file) {
    console.error('usage: large-export.ts prometheus|grafana <MiB> <file>');
    process.exit(64);
  }
  (kind === 'prometheus' ? writePrometheusExport : writeGrafanaCsv)(file, Number(mib) * 1024 ** 2);
}

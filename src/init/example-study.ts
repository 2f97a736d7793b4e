/**
 * The example data `mesh-report init` puts in a new study's folder so that it builds at once: four
 * made-up oha text summaries (two environments, one scenario, two concurrencies) and a README saying
 * that they are generated and how to replace them. Pure and deterministic: the same text every time.
 */

/** The environments of the example; `baseline` is the study's baseline. */
export const EXAMPLE_ENVIRONMENTS = ['baseline', 'candidate'] as const;

/** The example's only scenario: its name marks every example file's path. */
export const EXAMPLE_SCENARIO = 'example';

/** The requests of each example run, in its file name. */
const REQUESTS = 10_000;

/** Figures of one example run, in seconds: the candidate is slower than the baseline, more so under load. */
interface ExampleFigures {
  concurrency: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
}

const FIGURES: Record<(typeof EXAMPLE_ENVIRONMENTS)[number], ExampleFigures[]> = {
  baseline: [
    { concurrency: 16, p50: 0.0121, p90: 0.0158, p99: 0.0213, p999: 0.0287 },
    { concurrency: 64, p50: 0.0436, p90: 0.0561, p99: 0.0748, p999: 0.0962 },
  ],
  candidate: [
    { concurrency: 16, p50: 0.0139, p90: 0.0184, p99: 0.0252, p999: 0.0341 },
    { concurrency: 64, p50: 0.0527, p90: 0.0689, p99: 0.0936, p999: 0.1218 },
  ],
};

/** The oha text summary (the `secs` era) of one example run: `REQUESTS` responses, all 200. */
function ohaSummary(f: ExampleFigures): string {
  const secs = (n: number) => `${n.toFixed(4)} secs`;
  const average = f.p50 * 1.04;
  const rps = f.concurrency / average;
  const total = REQUESTS / rps;
  const fastest = f.p50 / 4;
  const slowest = f.p999 * 1.4;
  // Note: a coarse histogram of five bars; the report reads the distribution, not these bars.
  const bars = [0.02, 0.33, 0.5, 0.14, 0.01].map((share) => Math.round(share * REQUESTS));
  bars[2]! += REQUESTS - bars.reduce((a, b) => a + b, 0);
  const histogram = bars.map((count, i) => {
    const at = fastest + ((slowest - fastest) * (i + 1)) / bars.length;
    return `  ${at.toFixed(3)} [${count}]\t|${'■'.repeat(Math.round((count / REQUESTS) * 32))}`;
  });
  return [
    'Summary:',
    '  Success rate:\t100.00%',
    `  Total:\t${secs(total)}`,
    `  Slowest:\t${secs(slowest)}`,
    `  Fastest:\t${secs(fastest)}`,
    `  Average:\t${secs(average)}`,
    `  Requests/sec:\t${rps.toFixed(4)}`,
    '',
    `  Total data:\t${((REQUESTS * 4.75) / 1024).toFixed(2)} MiB`,
    '  Size/request:\t4.75 KiB',
    `  Size/sec:\t${((rps * 4.75) / 1024).toFixed(2)} MiB`,
    '',
    'Response time histogram:',
    ...histogram,
    '',
    'Response time distribution:',
    `  10.00% in ${secs(f.p50 * 0.78)}`,
    `  25.00% in ${secs(f.p50 * 0.89)}`,
    `  50.00% in ${secs(f.p50)}`,
    `  75.00% in ${secs((f.p50 + f.p90) / 2)}`,
    `  90.00% in ${secs(f.p90)}`,
    `  95.00% in ${secs((f.p90 + f.p99) / 2)}`,
    `  99.00% in ${secs(f.p99)}`,
    `  99.90% in ${secs(f.p999)}`,
    `  99.99% in ${secs(f.p999 * 1.08)}`,
    '',
    '',
    'Details (average, fastest, slowest):',
    '  DNS+dialup:\t0.0003 secs, 0.0001 secs, 0.0041 secs',
    '  DNS-lookup:\t0.0000 secs, 0.0000 secs, 0.0002 secs',
    '',
    'Status code distribution:',
    `  [200] ${REQUESTS} responses`,
    '',
  ].join('\n');
}

/** One file of the example: its path inside the data folder (with `/`) and its text. */
export interface ExampleFile {
  path: string;
  content: string;
}

/** The example runs, as `<environment>/example/oha-<concurrency>-10000.txt` (the default layout). */
export function exampleRuns(): ExampleFile[] {
  return EXAMPLE_ENVIRONMENTS.flatMap((environment) =>
    FIGURES[environment].map((f) => ({ path: `${environment}/${EXAMPLE_SCENARIO}/oha-${f.concurrency}-${REQUESTS}.txt`, content: ohaSummary(f) })),
  );
}

/** The title `dataset.json` gives a study holding the example, saying that its data is generated. */
export function exampleTitle(study: string): string {
  return `${study}: example with generated data (replace it with your own)`;
}

/**
 * The README of the data folder `data` (relative to the repository): what the example is and how
 * to replace it; `marker`, the file recording what `init` wrote, when there is one.
 */
export function exampleReadme(data: string, marker: string | null): string {
  const folders = EXAMPLE_ENVIRONMENTS.map((e) => `\`${e}/\``).join(' and ');
  return `# Example data (generated)

The runs in this folder, under ${folders}, were written by \`mesh-report init\` as an
example: made-up load-test results, **not measurements** of any system. They are there so
that the study builds at once (\`npx mesh-report\`) and shows the report it makes.

To start the real study:

1. Delete the example runs (from the repository's root): \`rm -r ${EXAMPLE_ENVIRONMENTS.map((e) => `${data}/${e}`).join(' ')}\`
2. Put each oha output of the study here, one file per run, as
   \`<environment>/<scenario>/<name>-<concurrency>-<requests>.txt\`
   (for example \`baseline/pod-to-service/oha-64-100000.txt\`). The environment named in
   \`baseline\` in \`dataset.json\` is the one the others are compared with.
3. Give the study its title in \`dataset.json\`, and replace this README with a description
   of your data (or delete it).
4. Build the report again: \`npx mesh-report\`.
${
    marker === null
      ? ''
      : `
\`${marker}\` records what \`init\` wrote, so that \`mesh-report init --study NAME\` can replace
this starter study with NAME while it is unchanged. Delete it with the example runs.
`
  }`;
}

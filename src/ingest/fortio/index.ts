/**
 * fortio's output, text and JSON, as runs of the one model (see `../tools/adapter.ts`):
 * - {@link fortioJsonAdapter} (`fortio-json`): `fortio load -json FILE`, the REST API's
 *   `/fortio/rest/run` body (percentiles computed by fortio's rule when it has none), Nighthawk's
 *   `--output-format fortio`, an array of results;
 * - {@link fortioTextAdapter} (`fortio-text`): `fortio load`'s stdout, every version, several runs
 *   per file amid prompts, prose and Markdown.
 */

import type { JsonAdapter, TextAdapter } from '../tools/adapter.ts';
import { isFortioJson, readFortioJson } from './read-json.ts';
import { readFortioText } from './read-text.ts';

export { calcPercentile, CALC_PERCENTILE_RULE, DEFAULT_PERCENTILES, type FortioBucket, type FortioHistogram } from './calc-percentile.ts';
export { readFortioCommand, FORTIO_COMMAND, FORTIO_DEFAULTS } from './command-line.ts';
export { parseGoDuration } from './go-duration.ts';
export { isFortioJson, readFortioJson } from './read-json.ts';
export { readFortioText } from './read-text.ts';
export { classifyRetCode, sortRetCodes } from './ret-codes.ts';

/** fortio's JSON result (`-json FILE`, REST API, Nighthawk's `--output-format fortio`): one run per object, each of an array. */
export const fortioJsonAdapter: JsonAdapter = {
  tool: 'fortio',
  accepts: isFortioJson,
  readJson: readFortioJson,
  expected: 'fortio JSON (`DurationHistogram`, `RetCodes`)',
};

/** fortio's text output (`fortio load` stdout). */
export const fortioTextAdapter: TextAdapter = {
  tool: 'fortio',
  mayHold: (text) =>
    /Fortio\s+(?:\S+\s+)?running at|Aggregated Function Time|Ended after\s+\S+\s*:\s*\d+\s+calls|"DurationHistogram"\s*:|RTT histogram usec\s*:|^\s*All done\s+\d+\s+calls\b/m.test(text),
  readText: readFortioText,
  expected: 'a `Fortio <version> running at <qps> queries per second` line',
};

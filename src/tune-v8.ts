/**
 * How eagerly V8 optimises, set for a command that runs for seconds, not hours. Imported first by
 * the commands that build reports, so it is set before the rest of their code is loaded.
 *
 * V8 hands a function to its optimising compiler (TurboFan) once the function has spent an
 * "interrupt budget" of bytecode. A build runs a great deal of code only a few times per chart
 * (vega-lite's compiler, vega's parser, each chart's own generated encoders), and optimising it
 * costs more than it gives back before the process ends: in a cold build of the sample, TurboFan
 * took some 1.8 s of CPU on background threads that the chart drawing needed. A budget about four
 * times V8's default (67,584 on Node.js 20) optimises only what stays hot. Measured on the sample
 * with no charts on disk, 2 cores, 5 alternating runs: 6.07 s → 5.68 s (median), the same bytes;
 * 200,000 and 500,000 gave the same within noise. Unchanged rebuilds and the diff do not change.
 *
 * Set only on the Node.js major version it was measured on, and never over a budget the user
 * chose (`node --interrupt-budget=…` or `NODE_OPTIONS`): the flag is V8's, not a stable API, and
 * its effect differs between V8's tiers in other versions.
 */
import { setFlagsFromString } from 'node:v8';

/** The interrupt budget set (see the module's comment). */
export const INTERRUPT_BUDGET = 300_000;

/** The Node.js major versions {@link INTERRUPT_BUDGET} was measured on. */
export const MEASURED_NODE_MAJORS: readonly string[] = ['20'];

/** Whether this process is one the budget applies to: measured Node.js, no budget of the user's. */
export function appliesTo(nodeVersion: string, execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  const major = nodeVersion.replace(/^v/, '').split('.')[0] ?? '';
  const chosen = [...execArgv, nodeOptions ?? ''].some((arg) => /--interrupt[-_]budget\b/.test(arg));
  return MEASURED_NODE_MAJORS.includes(major) && !chosen;
}

if (appliesTo(process.version, process.execArgv, process.env.NODE_OPTIONS)) setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);

/**
 * Every load generator's adapter, in the order they are tried: the text adapters of tools whose
 * output could be mistaken for another's first (hey's `Summary:` before oha's), oha last (its text
 * parser reads what the others left). Adding a tool is adding its adapter here.
 */
import type { JsonAdapter, TextAdapter } from './adapter.ts';
import { abTextAdapter } from '../ab/index.ts';
import { fortioJsonAdapter, fortioTextAdapter } from '../fortio/index.ts';
import { heyTextAdapter } from '../hey/index.ts';
import { k6JsonAdapter, k6TextAdapter } from '../k6/index.ts';
import { nighthawkJsonAdapter, nighthawkTextAdapter } from '../nighthawk/index.ts';
import { vegetaJsonAdapter, vegetaTextAdapter } from '../vegeta/index.ts';
import { wrk2TextAdapter, wrkTextAdapter } from '../wrk/index.ts';

/** The adapters of one build: text adapters in the order they claim lines, JSON adapters in the order they are asked. */
export interface Adapters {
  text: readonly TextAdapter[];
  json: readonly JsonAdapter[];
}

/** Every adapter mesh-report has, besides oha's own (read by `read-run-output.ts` itself). */
export const ADAPTERS: Adapters = {
  // Note: Nighthawk's comes last: it names Nighthawk's human and yaml output only where nothing else was read.
  text: [heyTextAdapter, vegetaTextAdapter, abTextAdapter, k6TextAdapter, fortioTextAdapter, wrk2TextAdapter, wrkTextAdapter, nighthawkTextAdapter],
  json: [fortioJsonAdapter, k6JsonAdapter, nighthawkJsonAdapter, vegetaJsonAdapter],
};

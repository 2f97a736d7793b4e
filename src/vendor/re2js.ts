/**
 * re2js (a JavaScript port of RE2/J: RE2's syntax and its linear-time matching, no backtracking),
 * bundled by `npm run build` into `dist/vendor/re2js.js` like {@link ./markdown.ts}. The regular
 * expressions of a metrics `select` run on it (`ingest/metrics/series-selector.ts`).
 */
export { RE2JS, RE2JSException, RE2JSSyntaxException } from 're2js';

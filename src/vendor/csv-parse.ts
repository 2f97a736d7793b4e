/**
 * csv-parse's synchronous parser, bundled by `npm run build` into `dist/vendor/csv-parse.js` like
 * {@link ./markdown.ts}.
 */
export { parse as parseCsv } from 'csv-parse/sync';

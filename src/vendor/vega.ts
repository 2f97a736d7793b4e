/**
 * vega and vega-lite, bundled by `npm run build` into `dist/vendor/vega.js` like
 * {@link ./markdown.ts}: loading them costs one file instead of some 270 modules resolved one by
 * one (measured: 0.35 s → 0.23 s to load them with sharp). Only `write/rasterise-chart.ts` loads
 * this module, when a chart is drawn. The build records the version of every package inside
 * (`dist/vendor/versions.json`), and a renderer whose bundle is not what `node_modules` holds
 * keeps no chart (`write/renderer-fingerprint.ts`).
 */
export * as vega from 'vega';
export { compile } from 'vega-lite';

/**
 * fast-glob, bundled by `npm run build` into `dist/vendor/fast-glob.js` with the few dozen small
 * modules it loads (micromatch, braces, ...), like {@link ./markdown.ts}.
 */
export { default as fg } from 'fast-glob';

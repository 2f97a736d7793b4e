/** picomatch, bundled by `npm run build` into `dist/vendor/picomatch.js` like {@link ./markdown.ts}. */
export { default as picomatch } from 'picomatch';

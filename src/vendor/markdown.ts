/**
 * The Markdown libraries the report and the diff are rendered with (unified, remark and the
 * helpers they share), in one module. `npm run build` bundles this module with its libraries into
 * one file (`dist/vendor/markdown.js`): loading it costs one file read instead of some 300 small
 * modules resolved one by one, which halved the time `unified` and `remark-*` took to load.
 * Everything else imports these libraries from here.
 */
export { unified } from 'unified';
export { default as remarkParse } from 'remark-parse';
export { default as remarkGfm } from 'remark-gfm';
export { default as remarkStringify } from 'remark-stringify';
export { default as GithubSlugger } from 'github-slugger';
export { toString } from 'mdast-util-to-string';

/**
 * The Markdown-to-HTML libraries of the site (remark-rehype, rehype), bundled by `npm run build`
 * into `dist/vendor/html.js` like {@link ./markdown.ts}. Only `npm run site` loads them.
 */
export { default as remarkRehype } from 'remark-rehype';
export { default as rehypeSlug } from 'rehype-slug';
export { default as rehypeStringify } from 'rehype-stringify';
export { visit } from 'unist-util-visit';

/** Types of `build-state.mjs` (plain JavaScript, so that it runs without a TypeScript loader). */

/** A SHA-256 over the path and bytes of every input of the build, in sorted order. */
export function sourceDigest(root?: string): string;

/** Whether `dist/` was built from the sources as they are now; if not, the reason, worded for a person. */
export function staleBuild(root?: string): string | null;

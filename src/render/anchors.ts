/**
 * Links between the parts of a report. A section cannot know the anchor GitHub will give a heading
 * (it depends on every heading before it), so it links to a symbolic anchor: the section a directive
 * sits in ({@link sectionAnchor}) or a heading it made ({@link anchoredHeading}). Once the report is
 * assembled, `resolveAnchors` (`resolve-anchors.ts`) turns them into GitHub's anchors, and a link to
 * a part the template does not have into its plain text. No Markdown library is loaded here, so
 * what only names an anchor (the sidecar's verdict) stays light.
 */
import type { Heading, PhrasingContent } from 'mdast';
import { heading } from './mdast.ts';

/** What starts a symbolic link target. */
export const PREFIX = '#@';

/** A link target: the heading of the section that holds the directive `name` (`outliers`, …). */
export function sectionAnchor(name: string): string {
  return `${PREFIX}section:${name}`;
}

/** A link target: the heading made by {@link anchoredHeading} with `key`. */
export function headingAnchor(key: string): string {
  return `${PREFIX}${key}`;
}

/** A heading that {@link headingAnchor}`(key)` links to. */
export function anchoredHeading(depth: number, key: string, ...children: PhrasingContent[]): Heading {
  return { ...heading(depth, ...children), data: { anchor: key } as Heading['data'] };
}


/**
 * `title`: the report's H1, the dataset's `title` (or `Load Test Report` when it has none). A
 * template that wants another title writes its own heading instead.
 */
import type { RootContent } from 'mdast';
import { heading, text } from '../mdast.ts';
import type { SectionContext, SectionKind } from '../section-kind.ts';

/** The H1 of a study without a `title`. */
export const DEFAULT_TITLE = 'Load Test Report';

/** Renders the title. */
export function renderTitle(ctx: SectionContext): RootContent[] {
  return [heading(1, text(ctx.dataset.title ?? DEFAULT_TITLE))];
}

/** The `title` section kind. */
export const title: SectionKind = {
  name: 'title',
  description: 'The dataset’s `title` as the report’s H1 (`Load Test Report` without one).',
  params: {},
  render: renderTitle,
};

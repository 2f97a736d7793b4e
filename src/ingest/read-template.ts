/**
 * Stage 1 for the template: its text, refused from its size alone over {@link MAX_TEMPLATE_BYTES}.
 */
import { EXIT, ReportError, error, toFileError } from '../diagnostics.ts';
import { stripBom } from '../json-text.ts';
import { MAX_TEMPLATE_BYTES, OversizeError, readFileWithin } from './input-size.ts';

/**
 * The text of the template `file` (absolute; `shown` is how messages name it), without a BOM.
 *
 * @throws {ReportError} (bad template, exit 3) for a file over {@link MAX_TEMPLATE_BYTES}, and a
 * `FileError` when the system cannot read it.
 */
export function readTemplate(file: string, shown: string): string {
  try {
    return stripBom(readFileWithin(file, MAX_TEMPLATE_BYTES, 'a report template', 'a template is Markdown prose and directives, a few KiB; keep data out of it').toString('utf8'));
  } catch (e) {
    if (e instanceof OversizeError) throw new ReportError([error('template', shown, null, e.message)], EXIT.badTemplate);
    throw toFileError(e, 'read', file);
  }
}

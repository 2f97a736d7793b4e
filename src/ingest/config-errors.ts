/**
 * Turns schema validation errors of a configuration file into diagnostics a person can act on: the
 * key in JavaScript notation (`metrics.files[0].selct`), the line it is on, and for an unknown key
 * or value the closest known one ("did you mean `select`?"). Pure: the file's text is given.
 */
import { knownKeys, type JsonSchema } from '../config/schemas.ts';
import type { SchemaError } from '../config/validate-config.ts';
// Note: the same "did you mean" rule as fetch-metrics' `--prometheus ENV=URL` (at most 2 edits, fewer than half the name).
import { closest as closestName } from '../fetch/prometheus-urls.ts';
import { error, type Diagnostic } from '../diagnostics.ts';
import { jsonPathLine, locateJsonValue, type JsonPath } from './json-path-line.ts';

/** The path a JSON Pointer names in `value`: array indexes as numbers. */
function pointerPath(pointer: string, value: unknown): JsonPath {
  const path: Array<string | number> = [];
  let at = value;
  for (const raw of pointer.split('/').slice(1)) {
    const step = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(at)) {
      path.push(Number(step));
      at = at[Number(step)];
    } else {
      path.push(step);
      at = (at as Record<string, unknown> | null)?.[step];
    }
  }
  return path;
}

/** A path as JavaScript would write it: `metrics.files[0].select`, `rateLimits["istio/**"]`. */
export function formatJsonPath(path: JsonPath): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(step)) out += out === '' ? step : `.${step}`;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: '`true` or `false`',
  object: 'an object (`{…}`)',
  array: 'a list (`[…]`)',
  null: '`null`',
};

/** A value's text as written, cut to a readable length. */
function written(text: string, path: JsonPath): string {
  const raw = locateJsonValue(text, path)?.raw.replace(/\s+/g, ' ') ?? '?';
  return raw.length > 40 ? `${raw.slice(0, 39)}…` : raw;
}

const quoted = (names: readonly unknown[]) => names.map((n) => `\`${String(n)}\``).join(', ');

/**
 * One diagnostic per schema error of `file` (shown as `shown`), with the line of the key or value
 * and, for an unknown key or a value outside a list, the closest known one.
 *
 * @param schema the schema the value was checked against, for the keys each object may hold.
 * @param text the file's text, for lines and values as written.
 * @param value the parsed file.
 */
export function explainSchemaErrors(shown: string, schema: JsonSchema, text: string, value: unknown, errors: readonly SchemaError[]): Diagnostic[] {
  const diagnostics = errors.map((e): Diagnostic => {
    const path = pointerPath(e.instancePath, value);
    const where = path.length === 0 ? 'this configuration' : `\`${formatJsonPath(path)}\``;
    const lineOf = (p: JsonPath) => (p.length === 0 ? null : jsonPathLine(text, p));
    switch (e.keyword) {
      case 'additionalProperties': {
        const key = String(e.params.additionalProperty);
        const full = [...path, key];
        const known = knownKeys(schema, path) ?? [];
        const closest = closestName(key, known);
        const advice = closest === null ? `expected one of ${quoted(known)}` : `did you mean \`${closest}\`?`;
        return error('config', shown, lineOf(full), `Cannot use unknown key \`${formatJsonPath(full)}\`: ${advice}`);
      }
      case 'required':
        return error('config', shown, lineOf(path), `Cannot use ${where} without \`${String(e.params.missingProperty)}\``);
      case 'type': {
        const types = String(e.params.type).split(',').map((t) => TYPE_WORDS[t] ?? t);
        return error('config', shown, lineOf(path), `Cannot use ${where}: expected ${types.join(' or ')}, got \`${written(text, path)}\``);
      }
      case 'enum': {
        const allowed = (e.params.allowedValues as unknown[] | undefined) ?? [];
        const got = path.reduce<unknown>((at, step) => (at as Record<string | number, unknown> | null)?.[step], value);
        const closest = typeof got === 'string' ? closestName(got, allowed.map(String)) : null;
        const expected = `one of ${quoted(allowed)}`;
        const advice = closest === null ? `expected ${expected}` : `did you mean \`${closest}\`? (expected ${expected})`;
        return error('config', shown, lineOf(path), `Cannot use ${where} \`${written(text, path)}\`: ${advice}`);
      }
      default:
        return error('config', shown, lineOf(path), `Cannot use ${where} \`${written(text, path)}\`: it ${e.message ?? 'is not valid'}`);
    }
  });
  // In the order of the file (the validator reports them key by key, depth first); whole-file problems first.
  return diagnostics.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/**
 * Typed access to one Nighthawk JSON document: every failure names the key's path and its line in
 * the document's text, and every figure read keeps how it was written (for `checkSummary`). Pure.
 */

import { ParseError } from '../../diagnostics.ts';
import { locateJsonValue, type JsonPath } from '../json-path-line.ts';
import type { Figure } from '../oha/check-summary.ts';
import { halfLastDigit } from '../oha/decimal.ts';
import { messages } from './messages.ts';
import { protoCount, protoDuration } from './proto-values.ts';

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** Whether a value is a JSON object (not an array). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `results[2].statistics[1].mean` for messages. */
export function pathText(path: JsonPath): string {
  return path.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('');
}

/** Reads values of a document whose first character is on `line`, its text `text`. */
export class NighthawkReader {
  constructor(
    readonly line: number,
    private readonly text: string,
  ) {}

  /** The 1-based line of the value at `path` (the document's line when it cannot be found). */
  lineOf(path: JsonPath): number {
    const place = locateJsonValue(this.text, path);
    return place === null ? this.line : this.line + place.line - 1;
  }

  fail(path: JsonPath, expected: string, got: unknown): never {
    const line = this.lineOf(path);
    if (got === undefined) throw new ParseError(messages.missingKey(line, pathText(path), expected), line);
    throw new ParseError(messages.badKey(line, pathText(path), expected, got), line);
  }

  /** The value at `key` of `object` (at `path`), which must be an array. */
  array(object: JsonObject, path: JsonPath): unknown[] {
    const value = object[String(path.at(-1))];
    if (!Array.isArray(value)) this.fail(path, 'an array', value);
    return value;
  }

  /** A count (protobuf uint64: a string of digits) at `path`; undefined when absent and not `required`. */
  count(object: JsonObject, path: JsonPath, required: true): number;
  count(object: JsonObject, path: JsonPath, required?: false): number | undefined;
  count(object: JsonObject, path: JsonPath, required = false): number | undefined {
    const value = object[String(path.at(-1))];
    if (value === undefined && !required) return undefined;
    const n = protoCount(value);
    if (n === undefined) this.fail(path, 'a count (a string of digits such as `"1234"`)', value);
    return n;
  }

  /** A duration (`"0.000036756s"`) at `path` as a figure in seconds; null when absent and not `required`. */
  duration(object: JsonObject, path: JsonPath, required: true): Figure;
  duration(object: JsonObject, path: JsonPath, required?: false): Figure | null;
  duration(object: JsonObject, path: JsonPath, required = false): Figure | null {
    const value = object[String(path.at(-1))];
    if (value === undefined && !required) return null;
    const d = protoDuration(value);
    if (d === undefined) this.fail(path, 'a duration such as `"0.000036756s"`', value);
    return { value: d.seconds, slack: halfLastDigit(d.digits), line: this.lineOf(path), written: `${pathText(path)}: ${JSON.stringify(value)}` };
  }

  /** A number at `path` (fractions, rates); undefined when absent. */
  number(object: JsonObject, path: JsonPath): number | undefined {
    const value = object[String(path.at(-1))];
    if (value === undefined) return undefined;
    const n = typeof value === 'string' && /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/.test(value) ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) this.fail(path, 'a number', value);
    return n;
  }
}

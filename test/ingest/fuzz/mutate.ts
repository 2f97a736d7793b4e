/**
 * Mutations of real-shaped inputs for property-based parser tests: a valid input is generated, then
 * damaged the way files get damaged (a character flipped, lines dropped or repeated, numbers swapped,
 * copied over one another or replaced by impossible ones, garbage pasted in, the end cut off).
 */
import fc from 'fast-check';

/** Runs of every property test: fixed, so that `npm test` is deterministic. */
export const SEED = 20240410;

/** Numbers a damaged file may hold instead of a real one. */
const BAD_NUMBERS = ['-1', '0', '-0', '-0.2891', '1e300', '1e308', '-1e308', '1e-300', 'NaN', 'Infinity', '-Infinity', '99999999999999999999', '170.00', '7', '0.0000', '4.', '.', '1.2.3', ''];

/** Characters a flipped one may become. */
const CHARACTERS = [...'0123456789-.e+ \t%[]|:x\n",{};µ∞'];

type Mutation =
  | { kind: 'flip'; at: number; char: string }
  | { kind: 'drop-line'; at: number; count: number }
  | { kind: 'repeat-line'; at: number }
  | { kind: 'swap-numbers'; a: number; b: number }
  | { kind: 'copy-number'; from: number; to: number }
  | { kind: 'replace-number'; at: number; by: string }
  | { kind: 'scale-number'; at: number; by: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'truncate'; at: number };

const index = fc.nat({ max: 1_000_000 });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: index, char: fc.constantFrom(...CHARACTERS) }),
  fc.record({ kind: fc.constant('drop-line' as const), at: index, count: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('repeat-line' as const), at: index }),
  fc.record({ kind: fc.constant('swap-numbers' as const), a: index, b: index }),
  fc.record({ kind: fc.constant('copy-number' as const), from: index, to: index }),
  fc.record({ kind: fc.constant('replace-number' as const), at: index, by: fc.constantFrom(...BAD_NUMBERS) }),
  fc.record({ kind: fc.constant('scale-number' as const), at: index, by: fc.constantFrom(-1, 0.5, 1.01, 2, 10, 1000) }),
  fc.record({ kind: fc.constant('insert' as const), at: index, text: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('\n', '\nSummary:\n', '{', '"', ',,', '\r\n', ' ms', ' hr')) }),
  fc.record({ kind: fc.constant('truncate' as const), at: index }),
);

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g;

function numbers(text: string): { start: number; end: number }[] {
  return [...text.matchAll(NUMBER)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Applies one mutation; positions are taken modulo what the text has. */
export function mutate(text: string, m: Mutation): string {
  const at = (n: number, length: number): number => (length === 0 ? 0 : n % length);
  switch (m.kind) {
    case 'flip': {
      const i = at(m.at, text.length);
      return text.slice(0, i) + m.char + text.slice(i + 1);
    }
    case 'drop-line':
    case 'repeat-line': {
      const starts = lineStarts(text);
      const line = at(m.at, starts.length);
      const start = starts[line]!;
      const end = starts[line + (m.kind === 'drop-line' ? m.count : 1)] ?? text.length;
      return m.kind === 'drop-line' ? text.slice(0, start) + text.slice(end) : text.slice(0, end) + text.slice(start, end) + text.slice(end);
    }
    case 'swap-numbers': {
      const found = numbers(text);
      if (found.length < 2) return text;
      const first = found[at(m.a, found.length)]!;
      const second = found[at(m.b, found.length)]!;
      const [x, y] = first.start <= second.start ? [first, second] : [second, first];
      if (x.start === y.start) return text;
      return text.slice(0, x.start) + text.slice(y.start, y.end) + text.slice(x.end, y.start) + text.slice(x.start, x.end) + text.slice(y.end);
    }
    case 'copy-number': {
      const found = numbers(text);
      if (found.length === 0) return text;
      const from = found[at(m.from, found.length)]!;
      const to = found[at(m.to, found.length)]!;
      return text.slice(0, to.start) + text.slice(from.start, from.end) + text.slice(to.end);
    }
    case 'replace-number':
    case 'scale-number': {
      const found = numbers(text);
      if (found.length === 0) return text;
      const n = found[at(m.at, found.length)]!;
      const by = m.kind === 'replace-number' ? m.by : String(Number(text.slice(n.start, n.end)) * m.by);
      return text.slice(0, n.start) + by + text.slice(n.end);
    }
    case 'insert': {
      const i = at(m.at, text.length + 1);
      return text.slice(0, i) + m.text + text.slice(i);
    }
    case 'truncate':
      return text.slice(0, at(m.at, text.length + 1));
  }
}

/** `valid` damaged by one to four mutations. */
export function mutated(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(valid, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([text, ms]) => ms.reduce(mutate, text));
}

/**
 * Whether `error` is what a parser may throw for bad input: its typed error. Anything else (a
 * TypeError, a RangeError from a number, a plain Error) is a bug the property test reports.
 */
export function isTyped(error: unknown, ...types: Array<abstract new (...args: never[]) => Error>): boolean {
  return types.some((type) => error instanceof type);
}

/**
 * The `text` handler of remark-stringify, made fast for the common case and giving the same output.
 *
 * The stock handler escapes a text with `state.safe`, which, for every text node, checks each of the
 * ~60 "unsafe" patterns against the stack of constructs and runs the ones in scope: about 40 µs a
 * table cell, most of a large report's stringify time. Which patterns are in scope depends only on
 * the construct stack and the node types beside the text, so this handler keeps that list per
 * context, runs only the patterns whose character occurs, and returns the text untouched when none
 * matches inside it (and it holds no backslash). Any other text goes to `state.safe` as before, so
 * the output is the stock handler's, byte for byte.
 */
import type { Options as StringifyOptions } from 'remark-stringify';

type Handlers = NonNullable<StringifyOptions['handlers']>;
type TextHandler = NonNullable<Handlers['text']>;
type State = Parameters<TextHandler>[2];
type Unsafe = State['unsafe'][number];
type NodeTypes = Unsafe['beforeNode'];

/** Per stringify call (one `state`): the unsafe patterns in scope, by context. */
const inScope = new WeakMap<State, Map<string, Unsafe[]>>();

function listInScope(stack: readonly string[], list: Unsafe['inConstruct'], none: boolean): boolean {
  const names = typeof list === 'string' ? [list] : list;
  if (!names || names.length === 0) return none;
  return names.some((name) => stack.includes(name));
}

function nodeInScope(types: NodeTypes, type: string | undefined): boolean {
  if (!types) return true;
  if (type === undefined) return false;
  return typeof types === 'string' ? types === type : types.includes(type as never);
}

/** The patterns `state.safe` would run for a text between nodes of these types (`mdast-util-to-markdown` 2.x rules). */
function patternsInScope(state: State, beforeType: string | undefined, afterType: string | undefined): Unsafe[] {
  let byContext = inScope.get(state);
  if (byContext === undefined) {
    byContext = new Map();
    inScope.set(state, byContext);
  }
  const key = `${state.stack.join(' ')}|${beforeType ?? ''}|${afterType ?? ''}`;
  let patterns = byContext.get(key);
  if (patterns === undefined) {
    patterns = state.unsafe.filter(
      (p) =>
        listInScope(state.stack, p.inConstruct, true) &&
        !listInScope(state.stack, p.notInConstruct, false) &&
        nodeInScope(p.beforeNode, beforeType) &&
        nodeInScope(p.afterNode, afterType),
    );
    byContext.set(key, patterns);
  }
  return patterns;
}

/**
 * Whether `state.safe` would leave `input` as it is: no pattern in scope matches a character of it
 * (the positions `safe` computes, with the same expressions on the same text), and it has no
 * backslash (which `safe` may escape).
 */
function needsNoEscape(state: State, input: string, before: string, after: string, patterns: Unsafe[]): boolean {
  if (input.includes('\\')) return false;
  const value = before + input + after;
  const offset = before.length;
  const end = value.length - after.length;
  for (const pattern of patterns) {
    if (!value.includes(pattern.character)) continue;
    const expression = state.compilePattern(pattern);
    const from = pattern.beforeNode ? offset : 0;
    const subject = value.slice(from, pattern.afterNode ? end : undefined);
    const hasBefore = Boolean(pattern.before || pattern.atBreak);
    let match: RegExpExecArray | null;
    while ((match = expression.exec(subject)) !== null) {
      const position = from + match.index + (hasBefore ? match[1]!.length : 0);
      if (position >= offset && position < end) {
        // Note: the expression is global; leave it as `safe` expects it, from the start.
        expression.lastIndex = 0;
        return false;
      }
    }
  }
  return true;
}

/** remark-stringify's `text` handler, faster; see the module comment. */
export const stringifyText: TextHandler = (node, parent, state, info) => {
  const siblings = parent ? parent.children : [];
  const index = state.indexStack[state.indexStack.length - 1]!;
  const afterNode = siblings[index + 1];
  const beforeNode = siblings[index - 1];
  const before = info.before || '';
  const after = info.after || '';
  if (!state.stack.includes('autolink')) {
    const patterns = patternsInScope(state, beforeNode?.type, afterNode?.type);
    if (needsNoEscape(state, node.value, before, after, patterns)) return node.value;
  }
  return state.safe(node.value, { ...info, afterNode, beforeNode });
};

/**
 * Brings the three text shapes of an oha summary to plain text: raw captures with ANSI colour
 * codes, pages converted by the `aha` tool (XHTML whose `<pre>` holds the text in `<span>`s), and
 * plain text. Line numbers are kept: every newline of the input stays, so an error on line N of
 * the result is on line N of the file.
 */

/** CSI sequences (`ESC[1m`, `ESC[38;5;10m`), OSC sequences (titles, links) and two-byte escapes. */
const ANSI_PATTERN =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[()][0-9A-Za-z]|\u001b[@-Z\\-_]/g;

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

/** Removes ANSI escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/** Decodes the HTML entities `aha` writes: `&lt;`, `&amp;`, `&quot;`, `&#123;`, `&#x7B;`, ... */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#[xX][0-9a-fA-F]+|#\d+|[A-Za-z]+);/g, (entity: string, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return NAMED_ENTITIES[body] ?? entity;
  });
}

/** Whether the text is an HTML page (as `aha` writes it) rather than terminal text. */
export function isHtml(text: string): boolean {
  return /^\s*<(?:\?xml|!DOCTYPE|html)/i.test(text) || /<span\s+style=/i.test(text);
}

/**
 * Converts an `aha` page to the terminal text it was made from. Text inside `<pre>` loses its tags
 * and has its entities decoded; everything outside `<pre>` is blanked; newlines are all kept.
 * A page without `<pre>` (aha's `--no-header`) is stripped of tags throughout.
 */
export function ahaHtmlToText(html: string): string {
  const pre = /(<pre\b[^>]*>)([\s\S]*?)(<\/pre\s*>|$)/gi;
  if (!/<pre\b[^>]*>/i.test(html)) return preText(html);
  let out = '';
  let last = 0;
  for (const match of html.matchAll(pre)) {
    const [whole, open = '', inner = '', close = ''] = match;
    out += newlinesOf(html.slice(last, match.index) + open);
    out += preText(inner);
    out += newlinesOf(close);
    last = match.index + whole.length;
  }
  return out + newlinesOf(html.slice(last));
}

/**
 * Normalizes oha text in any of its shapes (plain, ANSI, aha HTML) to plain text with the same
 * line numbering.
 */
export function normalizeOhaText(text: string): string {
  return stripAnsi(isHtml(text) ? ahaHtmlToText(text) : text);
}

function preText(html: string): string {
  return decodeHtmlEntities(html.replace(/<[^>]*>/g, newlinesOf));
}

function newlinesOf(text: string): string {
  return text.replace(/[^\n]/g, '');
}

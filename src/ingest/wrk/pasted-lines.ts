/**
 * What pasting a terminal session adds around a load generator's lines, undone line by line (line
 * numbers kept), for the wrk, wrk2 and ab readers:
 * - the `^C` a terminal echoes when the run is interrupted: wrk and ab then print their report all
 *   the same, its next line glued after the `^C` (`^C  Thread Stats   Avg …`);
 * - a Markdown block quote (`> Running 30s test @ …`, GitHub issues quote pasted output so): a run
 *   of `>` lines that holds one of the tool's own lines loses its `> ` (bash's `> ` continuation
 *   prompt, a `>` run without the tool's lines, is left as is);
 * - a container around the tool's command (`docker run --rm williamyeh/wrk -t2 … http://…`,
 *   `docker run httpd:2.4 ab -n 100 …`, `kubectl exec pod -- wrk …`): the line is rewritten as
 *   the tool's own command, which the command readers then read.
 * Pure.
 */

/** A line's `^C` echo removed (at its start, after indentation or a Markdown quote). */
function withoutInterrupt(line: string): string {
  return line.replace(/^(\s*(?:>\s?)*)(?:\^C)+/, '$1');
}

/**
 * The lines (without `\r`) with `^C` echoes and block quotes around the tool's output undone.
 * `toolLine` tells a line of the tool's output (trimmed) once unquoted.
 */
export function unpasteLines(lines: readonly string[], toolLine: (trimmed: string) => boolean): string[] {
  const out = lines.map(withoutInterrupt);
  for (let i = 0; i < out.length; i++) {
    if (!/^\s{0,3}>/.test(out[i]!)) continue;
    let end = i;
    while (end < out.length && /^\s{0,3}>/.test(out[end]!)) end++;
    const unquoted = out.slice(i, end).map((line) => withoutInterrupt(line.replace(/^\s{0,3}(?:>[ \t]?)+/, '')));
    if (unquoted.some((line) => toolLine(line.trim()))) out.splice(i, end - i, ...unquoted);
    i = end - 1;
  }
  return out;
}

/** `docker run`, `podman run`, `docker compose run`, `docker exec`, `kubectl run`/`exec` … before the tool's command. */
const CONTAINER = /(?:^|[\s$#%>❯])(?:docker|podman|nerdctl|kubectl|docker-compose)(?:\s+\S+)*?\s+(?:run|exec)\s/;

/**
 * The tool's command inside a container command on `line`, as a line of its own (`wrk -t2 … url`),
 * one candidate per place the tool may start: after a word that is the tool's command (`ab`,
 * `/usr/bin/wrk`) or after an image named for it (`williamyeh/wrk`, `cylab/wrk2:latest`, whose
 * entry point is the tool; a repeated command word after it is dropped). The caller keeps the
 * first candidate that reads as a run of the tool. [] when the line runs no container.
 */
export function containerCandidates(line: string, names: readonly string[]): string[] {
  const match = CONTAINER.exec(line);
  if (match === null) return [];
  const words = [...line.matchAll(/\S+/g)].filter((w) => w.index >= match.index + match[0].length - 1);
  const candidates: string[] = [];
  for (const [k, word] of words.entries()) {
    const text = word[0];
    const base = text.replace(/^.*\//, '').replace(/\.exe$/i, '');
    const rest = (after: number) => line.slice(after).trimStart();
    if (names.includes(base)) {
      candidates.push(`${base} ${rest(word.index + text.length)}`);
      continue;
    }
    // Note: an image: `[registry/]owner/name[:tag]`, its name starting with the tool's (`wrk2-docker`).
    const image = /^(?:[\w.-]+(?::\d+)?\/)*([a-z0-9][\w.-]*?)(?::[\w.-]+)?$/.exec(text)?.[1];
    const tool = image === undefined ? undefined : [...names].sort((a, b) => b.length - a.length).find((name) => image === name || image.startsWith(`${name}-`) || image.startsWith(`${name}_`));
    if (tool === undefined || text.startsWith('-')) continue;
    const next = words[k + 1];
    const nextBase = next?.[0].replace(/^.*\//, '');
    const from = next !== undefined && nextBase !== undefined && names.includes(nextBase) ? next.index + next[0].length : word.index + text.length;
    candidates.push(`${nextBase !== undefined && names.includes(nextBase) ? nextBase : tool} ${rest(from)}`);
  }
  return candidates;
}

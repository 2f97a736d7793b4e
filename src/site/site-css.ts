/**
 * The site's stylesheet, embedded in every page so a page is one self-contained file.
 */

/** CSS for report pages: readable measure, GitHub-like tables, charts scaled to the column. */
export const SITE_CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --stripe: #f6f8fa; --accent: #0969da; }
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0; color: var(--fg); background: #fff; font: 1rem/1.55 -apple-system, "Segoe UI", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 72rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1, h2, h3, h4 { line-height: 1.25; margin: 2rem 0 1rem; }
h1 { font-size: 2rem; margin-top: 0; padding-bottom: .4rem; border-bottom: 1px solid var(--line); }
h2 { font-size: 1.5rem; padding-bottom: .3rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.25rem; }
h4 { font-size: 1.05rem; }
p, ul, ol { margin: 0 0 1rem; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code { font: .875em/1.4 ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; background: var(--stripe); padding: .1em .35em; border-radius: 4px; }
pre { background: var(--stripe); padding: 1rem; overflow: auto; border-radius: 6px; }
pre code { padding: 0; background: none; }
img { max-width: 100%; height: auto; display: block; margin: 1rem 0; }
.table-wrap { overflow-x: auto; margin: 0 0 1.25rem; }
table { border-collapse: collapse; font-size: .875rem; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: .35rem .7rem; vertical-align: top; }
th, td[align="right"], td code { white-space: nowrap; }
td.prose { min-width: 18rem; }
th { background: var(--stripe); font-weight: 600; }
tbody tr:nth-child(2n) { background: #fbfcfd; }
td[align="right"], th[align="right"] { text-align: right; }
nav.toc { background: var(--stripe); border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1.25rem .25rem; margin: 0 0 2rem; display: inline-block; min-width: 20rem; }
nav.toc .toc-title { font-size: .95rem; margin: 0 0 .5rem; padding: 0; border: 0; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
nav.toc ul { margin: 0 0 .5rem; padding-left: 1.2rem; }
nav.toc > ul { padding-left: 1rem; }
nav.site { border-bottom: 1px solid var(--line); background: var(--stripe); }
nav.site ul { list-style: none; display: flex; flex-wrap: wrap; gap: 1.5rem; max-width: 72rem; margin: 0 auto; padding: .75rem 1.5rem; }
nav.site a[aria-current="page"] { color: var(--fg); font-weight: 600; }
main.site-index td:nth-child(2) { min-width: 24rem; }
main.site-index td:nth-child(3) { white-space: nowrap; }
section.footnotes { font-size: .875rem; color: var(--muted); border-top: 1px solid var(--line); margin-top: 3rem; }
`.trimStart();

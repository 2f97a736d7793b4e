import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coveredDates, renderSiteIndex, summariseSidecar } from '../../src/site/render-index.ts';

test('the dates a report covers are the UTC days of its runs’ windows', () => {
  assert.equal(coveredDates([{ start: '2024-05-14T10:00:00.000Z', end: '2024-05-14T10:05:00.000Z' }]), '2024-05-14');
  assert.equal(
    coveredDates([
      { start: '2024-05-16T08:00:00.000Z', end: '2024-05-16T08:01:00.000Z' },
      { start: '2024-05-14T23:59:00.000Z', end: null },
      null,
    ]),
    '2024-05-14 to 2024-05-16',
  );
  assert.equal(coveredDates([{ start: '2024-05-14T23:50:00+02:00', end: '2024-05-15T00:10:00+02:00' }]), '2024-05-14', 'UTC days, whatever the offset written');
  assert.equal(coveredDates([{ start: null, end: null }, null]), null);
  assert.equal(coveredDates([]), null);
});

test('the index reads title, verdict, environments, scenarios and runs from a sidecar of schemaVersion 1, and nothing else', () => {
  const sidecar = {
    schemaVersion: 1,
    title: 'Retest',
    verdict: 'Istio has the least overhead.',
    environments: [{ id: 'baseline', name: 'Baseline' }, { id: 'istio', name: 'Istio' }],
    scenarios: [{ id: 'pod', name: 'Pod to Service' }],
    runs: [{ window: { start: '2024-05-14T10:00:00Z', end: '2024-05-14T10:05:00Z' } }, { window: { start: null, end: null } }],
  };
  assert.deepEqual(summariseSidecar(sidecar), { title: 'Retest', verdict: 'Istio has the least overhead.', environments: ['Baseline', 'Istio'], scenarios: ['Pod to Service'], runs: 2, dates: '2024-05-14' });
  assert.equal(summariseSidecar({ ...sidecar, title: null })?.title, null);
  assert.equal(summariseSidecar({ ...sidecar, schemaVersion: 2 }), null);
  assert.equal(summariseSidecar({ ...sidecar, runs: undefined }), null);
  assert.equal(summariseSidecar({ ...sidecar, scenarios: [{}] }), null);
  assert.equal(summariseSidecar([]), null);
  assert.equal(summariseSidecar(undefined), null);
});

test('the index page: one row per report, names escaped, one per line, and the same bytes every time', () => {
  const entries = [
    { href: 'a.html', label: 'A <study> & co', sidecarHref: 'a.json', summary: { title: 'Mesh <study>', verdict: 'Istio has the least overhead: QPS -4.8% against Baseline’s cluster.', environments: ['Baseline', 'Istio'], scenarios: ['Pod to Service, meshed'], runs: 3, dates: '2024-05-14' } },
    { href: 'sub/b.html', label: 'B', sidecarHref: null, summary: null },
  ];
  const pages = [{ href: 'index.html', label: 'All reports' }, { href: 'a.html', label: 'A' }, { href: 'sub/b.html', label: 'B' }];
  const html = renderSiteIndex(entries, pages);
  assert.match(html, /<title>Load test reports<\/title>/);
  assert.match(html, /<h1 id="load-test-reports">Load test reports<\/h1>\n<p>2 reports\./);
  // The study's title links to the report, its file label below, and the one-line verdict beside it.
  assert.match(html, /<td align="left"(?: class="prose")?><a href="a\.html">Mesh &#x3C;study><\/a><br>\nA &#x3C;study> &#x26; co<br>\n3 runs, <a href="a\.json">a\.json<\/a><\/td>\n<td align="left"(?: class="prose")?>Istio has the least overhead: QPS -4\.8% against Baseline’s cluster\.<\/td>\n<td align="left">2024-05-14<\/td>\n<td align="left">Baseline<br>\nIstio<\/td>\n<td align="left">Pod to Service, meshed<\/td>\n<\/tr>/);
  assert.match(html, /<main class="site-index">/);
  assert.match(html, /<a href="sub\/b\.html">B<\/a><\/td>\n<td align="left">not known \(no JSON sidecar\)<\/td>\n<td align="left">not known \(no JSON sidecar\)<\/td>/);
  assert.match(html, /<a href="index\.html" aria-current="page">All reports<\/a>/);
  assert.doesNotMatch(html, /20\d\d-\d\d-\d\dT/, 'no generation time');
  assert.equal(renderSiteIndex(entries, pages), html);
});

/** A throwaway HTTP server on 127.0.0.1 for the fetch tests. */

import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { FetchError } from '../../src/fetch/fetch-error.ts';

/** A running server: its base URL, the request URLs it saw, and how to close it. */
export interface LocalServer {
  url: string;
  requests: URL[];
  close(): Promise<void>;
}

/** Starts a server on a free port of 127.0.0.1 that answers with `handler`. */
export function serve(handler: (req: IncomingMessage, res: ServerResponse, count: number) => void): Promise<LocalServer> {
  const requests: URL[] = [];
  const server = createServer((req, res) => {
    requests.push(new URL(req.url ?? '/', 'http://127.0.0.1'));
    handler(req, res, requests.length);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

/** Answers with a JSON body. */
export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A `query_range` success body with one series of the given samples. */
export function matrix(values: [number, string][]): unknown {
  return { status: 'success', data: { resultType: 'matrix', result: values.length === 0 ? [] : [{ metric: { pod: 'a' }, values }] } };
}

/** An `assert.throws` check: a {@link FetchError} of `kind` whose message matches. */
export function failsWith(kind: FetchError['kind'], message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof FetchError, String(error));
    assert.equal(error.kind, kind);
    assert.match(error.message, message);
    return true;
  };
}

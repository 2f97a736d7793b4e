/**
 * A small HTTP server for the real load generators of the integration tests, in its own process on
 * 127.0.0.1 (so the test's own work never slows it): `/ok` answers 200; `/flaky` answers every
 * 20th request with a 500; `/vary` answers 200 with a body whose length changes (ab counts those as
 * `Failed requests … Length`, which are not HTTP failures); `/slow` answers after 20 ms.
 */
import { spawn, type ChildProcess } from 'node:child_process';

const SERVER = `
const http = require('node:http');
let n = 0;
const server = http.createServer((req, res) => {
  n += 1;
  const path = req.url.split('?')[0];
  if (path === '/flaky' && n % 20 === 0) { res.writeHead(500, { 'content-type': 'text/plain' }); res.end('fail\\n'); return; }
  if (path === '/vary') { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('x'.repeat(10 + (n % 3))); return; }
  if (path === '/slow') { setTimeout(() => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('ok\\n'); }, 20); return; }
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('ok\\n');
});
server.keepAliveTimeout = 30000;
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

/** A running server: its base URL and how to stop it. */
export interface LoadServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts the server; rejects when it has not said its port within 10 s. */
export function startLoadServer(): Promise<LoadServer> {
  const child: ChildProcess = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('The load server did not start within 10 s'));
    }, 10_000);
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const port = /^(\d+)\n/.exec(out)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      resolve({
        url: `http://127.0.0.1:${port}`,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The load server exited (${code}) before it said its port`));
    });
  });
}

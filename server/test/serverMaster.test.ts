/**
 * A server master that holds a handler but serves no requests (gunicorn --preload with one
 * worker): the finding is information, and its message says the master writes there only what
 * is logged in it, not that it writes records of its own.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { AnalysisEngine } from '../src/workspace/engine';
import { toJson } from '../src/cli/formats';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test-fixtures', 'python');

async function findingsOf(name: string) {
  const dir = path.join(FIXTURES, name);
  const engine = new AnalysisEngine({ roots: [dir] });
  await engine.loadAll();
  return toJson(engine.analyze(), dir, 0).findings;
}

test('gunicorn -w 1 --preload: the app handler is open in the master, which writes there only what is logged in it', async () => {
  const findings = await findingsOf('config-gunicorn-preload-one-worker');
  assert.deepEqual(findings.map((f) => [f.rule, f.severity, f.file, f.line]), [['LF001', 'information', 'app.py', 7]]);
  const message = findings[0].message;
  assert.match(message, /is also open in the server's master process \(the gunicorn master process; 1 × gunicorn -w 1 --preload app:app/);
  assert.match(message, /the master writes there only what is logged in the master itself/);
  assert.doesNotMatch(message, /its own records/);
});

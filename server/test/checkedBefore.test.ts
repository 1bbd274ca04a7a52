/**
 * Cache admission for checks (checkedBefore.ts): the first check of a workspace reads and writes
 * no cache and leaves a mark; the next writes the facts cache; any trace of the workspace in the
 * folder (a mark, a stored run, facts an editor's server saved) makes a check use the cache.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import { AnalysisEngine } from '../src/workspace/engine';
import { CHECK_ENGINE_OPTIONS } from '../src/cli/main';
import { checkedBefore, markChecked, seenMarkFile } from '../src/workspace/checkedBefore';
import { copyFixture, tempDir } from './tempTrees';

const findingsOf = (engine: AnalysisEngine) => engine.analyze().findings.map((f) => `${f.rule} ${f.span.file}:${f.span.start.line}`);

async function check(root: string, cacheDir: string) {
  const engine = new AnalysisEngine({ roots: [root], cacheDir, ...CHECK_ENGINE_OPTIONS, threads: 1 });
  await engine.loadAll();
  const findings = findingsOf(engine);
  await engine.saveCacheInBackground();
  return { findings, cache: engine.cacheStats() };
}

test('a first check uses no cache and leaves a mark; the second writes the facts, the third reads them', async () => {
  const root = copyFixture('cross-file-pkg-pool');
  const cacheDir = tempDir('first-check');
  assert.equal(checkedBefore(cacheDir, [root], ''), false);

  const first = await check(root, cacheDir);
  assert.ok(first.findings.length > 0);
  assert.equal(first.cache, undefined, 'no facts cache opened');
  assert.deepEqual(fs.readdirSync(cacheDir).filter((n) => n !== 'janitor.stamp'), [seenMarkFile(cacheDir, [root], '').slice(cacheDir.length + 1)]);
  assert.equal(checkedBefore(cacheDir, [root], ''), true);

  const second = await check(root, cacheDir);
  assert.deepEqual(second.findings, first.findings);
  assert.equal(second.cache?.hits, 0);
  assert.ok(fs.readdirSync(cacheDir).some((n) => n.startsWith('facts-')), 'the second check wrote the facts cache');

  const third = await check(root, cacheDir);
  assert.deepEqual(third.findings, first.findings);
  assert.ok((third.cache?.hits ?? 0) > 0 && third.cache?.misses === 0, JSON.stringify(third.cache));
});

test("facts an editor's server saved count as a check before: the first check reads them", async () => {
  const root = copyFixture('cross-file-pkg-pool');
  const cacheDir = tempDir('server-first');
  const server = new AnalysisEngine({ roots: [root], cacheDir, threads: 1 });
  await server.loadAll();
  const expected = findingsOf(server);
  server.saveCache();
  assert.equal(checkedBefore(cacheDir, [root], ''), true);

  const first = await check(root, cacheDir);
  assert.deepEqual(first.findings, expected);
  assert.ok((first.cache?.hits ?? 0) > 0, JSON.stringify(first.cache));
  assert.equal(fs.existsSync(seenMarkFile(cacheDir, [root], '')), false, 'no mark: the cache was used');
});

test('a mark is per workspace and per variant; a folder that cannot be written to is no error', () => {
  const cacheDir = tempDir('marks');
  const [a, b] = [tempDir('ws-a'), tempDir('ws-b')];
  markChecked(cacheDir, [a], '');
  assert.equal(checkedBefore(cacheDir, [a], ''), true);
  assert.equal(checkedBefore(cacheDir, [b], ''), false);
  assert.equal(checkedBefore(cacheDir, [a], 'full'), false);
  // A regular file where the folder should be: nothing is written, nothing throws.
  const notAFolder = `${cacheDir}/file`;
  fs.writeFileSync(notAFolder, '');
  markChecked(notAFolder, [a], '');
  assert.equal(checkedBefore(notAFolder, [a], ''), false);
});

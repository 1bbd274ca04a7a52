/**
 * The cache folder stays bounded: sets unused for a month go, then the least recently used ones
 * while the folder is over its size cap; the current run's set, other people's files and files
 * being written stay.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { cacheSetOf, pruneCacheFolder, pruneCacheFolderDaily } from '../src/workspace/cacheJanitor';
import { AnalysisEngine } from '../src/workspace/engine';
import { copyFixture, tempDir } from './tempTrees';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-11-23T12:00:00Z');

/** Files with the given size, last written `daysAgo` before NOW. */
function files(dir: string, spec: Record<string, { daysAgo: number; bytes?: number }>): void {
  for (const [name, { daysAgo, bytes = 10 }] of Object.entries(spec)) {
    const file = path.join(dir, name);
    fs.writeFileSync(file, Buffer.alloc(bytes));
    const at = new Date(NOW - daysAgo * DAY);
    fs.utimesSync(file, at, at);
  }
}

test('cache file names: a workspace is its facts shards, its run and its first-check mark; each code cache is its own', () => {
  assert.equal(cacheSetOf('facts-0123abcd.7.bin'), 'workspace-0123abcd');
  assert.equal(cacheSetOf('run-0123abcd.json'), 'workspace-0123abcd');
  assert.equal(cacheSetOf('seen-0123abcd'), 'workspace-0123abcd');
  assert.equal(cacheSetOf('code-89ef.bin'), 'code-89ef');
  assert.equal(cacheSetOf('notes.txt'), undefined);
  assert.equal(cacheSetOf('facts-0123abcd.7.bin.99.tmp'), undefined);
});

test('sets unused for a month go, as do stale temporary files; recent sets and foreign files stay', () => {
  const dir = tempDir('janitor-age');
  files(dir, {
    'facts-aaaa.0.bin': { daysAgo: 40 },
    'facts-aaaa.1.bin': { daysAgo: 40 },
    'run-aaaa.json': { daysAgo: 35 },
    // One shard written recently keeps the whole workspace.
    'facts-bbbb.0.bin': { daysAgo: 60 },
    'facts-bbbb.1.bin': { daysAgo: 2 },
    'code-cccc.bin': { daysAgo: 31 },
    'code-dddd.bin': { daysAgo: 1 },
    'facts-eeee.0.bin.123.tmp': { daysAgo: 2 },
    'code-ffff.bin.456': { daysAgo: 3 },
    'facts-gggg.0.bin.789.tmp': { daysAgo: 0 },
    'notes.txt': { daysAgo: 400 },
  });
  const removed = pruneCacheFolder(dir, { now: NOW });
  assert.deepEqual(removed.sort(), ['code-cccc.bin', 'code-ffff.bin.456', 'facts-aaaa.0.bin', 'facts-aaaa.1.bin', 'facts-eeee.0.bin.123.tmp', 'run-aaaa.json']);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['code-dddd.bin', 'facts-bbbb.0.bin', 'facts-bbbb.1.bin', 'facts-gggg.0.bin.789.tmp', 'notes.txt']);
});

test('over the size cap, the least recently used sets go first; the current run\'s set never', () => {
  const dir = tempDir('janitor-size');
  files(dir, {
    'facts-0001.0.bin': { daysAgo: 9, bytes: 400 }, // current run: kept although oldest
    'facts-0002.0.bin': { daysAgo: 8, bytes: 300 },
    'run-0002.json': { daysAgo: 3, bytes: 100 }, // used 3 days ago
    'facts-0003.0.bin': { daysAgo: 5, bytes: 300 },
    'code-0004.bin': { daysAgo: 4, bytes: 300 },
    'facts-0005.0.bin': { daysAgo: 1, bytes: 300 },
  });
  // 1,700 bytes against a cap of 1,200: 0003 (used 5 days ago) then 0004 (4 days) go, and the
  // 1,100 bytes left fit; 0002 (used 3 days ago, by its run file) stays.
  const removed = pruneCacheFolder(dir, { now: NOW, maxBytes: 1200, keep: ['workspace-0001'] });
  assert.deepEqual(removed.sort(), ['code-0004.bin', 'facts-0003.0.bin']);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['facts-0001.0.bin', 'facts-0002.0.bin', 'facts-0005.0.bin', 'run-0002.json']);
});

test('the daily janitor runs once a day per folder, and a missing folder is no error', () => {
  const dir = tempDir('janitor-daily');
  files(dir, { 'code-aaaa.bin': { daysAgo: 100 } });
  pruneCacheFolderDaily(dir, []);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['janitor.stamp']);
  files(dir, { 'code-bbbb.bin': { daysAgo: 100 } });
  pruneCacheFolderDaily(dir, []);
  assert.deepEqual(fs.readdirSync(dir).sort(), ['code-bbbb.bin', 'janitor.stamp'], 'it ran less than a day ago');
  assert.deepEqual(pruneCacheFolder(path.join(dir, 'missing')), []);
});

test('a check removes a month-old cache of another workspace; reading a cache keeps it in use', async () => {
  const [a, b] = [copyFixture('pool-task-rotating'), copyFixture('fork-basicconfig-filename')];
  const cacheDir = tempDir('janitor-engine');
  files(cacheDir, { 'facts-0badc0de.0.bin': { daysAgo: 45 }, 'run-0badc0de.json': { daysAgo: 45 } });
  const check = async (root: string) => {
    const engine = new AnalysisEngine({ roots: [root], cacheDir, threads: 1 });
    await engine.loadAll();
    engine.saveCache();
    return engine.cacheStats()!;
  };
  const factsFiles = () => fs.readdirSync(cacheDir).filter((n) => n.startsWith('facts-')).sort();
  const first = await check(a);
  const ofA = factsFiles();
  assert.ok(ofA.length > 0 && !ofA.some((n) => n.includes('0badc0de')), `A's facts stored, the old workspace's gone: ${ofA.join(', ')}`);
  // A's cache a month and a half old, then read by a check of A (the janitor ran today already).
  const old = new Date(Date.now() - 45 * DAY);
  for (const n of ofA) fs.utimesSync(path.join(cacheDir, n), old, old);
  const second = await check(a);
  assert.equal(second.hits, first.misses, 'every file of A came from the cache');
  // Tomorrow, a check of B runs the janitor: A's cache was in use, so it stays.
  fs.rmSync(path.join(cacheDir, 'janitor.stamp'));
  await check(b);
  const after = factsFiles();
  assert.ok(ofA.every((n) => after.includes(n)), `A's cache kept: ${after.join(', ')}`);
  assert.ok(after.length > ofA.length, "B's cache stored beside it");
});

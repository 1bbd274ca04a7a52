/**
 * Every fixture project under test-fixtures/python, analysed on its own: the findings must be
 * exactly the `# expect:` markers (file, line, rule, severity), and every `# related:` line must
 * appear in the related information of a finding of that rule.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { AnalysisEngine } from '../src/workspace/engine';
import { toJson } from '../src/cli/formats';
import { CHECK_ENGINE_OPTIONS } from '../src/cli/main';
import { findingKey, listFixtures, readExpectations } from './fixtureExpectations';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test-fixtures', 'python');

export async function analyseFixture(dir: string, fullParse = false) {
  const engine = new AnalysisEngine({ roots: [dir], fullParse });
  await engine.loadAll();
  const result = engine.analyze();
  return toJson(result, dir, 0);
}

for (const dir of listFixtures(FIXTURES)) {
  const name = path.basename(dir);
  test(`fixture ${name}`, async () => {
    const expected = readExpectations(dir);
    const report = await analyseFixture(dir);
    const actual = report.findings.map((f) => findingKey(f)).sort();
    const wanted = expected.findings.map((f) => findingKey(f)).sort();
    assert.deepEqual(actual, wanted, `findings of ${name}:\n${report.findings.map((f) => `  ${findingKey(f)}: ${f.message}`).join('\n')}`);
    if (name.startsWith('ok-') || name.startsWith('config-ok-')) assert.equal(report.findings.length, 0);
    for (const rel of expected.related) {
      const hit = report.findings.some((f) => f.rule === rel.rule && f.related.some((r) => r.file === rel.file && r.line === rel.line));
      assert.ok(hit, `${name}: ${rel.file}:${rel.line} should be related information of a ${rel.rule} finding; got ${JSON.stringify(report.findings.map((f) => f.related))}`);
    }
  });
}

// The prefilter (files without a relevant word are line-scanned, not parsed) must not change
// any result: the same expectations hold when every file is parsed.
test('every fixture gives the same findings with the prefilter off', async () => {
  for (const dir of listFixtures(FIXTURES)) {
    const [light, full] = [await analyseFixture(dir), await analyseFixture(dir, true)];
    assert.deepEqual(full.findings.map((f) => findingKey(f)), light.findings.map((f) => findingKey(f)), path.basename(dir));
  }
});

// A single run (`logfunnel check`, with a cache or without) puts off the line scan of the files the
// prefilter leaves to it and builds the process models only when a rule can read them
// (needsProcessModel): what it shows must be what the language server shows, word for word.
test('every fixture gives the same findings, messages and related information in a single CLI run', async () => {
  for (const dir of listFixtures(FIXTURES)) {
    const server = await analyseFixture(dir);
    const engine = new AnalysisEngine({ roots: [dir], ...CHECK_ENGINE_OPTIONS });
    await engine.loadAll();
    const single = toJson(engine.analyze(), dir, 0);
    assert.deepEqual(single.findings, server.findings, path.basename(dir));
  }
});

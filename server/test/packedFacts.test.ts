/**
 * The facts cache's compact text (packedFacts.ts): every fixture project's facts, from the parser
 * and from the line scan, come back from it exactly; strings that look like its marks, spans of
 * other files and odd-shaped spans survive; an array it could mistake for a span makes it decline.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import { AnalysisEngine } from '../src/workspace/engine';
import { moduleNameOf } from '../src/workspace/discovery';
import { FactCache } from '../src/workspace/factCache';
import { packEntry, unpackEntry } from '../src/workspace/packedFacts';
import { FIXTURES, tempDir } from './tempTrees';

/** An entry as the cache keeps it, through plain JSON (what the cache gave back before packing). */
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

test('every fixture file\'s facts, parsed or line-scanned, come back from the packed text as they went in', async () => {
  const projects = fs.readdirSync(FIXTURES).filter((name) => fs.statSync(path.join(FIXTURES, name)).isDirectory());
  assert.ok(projects.length >= 40);
  let files = 0;
  let packedChars = 0;
  let plainChars = 0;
  for (const fullParse of [false, true]) {
    for (const project of projects) {
      const engine = new AnalysisEngine({ roots: [path.join(FIXTURES, project)], threads: 1, fullParse });
      await engine.loadAll();
      for (const file of engine.fileList()) {
        const facts = engine.factsOf(file);
        if (!facts) continue;
        const location = file.endsWith('.py') ? moduleNameOf(file) : undefined;
        const entry = { facts, location, lines: 3, reads: ['/elsewhere/.env'] };
        const packed = packEntry(entry, file, location);
        assert.ok(packed !== undefined, `${project}/${path.basename(file)} was packed`);
        assert.deepEqual(unpackEntry(packed, file, location), plain(entry), `${project}/${path.basename(file)}`);
        files++;
        packedChars += packed.length;
        plainChars += JSON.stringify(entry).length;
      }
    }
  }
  assert.ok(files > 200, `${files} files`);
  assert.ok(packedChars < plainChars / 2, `packed ${packedChars} of ${plainChars} chars`);
});

test('mark-like strings, other files\' spans and spans with more keys survive; a four-number array is declined', () => {
  const file = '/w/pkg/mod.py';
  const location = { module: 'pkg.mod', importRoot: '/w', isPackageInit: false };
  const span = (f: string, line: number) => ({ file: f, start: { line, character: 0 }, end: { line, character: 9 } });
  const entry = {
    facts: {
      file,
      functions: [{ scope: 'func:pkg.mod@/w:main', span: span(file, 3) }],
      imports: [{ scope: 'module:pkg.mod@/w', span: span('/w/other.py', 1) }],
      odd: [{ ...span(file, 4), extra: true }, { file, start: { line: 1 }, end: { line: 2, character: 3 } }],
      // Source text may hold any character: these must not read as marks.
      literals: ['\u0001func', '\u0002', '\u0003x', '\u0001', 'func:pkg.mod@/w', 'module:pkg.mod@/w.sub', 'func:pkg.mod@/wx:f', ''],
      numbers: [1, 2, 3],
      nested: { deeper: [[span(file, 7)], null, 0, false] },
    },
    location,
  };
  const packed = packEntry(entry, file, location)!;
  assert.ok(packed !== undefined);
  assert.deepEqual(unpackEntry(packed, file, location), plain(entry));
  // Without a module (a config file): spans only.
  assert.deepEqual(unpackEntry(packEntry(entry, file, undefined)!, file, undefined), plain(entry));

  assert.equal(packEntry({ facts: { file, ranks: [0, 1, 2, 3] } }, file, location), undefined);
});

test('the cache keeps entries packed, and one that could not be as plain JSON; both read back the same', () => {
  const dir = tempDir('packed-cache');
  const root = tempDir('packed-root');
  const entries = new Map<string, { facts: never; location: ReturnType<typeof moduleNameOf>; lines: number }>();
  for (const [name, extra] of [['plain.py', { ranks: [0, 1, 2, 3] }], ['packed.py', {}]] as const) {
    const file = path.join(root, name);
    fs.writeFileSync(file, 'x = 1\n');
    const span = { file, start: { line: 0, character: 0 }, end: { line: 0, character: 5 } };
    const facts = { file, functions: [{ scope: `func:${name.slice(0, -3)}@${root}:f`, span }], ...extra } as never;
    entries.set(file, { facts, location: moduleNameOf(file), lines: 1 });
  }
  const signature = (file: string) => `${fs.statSync(file).size}:${fs.statSync(file).mtimeMs}`;
  const cache = FactCache.open(dir, [root]);
  for (const [file, entry] of entries) cache.store(file, signature(file), entry);
  cache.save();

  const stored = new Map<string, { packed?: true; json: string }>();
  for (const shard of fs.readdirSync(dir).filter((n) => n.startsWith('facts-'))) {
    for (const [file, entry] of (v8.deserialize(fs.readFileSync(path.join(dir, shard))) as { entries: Map<string, { packed?: true; json: string }> }).entries) stored.set(file, entry);
  }
  assert.equal(stored.get(path.join(root, 'packed.py'))?.packed, true);
  assert.equal(stored.get(path.join(root, 'plain.py'))?.packed, undefined);
  assert.deepEqual(JSON.parse(stored.get(path.join(root, 'plain.py'))!.json), plain(entries.get(path.join(root, 'plain.py'))));

  const reopened = FactCache.open(dir, [root]);
  for (const [file, entry] of entries) assert.deepEqual(reopened.lookup(file, signature(file), entry.location), plain(entry), path.basename(file));
});

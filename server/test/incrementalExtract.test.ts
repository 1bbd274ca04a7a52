/**
 * Re-reading a kept tree after an edit (server/src/python/incrementalExtract.ts) gives exactly
 * the facts of a fresh read of the same text: every fact, position, scope and field.
 *
 * Each file takes a chain of random one-line edits (seeded, so a failure names a sequence that
 * replays): comment and blank lines, literals changed, identifiers renamed, handler creations
 * and `Process(...)` calls added or removed, a line deleted, syntax broken and fixed again,
 * statements added inside functions, classes, at module level and inside the main guard. Each
 * edit is read the way the engine reads an editor change (from the previous entry's tree and
 * text), and compared with a read of the same text from nothing.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { Parser } from 'web-tree-sitter';
import { pythonParser } from '../src/python/parser';
import { FileEntry, readPythonText } from '../src/workspace/fileReader';
import { lastIncrementalStats } from '../src/python/incrementalExtract';
import { textEdit } from '../src/python/textEdit';
import { SyntaxNode, syntaxSubtreesOf, syntaxTreeOf } from '../src/python/cursorWalk';
import { mulberry32 } from '../../bench/prng';

const REPO = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.join(REPO, 'test-fixtures', 'python');

function pythonFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...pythonFilesUnder(full));
    else if (entry.name.endsWith('.py')) out.push(full);
  }
  return out.sort();
}

/** One random one-line edit of `lines` at line `at` (undefined when it does not apply there). */
type EditKind = (lines: string[], at: number, k: number) => { name: string; lines: string[] } | undefined;

const indentOf = (line: string) => /^[ \t]*/.exec(line)![0];
const insertAt = (lines: string[], at: number, text: string) => [...lines.slice(0, at), text, ...lines.slice(at)];
const replaceAt = (lines: string[], at: number, text: string) => lines.map((l, i) => (i === at ? text : l));
/** Where a new line at the indentation of line `at` can go (not inside a bracket or after a backslash). */
const codeLine = (lines: string[], at: number) => at < lines.length && /^\s*[A-Za-z_@]/.test(lines[at]) && (at === 0 || !/[\\,(\[{]\s*$/.test(lines[at - 1]));

const EDITS: EditKind[] = [
  (lines, at, k) => codeLine(lines, at) ? { name: 'comment line inserted', lines: insertAt(lines, at, `${indentOf(lines[at])}# edit ${k}`) } : undefined,
  (lines, at) => ({ name: 'blank line inserted', lines: insertAt(lines, at, '') }),
  (lines, at) => (/^\s*(#.*)?$/.test(lines[at] ?? 'x') ? { name: 'blank or comment line removed', lines: lines.filter((_, i) => i !== at) } : undefined),
  (lines, at) => {
    const line = lines[at] ?? '';
    if (!/(?<![\w.])\d+(?![\w.])/.test(line)) return undefined;
    return { name: 'integer literal bumped', lines: replaceAt(lines, at, line.replace(/(?<![\w.])(\d+)(?![\w.])/, (n) => String(BigInt(n) + 1n))) };
  },
  (lines, at) => {
    const line = lines[at] ?? '';
    if (!/(['"])[\w./-]+\1/.test(line)) return undefined;
    return { name: 'string literal changed', lines: replaceAt(lines, at, line.replace(/(['"])([\w./-]+)\1/, '$1$2x$1')) };
  },
  (lines, at, k) => {
    const line = lines[at] ?? '';
    const m = /\b(?!(?:def|class|if|for|while|with|import|from|as|return|in|not|and|or|is|None|True|False|else|elif|try|except|finally|pass|lambda|yield|global|async|await|raise|del|assert)\b)([A-Za-z_]\w*)\b/.exec(line.trimStart());
    if (!m || line.trimStart().startsWith('#')) return undefined;
    return { name: `identifier ${m[1]} renamed`, lines: replaceAt(lines, at, line.replace(new RegExp(`\\b${m[1]}\\b`), `${m[1]}_r${k}`)) };
  },
  (lines, at, k) => codeLine(lines, at)
    ? { name: 'file handler created', lines: insertAt(lines, at, `${indentOf(lines[at])}h${k} = logging.handlers.RotatingFileHandler("edit-${k}.log")`) }
    : undefined,
  (lines, at, k) => codeLine(lines, at)
    ? { name: 'handler attached', lines: insertAt(lines, at, `${indentOf(lines[at])}logging.getLogger("e${k}").addHandler(logging.FileHandler("e${k}.log"))`) }
    : undefined,
  (lines, at) => codeLine(lines, at)
    ? { name: 'Process(...) call added', lines: insertAt(lines, at, `${indentOf(lines[at])}multiprocessing.Process(target=print, args=(1,)).start()`) }
    : undefined,
  (lines, at, k) => codeLine(lines, at)
    ? { name: 'pool created', lines: insertAt(lines, at, `${indentOf(lines[at])}p${k} = multiprocessing.Pool(${k % 5})`) }
    : undefined,
  (lines, at) => {
    const line = lines[at] ?? '';
    if (!/Handler\(|Process\(|Pool\(|fork\(|basicConfig\(|Executor\(/.test(line) || !codeLine(lines, at)) return undefined;
    return { name: 'a handler/process line replaced by pass', lines: replaceAt(lines, at, `${indentOf(line)}pass`) };
  },
  (lines, at, k) => (/^[A-Za-z_@]/.test(lines[at] ?? '') && codeLine(lines, at)
    ? { name: 'module-level assignment added', lines: insertAt(lines, at, `LOG_${k} = "module-${k}.log"`) }
    : undefined),
  (lines, _at, k) => {
    const guard = lines.findIndex((l) => /^if __name__ == ['"]__main__['"]:/.test(l));
    if (guard === -1 || guard + 1 >= lines.length) return undefined;
    return { name: 'statement added in the main guard', lines: insertAt(lines, guard + 1, `    q${k} = multiprocessing.Queue()`) };
  },
  (lines, at) => (at < lines.length ? { name: 'line deleted', lines: lines.filter((_, i) => i !== at) } : undefined),
];

/** Reads like the engine: fresh when `previous` is undefined, else from its kept tree. */
function read(parser: Parser, file: string, text: string, previous?: FileEntry): FileEntry {
  return readPythonText(file, text, parser, {
    workspaceRoot: path.dirname(file),
    fullParse: true,
    keepTree: true,
    previous: previous?.tree && previous.text !== undefined ? { tree: previous.tree, text: previous.text } : undefined,
  });
}

function freshFacts(parser: Parser, file: string, text: string) {
  return readPythonText(file, text, parser, { workspaceRoot: path.dirname(file), fullParse: true }).facts;
}

/** Applies `count` random edits to `file`'s text and compares each incremental read with a fresh one. */
function checkEdits(parser: Parser, file: string, original: string, count: number, seed: number): { partial: number; fallbacks: Map<string, number> } {
  const fallbacks = new Map<string, number>();
  const random = mulberry32(seed);
  let lines = original.split('\n');
  let entry = read(parser, file, original);
  let entryBroken = !!entry.tree?.rootNode.hasError;
  let partial = 0;
  let brokenFrom: string[] | undefined;
  for (let k = 0; k < count; k++) {
    const before = lines;
    let name: string;
    if (brokenFrom) {
      lines = brokenFrom;
      brokenFrom = undefined;
      name = 'syntax fixed again';
    } else if (random() < 0.08) {
      const at = Math.floor(random() * lines.length);
      brokenFrom = lines;
      lines = replaceAt(lines, at, `${lines[at]} (`);
      name = 'syntax broken';
    } else {
      let edit: ReturnType<EditKind>;
      for (let tries = 0; !edit && tries < 20; tries++) {
        edit = EDITS[Math.floor(random() * EDITS.length)](lines, Math.floor(random() * (lines.length + 1)), k);
      }
      if (!edit) continue;
      lines = edit.lines;
      name = edit.name;
    }
    const text = lines.join('\n');
    const next = read(parser, file, text, entry);
    if (lastIncrementalStats?.mode === 'partial') partial++;
    else {
      const why = lastIncrementalStats?.fallback ?? '?';
      fallbacks.set(why, (fallbacks.get(why) ?? 0) + 1);
    }
    assert.deepStrictEqual(next.facts, freshFacts(parser, file, text), `${path.relative(REPO, file)}, seed ${seed}, edit ${k}: ${name}`);
    // An edit that broke the syntax by accident is taken back by the next one, like the deliberate breaks.
    const broken = !!next.tree?.rootNode.hasError;
    if (!brokenFrom && broken && !entryBroken) brokenFrom = before;
    entry = next;
    entryBroken = broken;
  }
  entry.tree?.delete();
  return { partial, fallbacks };
}

test('incremental facts = fresh facts after random edits of every fixture file', async () => {
  const parser = await pythonParser();
  const files = pythonFilesUnder(FIXTURES);
  assert.ok(files.length >= 40, 'the fixtures are there');
  let partial = 0;
  files.forEach((file, i) => {
    partial += checkEdits(parser, file, fs.readFileSync(file, 'utf8'), 12, 1000 + i).partial;
  });
  // Not only the fallback: most edits of these small files re-use records.
  assert.ok(partial > files.length * 3, `records were re-used in ${partial} edits`);
});

test('incremental facts = fresh facts after random edits of a large file made of all fixtures', async (t) => {
  const parser = await pythonParser();
  // Every fixture module one after the other: module-level handlers, pools, forks, classes,
  // main guards and re-bound names, all in one module of a few thousand lines.
  const text = pythonFilesUnder(FIXTURES).map((f) => fs.readFileSync(f, 'utf8').replace(/\n*$/, '\n')).join('\n');
  const file = path.join(FIXTURES, 'all_fixtures_in_one.py'); // never written: the text is given
  const { partial, fallbacks } = checkEdits(parser, file, text, 40, 7);
  t.diagnostic(`re-used records in ${partial}/40 edits; full reads: ${JSON.stringify([...fallbacks])}`);
  assert.ok(partial > 12, `records were re-used in ${partial} of 40 edits`);
});

// test_logging.py hands handlers to QueueListener in several tests, whose records a partial
// re-read replays (it used to be re-read whole on every edit: ~30 ms).
for (const name of ['_test_multiprocessing.py', 'test_logging.py']) {
  test(`incremental facts = fresh facts after random edits of the standard library's ${name}`, async (t) => {
    const found = spawnSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' });
    const file = found.status === 0 ? path.join(found.stdout.trim(), 'test', name) : '';
    if (!file || !fs.existsSync(file)) {
      t.skip(`no python3 standard library with test/${name} here`);
      return;
    }
    const parser = await pythonParser();
    const { partial, fallbacks } = checkEdits(parser, file, fs.readFileSync(file, 'utf8'), 60, 11);
    t.diagnostic(`re-used records in ${partial}/60 edits; full reads: ${JSON.stringify([...fallbacks])}`);
    assert.ok(partial > 30, `records were re-used in ${partial} of 60 edits`);
  });
}

/** Module-level state that crosses statements, edited statement by statement. */
const CROSSING = `import logging, logging.handlers, multiprocessing, os
LOG = "app.log"
WORKERS = 4
pid = os.fork()
handler = logging.handlers.RotatingFileHandler(LOG)
pool = multiprocessing.Pool(WORKERS)
class Settings:
    PATH = LOG + ".1"
    COUNT = 2
    def build(self):
        return logging.FileHandler(PATH)
def worker(x):
    logging.getLogger("w").addHandler(handler)
    return x
def run():
    pool.map(worker, range(WORKERS))
    for i in range(WORKERS):
        multiprocessing.Process(target=worker, args=(i,)).start()
if pid == 0:
    logging.basicConfig(filename=LOG)
logging.getLogger("app").propagate = False
def later():
    global LOG
    LOG = "other.log"
    return logging.FileHandler(LOG)
if __name__ == "__main__":
    logging.getLogger().addHandler(logging.handlers.SocketHandler("localhost", 9020))
    run()
`;

test('incremental facts = fresh facts for every one-line edit of a module whose statements share state', async () => {
  const parser = await pythonParser();
  const file = path.join(FIXTURES, 'crossing_state.py');
  const lines = CROSSING.split('\n');
  const variants: string[] = [];
  lines.forEach((line, i) => {
    variants.push([...lines.slice(0, i), `${indentOf(line)}# above ${i}`, ...lines.slice(i)].join('\n'));
    if (/\d/.test(line)) variants.push(replaceAt(lines, i, line.replace(/\d+/, (n) => String(Number(n) + 1))).join('\n'));
    if (/"[\w.]+"/.test(line)) variants.push(replaceAt(lines, i, line.replace(/"([\w.]+)"/, '"$1x"')).join('\n'));
    variants.push(lines.filter((_, k) => k !== i).join('\n'));
    variants.push([...lines.slice(0, i), '', ...lines.slice(i)].join('\n'));
  });
  let partial = 0;
  for (const variant of variants) {
    // From the original to the variant and back: both directions of each edit.
    const base = read(parser, file, CROSSING);
    const edited = read(parser, file, variant, base);
    if (lastIncrementalStats?.mode === 'partial') partial++;
    assert.deepStrictEqual(edited.facts, freshFacts(parser, file, variant), variant);
    const back = read(parser, file, CROSSING, edited);
    assert.deepStrictEqual(back.facts, freshFacts(parser, file, CROSSING), `back from:\n${variant}`);
    back.tree?.delete();
  }
  assert.ok(partial > 0, 'some edits re-use records');
  // And chains of random edits of it, where records are moved again and again.
  for (let seed = 1; seed <= 25; seed++) checkEdits(parser, file, CROSSING, 80, seed);
});

/** The reference: common prefix and suffix found one UTF-16 unit at a time, rows counted at '\n'. */
function editBetween(oldText: string, newText: string) {
  if (oldText === newText) return undefined;
  let start = 0;
  const minLen = Math.min(oldText.length, newText.length);
  while (start < minLen && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let oldEnd = oldText.length;
  let newEnd = newText.length;
  while (oldEnd > start && newEnd > start && oldText.charCodeAt(oldEnd - 1) === newText.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  // An insertion goes to the earliest place where inserting the same number of characters (those
  // of the new text there) gives the new text, moving over no surrogate, '\r' or CRLF on the way;
  // a removal stays where it is. Tried place by place, with whole-string comparisons.
  if (oldEnd === start && newEnd > start) {
    const length = newEnd - start;
    const crossable = (i: number) => {
      const c = oldText.charCodeAt(i);
      return !(c >= 0xd800 && c <= 0xdfff) && c !== 13 && !(c === 10 && oldText.charCodeAt(i - 1) === 13);
    };
    while (start > 0 && crossable(start - 1) && oldText.slice(0, start - 1) + newText.slice(start - 1, start - 1 + length) + oldText.slice(start - 1) === newText) {
      start--;
      oldEnd--;
      newEnd--;
    }
  }
  const pointAt = (text: string, index: number) => {
    const before = text.slice(0, index);
    const row = before.split('\n').length - 1;
    return { row, column: index - (before.lastIndexOf('\n') + 1) };
  };
  return {
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(oldText, start),
    oldEndPosition: pointAt(oldText, oldEnd),
    newEndPosition: pointAt(newText, newEnd),
  };
}

test('textEdit computes the same tree-sitter edit as a character-by-character reference', () => {
  // A line inserted above a line goes in at the end of the line before; its removal stays put.
  const before = 'x = None\n\nclass C:\n    pass\n';
  const after = 'x = None\n# c\n\nclass C:\n    pass\n';
  const insert = textEdit(before, after)!;
  assert.deepStrictEqual([insert.startIndex, insert.oldEndIndex, insert.newEndIndex, after.slice(insert.startIndex, insert.newEndIndex)], [8, 8, 12, '\n# c']);
  assert.deepStrictEqual(before.slice(0, insert.startIndex) + after.slice(insert.startIndex, insert.newEndIndex) + before.slice(insert.oldEndIndex), after);
  assert.deepStrictEqual(insert.startPosition, { row: 0, column: 8 });
  const remove = textEdit(after, before)!;
  assert.deepStrictEqual([remove.startIndex, remove.oldEndIndex, remove.newEndIndex], [9, 13, 9]);
  const random = mulberry32(3);
  const alphabet = ['a', 'b', '\n', ' ', 'é', '😀', '\r\n'];
  const word = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  for (let k = 0; k < 400; k++) {
    const base = word(Math.floor(random() * 3000));
    const at = Math.floor(random() * (base.length + 1));
    const cut = Math.floor(random() * 20);
    const next = base.slice(0, at) + word(Math.floor(random() * 30)) + base.slice(Math.min(base.length, at + cut));
    const plain = (e: ReturnType<typeof editBetween>) => e && {
      startIndex: e.startIndex, oldEndIndex: e.oldEndIndex, newEndIndex: e.newEndIndex,
      startPosition: e.startPosition, oldEndPosition: e.oldEndPosition, newEndPosition: e.newEndPosition,
    };
    assert.deepStrictEqual(plain(textEdit(base, next)), plain(editBetween(base, next)), `case ${k}`);
  }
});

test('a copy of one top-level statement equals that statement in the copy of the whole tree', async () => {
  const parser = await pythonParser();
  const options = { collect: ['import_statement', 'import_from_statement'], mark: ['call', 'assignment', 'function_definition'] };
  const same = (a: SyntaxNode, b: SyntaxNode, where: string): void => {
    assert.deepStrictEqual(
      [a.type, a.startIndex, a.endIndex, a.startPosition, a.endPosition, a.text, a.fieldId, a.isNamed, a.containsMarked, a.children.length, a.namedChildren.length],
      [b.type, b.startIndex, b.endIndex, b.startPosition, b.endPosition, b.text, b.fieldId, b.isNamed, b.containsMarked, b.children.length, b.namedChildren.length],
      where,
    );
    a.children.forEach((child, i) => same(child, b.children[i], where));
  };
  for (const file of pythonFilesUnder(FIXTURES).filter((_, i) => i % 4 === 0)) {
    const text = fs.readFileSync(file, 'utf8');
    const tree = parser.parse(`${text}\ndef broken(:\n    pass\n`)!;
    const whole = syntaxTreeOf(tree, options);
    const statements = tree.rootNode.namedChildren.filter((n): n is NonNullable<typeof n> => !!n);
    const parts = syntaxSubtreesOf(tree, statements, options);
    assert.equal(parts.root.text, whole.root.text);
    assert.equal(whole.root.namedChildren.length, statements.length, file);
    parts.subtrees.forEach((subtree, i) => {
      assert.equal(subtree.parent, parts.root);
      same(subtree, whole.root.namedChildren[i], `${path.relative(REPO, file)}, statement ${i}`);
    });
    assert.deepStrictEqual(parts.collected.flat().map((n) => n.startIndex), whole.collected.map((n) => n.startIndex), file);
    tree.delete();
  }
});

/**
 * The partial parse: which statements the parser reads, that the two texts keep every line in
 * place, and that on real files (the local standard library) the parser's text is valid Python
 * wherever the whole file is.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { partialText } from '../src/python/partialParse';
import { needsFullParse } from '../src/python/prefilter';
import { parsePython } from '../src/python/parser';

/** The names of the `def`s and classes whose bodies the parser reads (a stub's is `pass`). */
function parsedDefs(parsed: string): string[] {
  const lines = parsed.split('\n');
  const names: string[] = [];
  lines.forEach((line, i) => {
    const m = /^\s*(?:def|class)\s+(\w+)/.exec(line);
    if (m && lines[i + 1]?.trim() !== 'pass') names.push(m[1]);
  });
  return names;
}

/** Filler that makes the left-out part worth a partial parse. */
const FILLER = Array.from({ length: 12 }, (_, i) => `def filler_${i}(x):\n    y = x * ${i}\n    return y + 1\n`).join('\n');

test('what names a relevant API, or a name bound to one, is parsed; the rest becomes stubs read by the line scan', () => {
  const text = [
    'import multiprocessing as mp',
    'import os',
    '',
    'def work(n):',
    '    return n * 2',
    '',
    'def start(count):',
    '    return [mp.Process(target=work, args=(n,)) for n in range(count)]',
    '',
    'def main():',
    '    procs = start(4)',
    '    print(os.getcwd())',
    '',
    FILLER,
    "if __name__ == '__main__':",
    '    main()',
    '',
  ].join('\n');
  const partial = partialText(text);
  assert.ok(partial, 'a partial parse');
  // `start` names mp (bound by `import multiprocessing as mp`); `main` calls start.
  assert.deepEqual(parsedDefs(partial.parsed), ['start', 'main']);
  const parsedLines = partial.parsed.split('\n');
  const scannedLines = partial.scanned.split('\n');
  const lines = text.split('\n');
  assert.equal(parsedLines.length, lines.length);
  assert.equal(scannedLines.length, lines.length);
  // Every line is the original in one of the texts, or the stub's `pass` (the scan has it).
  lines.forEach((line, i) => {
    const inParsed = parsedLines[i] === line;
    const inScanned = scannedLines[i] === line;
    assert.ok(inParsed || inScanned || line === '', `line ${i + 1} kept somewhere: ${line}`);
    if (!inParsed) assert.ok(parsedLines[i] === '' || parsedLines[i].trim() === 'pass', `line ${i + 1} of the parser's text: ${parsedLines[i]}`);
  });
  // The left-out function's header is in both texts; its body only in the scan's.
  assert.equal(parsedLines[3], 'def work(n):');
  assert.equal(parsedLines[4], '    pass');
  assert.equal(scannedLines[4], '    return n * 2');
  // The scan resolves calls through the imports: they are in its text too.
  assert.equal(scannedLines[0], 'import multiprocessing as mp');
});

test('imports inside a kept try: block reach the line scan too (a left-out body may call what they bind)', () => {
  const text = ['import logging', 'try:', '    from jobs.setup import configure_worker', 'except ImportError:', '    configure_worker = None', '', 'def crunch(n):', '    configure_worker()', '    return n', '', FILLER, "logging.basicConfig(filename='a.log')", ''].join('\n');
  const scanned = partialText(text)!.scanned.split('\n');
  assert.equal(scanned[2], '    from jobs.setup import configure_worker');
  assert.deepEqual([scanned[1], scanned[3], scanned[4]], ['', '', '']);
  assert.equal(scanned[7], '    configure_worker()');
});

test('methods are left out one by one; a class whose header names an API is kept whole', () => {
  const text = [
    'import logging',
    'from multiprocessing import Process',
    '',
    'class Service:',
    '    """Runs things."""',
    '',
    '    def setup(self):',
    "        self.handler = logging.FileHandler('svc.log')",
    '',
    '    def helper(self):',
    '        return 1',
    '',
    'class Worker(Process):',
    '    def run(self):',
    '        return 2',
    '',
    FILLER,
  ].join('\n');
  const partial = partialText(text)!;
  assert.deepEqual(parsedDefs(partial.parsed), ['Service', 'setup', 'Worker', 'run']);
  assert.match(partial.parsed, /def helper\(self\):\n {8}pass\n/);
});

test('a decorated function is always parsed (a decorator can make it a task or a signal handler)', () => {
  const text = ['import logging', '', '@app.task', 'def task(x):', '    return x', '', FILLER, "logging.basicConfig(filename='a.log')", ''].join('\n');
  const partial = partialText(text)!;
  assert.ok(partial.parsed.includes('def task(x):\n    return x'));
});

test('in a file with a QueueHandler, functions that declare globals are parsed (LF103: who hands the queue over)', () => {
  const setter = ['_q = None', '', 'def install_queue(handed):', '    global _q', '    _q = handed', ''];
  const user = ['def task(n):', '    logging.getLogger().addHandler(logging.handlers.QueueHandler(_q))', ''];
  const withQueue = partialText(['import logging.handlers', '', ...setter, ...user, FILLER].join('\n'));
  assert.ok(withQueue);
  assert.deepEqual(parsedDefs(withQueue.parsed), ['install_queue', 'task']);
  // Without a QueueHandler nobody asks: the setter is a stub like the filler.
  const without = partialText(['import multiprocessing', '', ...setter, 'def run():', '    multiprocessing.Process(target=print).start()', '', FILLER].join('\n'));
  assert.ok(without);
  assert.deepEqual(parsedDefs(without.parsed), ['run']);
});

test('a file that unpickles received bytes keeps the functions its kept code calls (the trace crosses them)', () => {
  const text = [
    'import pickle',
    'import socket',
    '',
    'def frame(data):',
    '    return data[4:]',
    '',
    'def serve(conn):',
    '    return pickle.loads(frame(conn.recv(1024)))',
    '',
    FILLER,
  ].join('\n');
  const partial = partialText(text)!;
  assert.deepEqual(parsedDefs(partial.parsed), ['frame', 'serve']);
});

test('a file that unpickles keeps whole the classes the trace can cross, and leaves out the methods of the others', () => {
  const text = [
    'import pickle',
    'import socket',
    '',
    'class Receiver:',
    '    def __init__(self, conn):',
    '        self.conn = conn',
    '',
    '    def fill(self):',
    '        self.buffer = self.conn.recv(1024)',
    '',
    '    def message(self):',
    '        return pickle.loads(self.buffer)',
    '',
    'class Decoder:',
    '    def decode(self, data):',
    '        return data.upper()',
    '',
    'class SocketTypes:',
    '    def __init__(self):',
    '        self.kind = socket.SOCK_STREAM',
    '',
    '    def is_stream(self):',
    '        return self.kind == socket.SOCK_STREAM',
    '',
    FILLER,
  ].join('\n');
  const partial = partialText(text)!;
  // Receiver's buffer is received in fill() and unpickled in message(): the trace follows
  // self.buffer across the class, which is kept whole. Naming a socket is no reason to keep
  // SocketTypes, and Receiver's kept `__init__` keeps no other `__init__` of the file.
  assert.deepEqual(parsedDefs(partial.parsed), ['Receiver', '__init__', 'fill', 'message', 'Decoder', 'SocketTypes']);
  assert.match(partial.parsed, /def is_stream\(self\):\n {8}pass\n/);
  assert.match(partial.parsed, /def decode\(self, data\):\n {8}pass\n/);
});

const halfTyped: [string, string][] = [
  ['a block opened without a body', 'def main():\n    try:\ndef later():\n    return 1\n'],
  ['an unexpected indent', 'def main():\n    x = 1\n        y = 2\n'],
  ['a dedent to no enclosing level', 'def main():\n        x = 1\n    y = 2\n'],
  ['an unclosed bracket', 'def main():\n    x = [1,\n'],
  ['an unclosed string', 'def main():\n    x = "abc\n    return x\n'],
];
for (const [name, broken] of halfTyped) {
  test(`half-typed code is parsed whole, so its syntax error is reported as always: ${name}`, () => {
    const text = `import logging\n${FILLER}\n${broken}\nlogging.basicConfig(filename='a.log')\n`;
    assert.ok(partialText(text.replace(broken, '')), 'the same file without the error takes the partial parse');
    assert.equal(partialText(text), undefined);
  });
}

test('on the standard library, the parser\'s text is valid Python wherever the whole file is', async () => {
  const stdlib = execFileSync('python3', ['-c', 'import sysconfig; print(sysconfig.get_paths()["stdlib"])'], { encoding: 'utf8' }).trim();
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'site-packages') continue;
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith('.py')) files.push(file);
    }
  };
  walk(stdlib);
  let partial = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    if (!needsFullParse(text)) continue;
    const texts = partialText(text);
    if (!texts) continue;
    partial++;
    const whole = await parsePython(text);
    const part = await parsePython(texts.parsed);
    try {
      if (!whole!.rootNode.hasError) assert.equal(part!.rootNode.hasError, false, `${path.relative(stdlib, file)}: the parser's text has a syntax error`);
    } finally {
      whole!.delete();
      part!.delete();
    }
  }
  assert.ok(partial >= 10, `${partial} standard library files took the partial parse`);
});

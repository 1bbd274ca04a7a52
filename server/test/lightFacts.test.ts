/**
 * The line scan counts the lines of the files it reads (the CLI's `stats.lines`), instead of a
 * second pass over the text: the count must be countLines', whatever the line breaks.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { lightScan } from '../src/python/lightFacts';
import { countLines } from '../src/workspace/fileReader';

const texts: [string, string][] = [
  ['empty', ''],
  ['one line without a break', 'import os'],
  ['a final newline', 'import os\nos.getcwd()\n'],
  ['CRLF', 'import os\r\n\r\ndef f():\r\n    os.getcwd()\r\n'],
  ['lone CR (a line for Python, not for the count)', 'import os\rx = 1\n'],
  ['U+2028 inside a string', 'x = "a\u2028b"\nimport os\n'],
  ['blank lines at the end', 'def f():\n    pass\n\n\n\n'],
];

for (const [name, text] of texts) {
  test(`lightScan counts lines as countLines does: ${name}`, () => {
    const { facts, lines } = lightScan(text, '/w/m.py', 'm', false);
    assert.equal(lines, countLines(text));
    assert.equal(facts.file, '/w/m.py');
  });
}

test('a text of many lines, past the scan\'s reused buffer of line offsets', () => {
  const text = 'import os\n' + 'os.getcwd()\n'.repeat(40_000);
  assert.equal(lightScan(text, '/w/big.py', 'big', false).lines, 40_002);
});

test("the main guard's calls belong to a <main> unit, as the parser has it; the block ends at the next top-level line", () => {
  const text = [
    'import os',
    'from app.server import serve, stop',
    'def helper():',
    '    stop()',
    "if __name__ == '__main__':",
    '    # comment at the margin of the block',
    '    serve()',
    '    stop()',
    'serve()',
  ].join('\n');
  const { facts } = lightScan(text, '/w/main.py', 'main', false);
  assert.deepEqual(facts.functions.filter((f) => f.qualname === '<main>').map((f) => [f.scope, f.span.start.line]), [['func:main:<main>', 4]]);
  assert.deepEqual(facts.calls.map((c) => [c.from, c.callee.name, c.callee.span.start.line]), [
    ['func:main:<functions>', 'app.server.stop', 3],
    ['func:main:<main>', 'app.server.serve', 6],
    ['func:main:<main>', 'app.server.stop', 7],
    ['module:main', 'app.server.serve', 8],
  ]);
  // No guard, no unit (and `if __name__ != ...` is not one).
  assert.deepEqual(lightScan("if __name__ != '__main__':\n    pass\n", '/w/m.py', 'm', false).facts.functions.map((f) => f.qualname), ['<functions>']);
});

test('the line scan: which unit runs each call, dotted package calls, split imports, class bases, comprehensions, logger names', () => {
  const text = [
    'import app.log',
    'from app.core import run, \\',
    '    stop',
    'from app.base import (  # noqa: F401 (public)',
    '    BaseWorker,',
    ')',
    'try:',
    '    app.log.configure()',
    'except OSError:',
    '    pass',
    'class Worker(BaseWorker):',
    '    def run(self):',
    '        stop()',
    'def main():',
    '    run()',
    'if (__name__ == "__main__"):',
    '    crew = [Worker() for _ in range(3)]',
    '    main()',
    'audit = logging.getLogger("audit")',
  ].join('\n');
  const { facts } = lightScan(text, '/w/main.py', 'main', false);
  const calls = facts.calls.map((c) => [c.from.replace('func:main:', ''), c.callee.name, c.inLoop ?? false]);
  assert.deepEqual(calls.sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`)), [
    ['<functions>', 'app.core.run', false],
    ['<functions>', 'app.core.stop', false],
    ['<main>', 'main.main', false],
    ['<main>', 'main.Worker', true],
    ['module:main', 'app.log.configure', false],
  ]);
  assert.deepEqual(facts.classes.map((c) => [c.qualname, c.bases.map((b) => b.name)]), [['Worker', ['app.base.BaseWorker']]]);
  assert.deepEqual(facts.logCalls, []);
  assert.equal(lightScan(text + '\naudit.warning("x")\n', '/w/main.py', 'main', false).facts.logCalls.length, 3);
});

test('the line scan follows an instance of an imported class to its methods, from where it is bound on', () => {
  const text = [
    'from jobs import Runner, make',
    'import pkg.tools as tools',
    'early.go()',
    'if __name__ == "__main__":',
    '    runner = Runner(3)',
    '    runner.go()',
    '    runner()',
    '    t = tools.Thing()',
    '    t.run()',
    '    lower = make()',
    '    lower.go()',
  ].join('\n');
  const { facts } = lightScan(text, '/w/m.py', 'm', false);
  assert.deepEqual(facts.calls.map((c) => c.callee.name).sort(), ['jobs.Runner', 'jobs.Runner.go', 'jobs.make', 'pkg.tools.Thing', 'pkg.tools.Thing.run']);
});

test('the line scan names the loggers of the log calls when the file says them, else any logger', () => {
  const loggers = (text: string) => {
    const calls = lightScan(text, '/w/m.py', 'pkg.m', false).facts.logCalls.filter((l) => l.scope.startsWith('module:'));
    return calls.map((l) => l.logger ?? '*').sort();
  };
  assert.deepEqual(loggers('import logging\nlog = logging.getLogger("app.jobs")\ndef f():\n    log.info("x")\n    logging.warning("y")\n'), ['', 'app.jobs']);
  assert.deepEqual(loggers('import logging\ndef f():\n    audit.info("x")\naudit = logging.getLogger(__name__)\n'), ['pkg.m']);
  assert.deepEqual(loggers('import logging\nlogging.getLogger().info("root")\n'), ['']);
  // A logger from elsewhere, or a helper that may pick another: unknown.
  assert.deepEqual(loggers('from app import log\nlog.info("x")\n'), ['*']);
  assert.deepEqual(loggers('from app import get_logger\nlog = get_logger(__name__)\nlog.info("x")\n'), ['*']);
  // Bound to two loggers: either.
  assert.deepEqual(loggers('import logging\nlog = logging.getLogger("a")\nlog = logging.getLogger("b")\nlog.info("x")\n'), ['*']);
  assert.deepEqual(loggers('x = 1\nthing.info("not a logger")\n'), []);
});

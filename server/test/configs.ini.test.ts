/** The ini reader (configparser semantics) and fileConfig files. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LineIndex } from '../src/configs/spans';
import { parseIni, sectionNamed, entryNamed } from '../src/configs/ini';
import { configScope } from '../src/model/facts';
import { workspace, readConfig, lineOf } from './configTestUtil';

test('ini: sections, = and :, continuation lines, full-line comments, lower-cased keys', () => {
  const doc = parseIni(new LineIndex('/x.ini', '; top\n[A]\nKey = one\n  two\n# c\nother: 3\n[B]\nk=%(x)s ; not a comment\n'));
  assert.deepEqual(doc.problems, []);
  const a = sectionNamed(doc, 'A');
  assert.equal(entryNamed(a, 'key')?.value, 'one\ntwo');
  assert.equal(entryNamed(a, 'key')?.line, 2);
  assert.equal(entryNamed(a, 'other')?.value, '3');
  assert.equal(entryNamed(sectionNamed(doc, 'B'), 'k')?.value, '%(x)s ; not a comment');
});

test('ini: junk lines and keys before any section are problems, not exceptions', () => {
  const doc = parseIni(new LineIndex('/x.ini', 'orphan = 1\n[s]\nthis line has no separator\nok = 2\n'));
  assert.equal(doc.problems.length, 2);
  assert.deepEqual(doc.problems.map((p) => p.span.start.line), [0, 2]);
  assert.equal(entryNamed(sectionNamed(doc, 's'), 'ok')?.value, '2');
});

const FILECONFIG = `[loggers]
keys = root,app

[handlers]
keys = rot,timed,plain,console

[formatters]
keys =

[logger_root]
handlers = console,rot

[logger_app]
handlers = timed,plain
qualname = myapp.web

[handler_rot]
class = handlers.RotatingFileHandler
args = ('logs/app.log', 'a', 1048576, 3)

[handler_timed]
class=logging.handlers.TimedRotatingFileHandler
args=(LOGDIR + '/t.log', 'midnight')

[handler_plain]
class = FileHandler
kwargs = {'filename': 'logs/plain.log', 'mode': 'a'}

[handler_console]
class = StreamHandler
args = (sys.stderr,)
`;

test('fileConfig ini: one HandlerSite per handler, on its class line, with kind, path and loggers', () => {
  const root = workspace();
  const facts = readConfig(root, 'conf/logging.ini', FILECONFIG);
  assert.deepEqual(facts.problems, []);
  const summary = facts.handlers.map((h) => [h.className, h.kind, lineOf(h.span), h.path, h.loggers, h.note]);
  assert.deepEqual(summary, [
    ['logging.handlers.RotatingFileHandler', 'rotating-size', 18, { kind: 'literal', value: 'logs/app.log' }, [''], 'declared in logging.ini [handler_rot]'],
    ['logging.handlers.TimedRotatingFileHandler', 'rotating-time', 22, { kind: 'dynamic', text: "LOGDIR + '/t.log'" }, ['myapp.web'], 'declared in logging.ini [handler_timed]'],
    ['logging.FileHandler', 'plain-file', 26, { kind: 'literal', value: 'logs/plain.log' }, ['myapp.web'], 'declared in logging.ini [handler_plain]'],
    ['logging.StreamHandler', 'other', 30, undefined, [''], 'declared in logging.ini [handler_console]'],
  ]);
  for (const h of facts.handlers) {
    assert.equal(h.scope, configScope(`${root}/conf/logging.ini`));
    assert.equal(h.origin, 'config');
    assert.equal(h.span.start.character, 0);
  }
});

test('fileConfig ini: interpolation from the section and [DEFAULT]; %% is a literal percent', () => {
  const text = `[DEFAULT]\nlogdir = /var/log/app\n[loggers]\nkeys=root\n[handlers]\nkeys=a,b,c\n[logger_root]\nhandlers=a\n[handler_a]\nclass=FileHandler\nargs=('%(logdir)s/a.log',)\n[handler_b]\nclass=FileHandler\nargs=('b-%%(process)d.log',)\n[handler_c]\nclass=handlers.RotatingFileHandler\nargs=('logs/c-%(pid)s.log', 'a', 100, 1)\n`;
  const facts = readConfig(workspace(), 'logging.ini', text);
  assert.deepEqual(facts.handlers.map((h) => h.path), [
    { kind: 'literal', value: '/var/log/app/a.log' },
    // configparser turns %% into %, and logging never expands %(process)d in a file name.
    { kind: 'literal', value: 'b-%(process)d.log' },
    { kind: 'per-process', text: 'logs/c-%(pid)s.log', why: 'interpolates %(pid)s, given by fileConfig(defaults=...) at the load site' },
  ]);
});

test('fileConfig ini: process-safe and network handlers are classified, not flagged as files', () => {
  const text = `[loggers]\nkeys=root\n[handlers]\nkeys=a,b,c\n[logger_root]\nhandlers=a,b,c\n[handler_a]\nclass=concurrent_log_handler.ConcurrentRotatingFileHandler\nargs=('x.log','a',1,1)\n[handler_b]\nclass=handlers.SocketHandler\nargs=('localhost', 9020)\n[handler_c]\nclass=handlers.WatchedFileHandler\nargs=('w.log',)\n`;
  const facts = readConfig(workspace(), 'logging.conf', text);
  assert.deepEqual(facts.handlers.map((h) => [h.kind, h.path?.kind]), [['process-safe-file', 'literal'], ['socket', undefined], ['watched-file', 'literal']]);
});

test('a broken fileConfig ini gives problems and the handlers it could read', () => {
  const text = `[loggers]\nkeys=root\n[handlers]\nkeys=a,missing\n[logger_root]\nhandlers=a\n[handler_a]\nclass=FileHandler\nargs=('a.log'\n???\n`;
  const facts = readConfig(workspace(), 'logging.ini', text);
  assert.equal(facts.problems.length, 1);
  assert.equal(lineOf(facts.problems[0].span), 10);
  assert.deepEqual(facts.handlers.map((h) => [lineOf(h.span), h.path?.kind]), [[8, 'dynamic']]);
});

test('an ini that is neither a log config, uwsgi nor supervisord gives no facts', () => {
  const facts = readConfig(workspace(), 'setup.cfg', '[metadata]\nname = x\n[options]\npackages = find:\n');
  assert.deepEqual([facts.handlers, facts.starts, facts.problems], [[], [], []]);
});

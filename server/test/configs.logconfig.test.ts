/** dictConfig documents in YAML, JSON and TOML. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { configScope } from '../src/model/facts';
import { isConfigFile } from '../src/configs';
import { workspace, readConfig, lineOf } from './configTestUtil';

const YAML = `version: 1
formatters:
  plain: {format: "%(message)s"}
handlers:
  file:
    class: logging.handlers.RotatingFileHandler
    filename: logs/app.log
  per_pid:
    class: logging.FileHandler
    filename: logs/app-%(process)d.log
  factory:
    (): ext://concurrent_log_handler.ConcurrentRotatingFileHandler
    filename: logs/safe.log
  console:
    class: logging.StreamHandler
loggers:
  web: {handlers: [file, per_pid]}
root:
  handlers: [console, factory]
`;

test('YAML dictConfig: class line, kind, path, loggers, scope of the file', () => {
  const root = workspace();
  const facts = readConfig(root, 'logging.yaml', YAML);
  assert.deepEqual(facts.problems, []);
  assert.deepEqual(
    facts.handlers.map((h) => [h.kind, lineOf(h.span), h.span.start.character, h.path, h.loggers]),
    [
      ['rotating-size', 6, 4, { kind: 'literal', value: 'logs/app.log' }, ['web']],
      // logging does not expand %(process)d in a file name: every process opens the same file.
      ['plain-file', 9, 4, { kind: 'literal', value: 'logs/app-%(process)d.log' }, ['web']],
      ['process-safe-file', 12, 4, { kind: 'literal', value: 'logs/safe.log' }, ['']],
      ['other', 15, 4, undefined, ['']],
    ],
  );
  assert.ok(facts.handlers.every((h) => h.scope === configScope(path.join(root, 'logging.yaml'))));
  assert.equal(facts.handlers[0].note, 'declared in logging.yaml handlers.file');
});

test('YAML: anchors and merge keys are followed', () => {
  const text = `version: 1\nbase: &base\n  class: logging.handlers.TimedRotatingFileHandler\n  when: midnight\nhandlers:\n  a:\n    <<: *base\n    filename: a.log\n`;
  const facts = readConfig(workspace(), 'logging.yml', text);
  assert.deepEqual(facts.handlers.map((h) => [h.kind, h.path]), [['rotating-time', { kind: 'literal', value: 'a.log' }]]);
});

test('YAML: an alias bomb is bounded, not expanded', () => {
  let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i < 10; i++) text += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
  text += 'handlers:\n  f:\n    class: logging.FileHandler\n    filename: x.log\n    junk: *a9\n';
  const facts = readConfig(workspace(), 'logging.yaml', text);
  assert.deepEqual(facts.handlers.map((h) => h.kind), ['plain-file']);
});

test('incremental dictConfig opens nothing', () => {
  const facts = readConfig(workspace(), 'logging.yaml', 'version: 1\nincremental: true\nhandlers:\n  f:\n    class: logging.FileHandler\n    filename: a.log\n');
  assert.deepEqual(facts.handlers, []);
});

test('JSON dictConfig: class key line', () => {
  const text = '{\n  "version": 1,\n  "handlers": {\n    "f": {\n      "class": "logging.handlers.RotatingFileHandler",\n      "filename": "a.log"\n    }\n  },\n  "root": {"handlers": ["f"]}\n}\n';
  const facts = readConfig(workspace(), 'log.json', text);
  assert.deepEqual(facts.handlers.map((h) => [h.kind, lineOf(h.span), h.span.start.character, h.loggers]), [['rotating-size', 5, 6, ['']]]);
});

test('TOML dictConfig: tables, dotted keys and inline tables are located', () => {
  const text = `version = 1\n\n[handlers.a]\nclass = "logging.FileHandler"\nfilename = "a.log"\n\n[handlers]\nb = { class = "logging.handlers.RotatingFileHandler", filename = "b.log" }\nc.class = "logging.handlers.TimedRotatingFileHandler"\nc.filename = "c.log"\n\n[root]\nhandlers = ["a", "b", "c"]\n`;
  const facts = readConfig(workspace(), 'logging.toml', text);
  assert.deepEqual(facts.problems, []);
  assert.deepEqual(
    facts.handlers.map((h) => [h.kind, lineOf(h.span), h.span.start.character, h.path]),
    [
      ['plain-file', 4, 0, { kind: 'literal', value: 'a.log' }],
      ['rotating-size', 8, 6, { kind: 'literal', value: 'b.log' }],
      ['rotating-time', 9, 0, { kind: 'literal', value: 'c.log' }],
    ],
  );
});

test('broken YAML, JSON and TOML are problems with a position, never exceptions', () => {
  const root = workspace();
  const yaml = readConfig(root, 'logging.yaml', 'version: 1\nhandlers:\n  f: [\n    class: x\n');
  const json = readConfig(root, 'logging.json', '{"handlers": {"f": {"class": "logging.FileHandler",}}');
  const toml = readConfig(root, 'logging.toml', 'version = 1\n[handlers.f]\nclass = "logging.FileHandler\n');
  for (const facts of [yaml, json, toml]) {
    assert.ok(facts.problems.length >= 1, facts.file);
    assert.match(facts.problems[0].message, /^cannot parse logging\.(yaml|json|toml): /);
    assert.deepEqual(facts.handlers, []);
  }
  assert.equal(lineOf(toml.problems[0].span), 3);
});

test('binary junk and huge files are skipped with a problem', () => {
  const root = workspace();
  const binary = readConfig(root, 'logging.yaml', 'handlers:\u0000\u0001\u0002garbage');
  assert.match(binary.problems[0].message, /looks binary/);
  const huge = readConfig(root, 'logging.yaml', 'handlers:\n' + 'x'.repeat(2 * 1024 * 1024 + 1));
  assert.match(huge.problems[0].message, /larger than 2 MB/);
  assert.deepEqual([binary.handlers, huge.handlers], [[], []]);
});

test('isConfigFile: by name, and by the first bytes where names are ambiguous', () => {
  const root = workspace({
    'Procfile': 'web: gunicorn app:app\n',
    'logging.yaml': 'version: 1\nhandlers: {}\n',
    'ci.yaml': 'jobs:\n  build: {}\n',
    'logging.json': '{"version": 1, "handlers": {}}',
    'package.json': '{"name": "x"}',
    'logging.ini': '[loggers]\nkeys=root\n[handlers]\nkeys=\n',
    'setup.cfg': '[metadata]\nname=x\n',
    'pyproject.toml': '[project]\nname="x"\n',
    'bin/start': '#!/bin/bash\nexec gunicorn app:app\n',
    'bin/data': 'not a script\n',
    'deploy/app.service': '[Service]\nExecStart=/bin/true\n',
    'Dockerfile.prod': 'FROM python\n',
    'docker-compose.override.yml': 'services: {}\n',
    'Makefile': 'all:\n',
    'scripts/run.sh': 'echo\n',
    'supervisord.conf': '[program:x]\ncommand=python x.py\n',
  });
  const expected: Record<string, boolean> = {
    Procfile: true, 'logging.yaml': true, 'ci.yaml': false, 'logging.json': true, 'package.json': false,
    'logging.ini': true, 'setup.cfg': false, 'pyproject.toml': false, 'bin/start': true, 'bin/data': false,
    'deploy/app.service': true, 'Dockerfile.prod': true, 'docker-compose.override.yml': true, Makefile: true,
    'scripts/run.sh': true, 'supervisord.conf': true,
  };
  for (const [rel, want] of Object.entries(expected)) assert.equal(isConfigFile(path.join(root, rel)), want, rel);
  assert.equal(isConfigFile(path.join(root, 'missing.yaml')), false);
  assert.ok(fs.existsSync(root));
});

test('hostile long lines (200k characters of blanks between words) are read in one pass', () => {
  const root = workspace();
  const blanks = ' '.repeat(200_000);
  const inputs: [string, string][] = [
    ['logging.ini', `[handlers]\nkeys=a\n[handler_a]\nclass${blanks}x\n[loggers]\nkeys=\n`],
    ['supervisord.conf', `[program:x]\ncommand=python x.py${blanks}y ;z\nnumprocs=2\n`],
    ['logging.toml', `[handlers${blanks}x\n[handlers.a]\nclass = "logging.FileHandler"${blanks}x\n`],
    ['run.sh', `#!/bin/sh\nfor i in 1 2${blanks}3; do python a.py${blanks}& ${blanks}done${blanks}x\nW=1${blanks}x\n`],
    ['Dockerfile', `FROM x\nCMD gunicorn -w 2${blanks}\\${blanks}x\n`],
    ['Procfile', `web: gunicorn${blanks}-w 2 app:app${blanks}# x\n`],
    ['app.service', `[Service]\nExecStart=gunicorn -w 2${blanks}app:app${blanks}\\${blanks}x\n`],
    ['logging.yaml', `handlers:\n  a:\n    class: logging.FileHandler${blanks}x\n`],
  ];
  for (const [name, text] of inputs) {
    const facts = readConfig(root, name, text);
    assert.equal(facts.file, `${root}/${name}`);
  }
  const gunicorn = readConfig(workspace({ 'gunicorn.conf.py': `workers = 3${blanks}x\n` }), 'Procfile', 'web: gunicorn app:app\n');
  assert.equal(gunicorn.starts.length, 1);
});

test('LF105 in a config: a propagating logger and an ancestor send to the same destination (same handler, or same address)', () => {
  const root = workspace();
  const ini = readConfig(root, 'logging.ini', [
    '[loggers]', 'keys=root,api,api_v2,quiet', '',
    '[handlers]', 'keys=net,net2,console', '',
    '[logger_root]', 'handlers=console,net', '',
    '[logger_api]', 'qualname=api', 'handlers=net2', '',
    '[logger_api_v2]', 'qualname=api.v2', 'handlers=console', '',
    '[logger_quiet]', 'qualname=quiet', 'handlers=net', 'propagate=0', '',
    '[handler_net]', 'class=handlers.SocketHandler', "args=('logs.internal', 9020)", '',
    '[handler_net2]', 'class=handlers.SocketHandler', "args=('logs.internal',  9020)", '',
    '[handler_console]', 'class=StreamHandler', 'args=(sys.stderr,)', '',
  ].join('\n'));
  assert.deepEqual(ini.hazards.map((h) => [h.rule, lineOf(h.span), h.related?.map((r) => lineOf(r.span))]), [['LF105', 12, [8]]]);
  // The same handler on a child two levels down, through a logger that does not declare it.
  const yaml = readConfig(root, 'logging.yaml', 'version: 1\nhandlers:\n  q:\n    class: logging.handlers.QueueHandler\n    queue: ext://app.q\nloggers:\n  a.b.c:\n    handlers: [q]\n  a:\n    handlers: [q]\n');
  assert.deepEqual(yaml.hazards.map((h) => [lineOf(h.span), h.message.includes("propagate to 'a'")]), [[8, true]]);
  const stopped = readConfig(root, 'logging.yaml', 'version: 1\nhandlers:\n  q:\n    class: logging.handlers.QueueHandler\n    queue: ext://app.q\nloggers:\n  a.b.c:\n    handlers: [q]\n  a.b:\n    propagate: false\n  a:\n    handlers: [q]\n');
  assert.deepEqual(stopped.hazards, []);
});

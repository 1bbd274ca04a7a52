/** Config facts in Python files: dictConfig, fileConfig, Django, gunicorn conf modules, Celery. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { configScope, functionScope, moduleScope } from '../src/model/facts';
import { childOnlyLineScope } from '../src/configs/launch';
import { workspace, readPython, lineOf, countOf } from './configTestUtil';
import { perProcessReason } from '../src/configs/logPath';

test('dictConfig dict literal: class pair line, scope of the call (module, function, method)', async () => {
  const text = `import logging.config
from logging.config import dictConfig as dc

logging.config.dictConfig({
    "version": 1,
    "handlers": {"f": {"class": "logging.handlers.RotatingFileHandler", "filename": "a.log"}},
    "root": {"handlers": ["f"]},
})

def setup():
    dc({"version": 1, "handlers": {"g": {"class": "logging.FileHandler", "filename": f"g-{os.getpid()}.log"}}})

class Service:
    def start(self):
        def inner():
            logging.config.dictConfig(config={"version": 1, "handlers": {"h": {"class": "logging.handlers.TimedRotatingFileHandler", "filename": LOG}}})
        inner()
`;
  const facts = await readPython(workspace(), 'app.py', 'app', text);
  assert.deepEqual(
    facts.handlers.map((h) => [h.kind, lineOf(h.span), h.scope, h.path, h.loggers]),
    [
      ['rotating-size', 6, moduleScope('app'), { kind: 'literal', value: 'a.log' }, ['']],
      ['plain-file', 11, functionScope('app', 'setup'), { kind: 'per-process', text: 'f"g-{os.getpid()}.log"', why: 'contains the process id (os.getpid())' }, []],
      ['rotating-time', 16, functionScope('app', 'Service.start.inner'), { kind: 'dynamic', text: 'LOG' }, []],
    ],
  );
  assert.deepEqual(facts.configLoads.map((l) => [l.kind, lineOf(l.span), l.scope, l.file]), [
    ['dictConfig', 4, moduleScope('app'), undefined],
    ['dictConfig', 11, functionScope('app', 'setup'), undefined],
    ['dictConfig', 16, functionScope('app', 'Service.start.inner'), undefined],
  ]);
});

test('dictConfig of a dict built across statements, with constants folded', async () => {
  const text = `LOG_FILE = "logs/app.log"
BASE = {"version": 1, "formatters": {}}
CONFIG = {**BASE, "handlers": {}}
CONFIG["handlers"]["file"] = {"class": "logging.handlers.RotatingFileHandler", "filename": LOG_FILE}
CONFIG["handlers"].update({"err": {"class": "logging.FileHandler", "filename": "err.log"}})
CONFIG.update({"root": {"handlers": ["file", "err"]}})

def configure():
    local = {"version": 1, "handlers": {}}
    local["handlers"]["x"] = {"class": "logging.FileHandler", "filename": "x.log"}
    logging.config.dictConfig(local)

logging.config.dictConfig(CONFIG)
`;
  const facts = await readPython(workspace(), 'conf.py', 'pkg.conf', text);
  assert.deepEqual(
    facts.handlers.map((h) => [h.kind, lineOf(h.span), h.scope, h.path, h.loggers]),
    [
      ['plain-file', 10, functionScope('pkg.conf', 'configure'), { kind: 'literal', value: 'x.log' }, []],
      ['rotating-size', 4, moduleScope('pkg.conf'), { kind: 'literal', value: 'logs/app.log' }, ['']],
      ['plain-file', 5, moduleScope('pkg.conf'), { kind: 'literal', value: 'err.log' }, ['']],
    ],
  );
});

test('dictConfig of files: json/yaml/tomllib loads, with-bound names, pathlib; fileConfig', async () => {
  const text = `import json, yaml, tomllib, logging.config
from pathlib import Path
logging.config.fileConfig("conf/logging.ini", disable_existing_loggers=False)
logging.config.dictConfig(json.load(open("logging.json")))

def from_yaml():
    with open(Path(__file__).parent / "logging.yaml") as f:
        cfg = yaml.safe_load(f)
    logging.config.dictConfig(cfg)

def from_toml(path):
    logging.config.dictConfig(tomllib.loads(Path("logging.toml").read_text()))
    logging.config.fileConfig(path)
`;
  const facts = await readPython(workspace(), 'boot.py', 'boot', text);
  assert.deepEqual(facts.configLoads.map((l) => [l.kind, lineOf(l.span), l.scope, l.file]), [
    ['fileConfig', 3, moduleScope('boot'), { kind: 'literal', value: 'conf/logging.ini' }],
    ['dictConfig', 4, moduleScope('boot'), { kind: 'literal', value: 'logging.json' }],
    ['dictConfig', 9, functionScope('boot', 'from_yaml'), { kind: 'literal', value: 'logging.yaml' }],
    ['dictConfig', 12, functionScope('boot', 'from_toml'), { kind: 'literal', value: 'logging.toml' }],
    ['fileConfig', 13, functionScope('boot', 'from_toml'), { kind: 'dynamic', text: 'path' }],
  ]);
  assert.deepEqual(facts.handlers, []);
});

test('a dict imported from another module: a load of that module file; the dict is declared there', async () => {
  const root = workspace({ 'proj/__init__.py': '', 'proj/logconf.py': '' });
  const user = await readPython(root, 'proj/web/app.py', 'proj.web.app', 'from ..logconf import LOGGING\nfrom logging.config import dictConfig\ndictConfig(LOGGING)\n');
  assert.deepEqual(user.configLoads.map((l) => [l.kind, lineOf(l.span), l.file]), [['dictConfig', 3, { kind: 'literal', value: 'proj/logconf.py' }]]);
  const owner = await readPython(root, 'proj/logconf.py', 'proj.logconf', 'LOGGING = {"version": 1, "handlers": {"f": {"class": "logging.FileHandler", "filename": "a.log"}}}\nOTHER = {"a": 1}\n');
  assert.deepEqual(owner.handlers.map((h) => [h.kind, lineOf(h.span), h.scope]), [['plain-file', 1, configScope(path.join(root, 'proj/logconf.py'))]]);
});

test('Django LOGGING: module scope of the settings module, django load, split settings, LOGGING_CONFIG = None', async () => {
  const root = workspace();
  const settings = await readPython(root, 'proj/settings.py', 'proj.settings', 'INSTALLED_APPS = []\nLOGGING = {\n  "version": 1,\n  "handlers": {"f": {"class": "logging.handlers.RotatingFileHandler", "filename": BASE_DIR / "logs" / "app.log"}},\n  "loggers": {"django": {"handlers": ["f"]}},\n}\n');
  assert.deepEqual(settings.handlers.map((h) => [h.kind, lineOf(h.span), h.scope, h.path, h.loggers]), [
    ['rotating-size', 4, moduleScope('proj.settings'), { kind: 'dynamic', text: 'BASE_DIR / "logs" / "app.log"' }, ['django']],
  ]);
  assert.deepEqual(settings.configLoads.map((l) => [l.kind, lineOf(l.span), l.scope]), [['django', 2, moduleScope('proj.settings')]]);
  const prod = await readPython(root, 'proj/settings/prod.py', 'proj.settings.prod', 'from .base import *\nLOGGING["handlers"]["file"] = {\n    "class": "logging.FileHandler",\n    "filename": "/var/log/p.log",\n}\nLOGGING["handlers"]["console"]["level"] = "INFO"\n');
  assert.deepEqual(prod.handlers.map((h) => [h.kind, lineOf(h.span), h.scope]), [['plain-file', 3, moduleScope('proj.settings.prod')]]);
  const off = await readPython(root, 'proj/settings.py', 'proj.settings', 'LOGGING_CONFIG = None\nLOGGING = {"version": 1, "handlers": {"f": {"class": "logging.FileHandler", "filename": "a.log"}}}\n');
  assert.deepEqual(off.configLoads, []);
  assert.ok(off.handlers.every((h) => h.scope.startsWith('config:')));
});

test('DJANGO_SETTINGS_MODULE becomes an import of the settings module from where it is set', async () => {
  const text = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\ndef main():\n    os.environ["DJANGO_SETTINGS_MODULE"] = "proj.settings_test"\n';
  const facts = await readPython(workspace(), 'manage.py', 'manage', text);
  assert.deepEqual(facts.imports.map((i) => [i.fromModule, i.module, lineOf(i.span), i.scope]), [
    ['manage', 'proj.settings', 2, moduleScope('manage')],
    ['manage', 'proj.settings_test', 4, functionScope('manage', 'main')],
  ]);
});

test('gunicorn.conf.py: workers, preload, wsgi_app, logconfig, logconfig_dict, accesslog/errorlog, post_fork, when_ready', async () => {
  const root = workspace({ 'logging.ini': '' });
  const text = `import multiprocessing, os
bind = "0.0.0.0:8000"
wsgi_app = "proj.wsgi:application"
workers = multiprocessing.cpu_count() * 2 + 1
preload_app = True
logconfig = "logging.ini"
accesslog = "logs/access.log"
errorlog = "-"
logconfig_dict = {"version": 1, "handlers": {"f": {"class": "logging.handlers.RotatingFileHandler", "filename": "g.log"}}}

def post_fork(server, worker):
    pass

def when_ready(server):
    pass
`;
  const facts = await readPython(root, 'gunicorn.conf.py', 'gunicorn.conf', text);
  assert.equal(facts.starts.length, 1);
  const s = facts.starts[0];
  assert.deepEqual([s.mechanism, lineOf(s.span), s.count, s.parentAlsoRuns, s.entryModules, s.initializers.map((i) => [i.fromModule, i.name])], [
    'gunicorn', 4, { kind: 'unknown', dependsOn: 'CPU count', atLeast: 3, source: s.span }, true, ['proj.wsgi'], [['gunicorn.conf', 'post_fork']],
  ]);
  assert.deepEqual(s.childScopes, [moduleScope('gunicorn.conf'), configScope(path.join(root, 'logging.ini'))]);
  assert.deepEqual(facts.handlers.map((h) => [h.kind, h.className, lineOf(h.span), h.scope]), [
    ['rotating-size', 'logging.handlers.RotatingFileHandler', 9, moduleScope('gunicorn.conf')],
    ['plain-file', 'gunicorn accesslog', 7, childOnlyLineScope(path.join(root, 'gunicorn.conf.py'), 6)],
  ]);
  // when_ready runs in the master before it forks: the workers inherit, they do not run it.
  assert.deepEqual(s.parentInitializers?.map((i) => [i.fromModule, i.name]), [['gunicorn.conf', 'when_ready']]);
  // Only the workers serve requests: the access log's scope is run by them, not the master.
  assert.deepEqual(s.childOnlyScopes, [facts.handlers[1].scope]);
  assert.deepEqual(facts.configLoads.map((l) => [l.kind, lineOf(l.span), l.file]), [['gunicorn', 6, { kind: 'literal', value: 'logging.ini' }], ['gunicorn', 9, undefined]]);
});

test('gunicorn.conf.py hooks kept elsewhere: imported (as is or renamed) or assigned, as much hooks as defined ones', async () => {
  const text = `from deploy import hooks
from deploy.hooks import on_starting
from deploy.hooks import ready as when_ready
bind = "0.0.0.0:8000"
workers = 2
post_fork = hooks.post_fork
post_worker_init = init_worker
pre_fork = lambda server, worker: None

def init_worker(worker):
    pass
`;
  const s = (await readPython(workspace(), 'gunicorn.conf.py', 'gunicorn.conf', text)).starts[0];
  const refs = (list: { fromModule: string; name: string; span: { start: { line: number } } }[] | undefined) => list?.map((i) => [i.fromModule, i.name, lineOf(i.span)]);
  assert.deepEqual(refs(s.initializers), [['gunicorn.conf', 'hooks.post_fork', 6], ['gunicorn.conf', 'init_worker', 7]]);
  assert.deepEqual(refs(s.parentInitializers), [['gunicorn.conf', 'on_starting', 2], ['gunicorn.conf', 'when_ready', 3]]);
});

test('gunicorn conf module worker counts: literal, env with default, env without, unset', async () => {
  const root = workspace();
  const read = (body: string) => readPython(root, 'gunicorn.conf.py', 'gunicorn.conf', `bind = ":80"\n${body}`);
  assert.equal(countOf(await read('workers = 4\n')), 4);
  assert.equal(countOf(await read('workers = int(os.environ.get("WORKERS", "3"))\n')), 3);
  assert.deepEqual(countOf(await read('workers = int(os.environ["WORKERS"])\n')), { dependsOn: 'WORKERS', atLeast: undefined });
  assert.equal(countOf(await read('timeout = 30\n')), 1);
  // A module that merely has `workers = 4` is not a gunicorn config.
  const plain = await readPython(root, 'jobs.py', 'jobs', 'workers = 4\n');
  assert.deepEqual(plain.starts, []);
});

test('Celery: an app with explicit concurrency, signal receivers as initializers, nothing without a count', async () => {
  const text = `from celery import Celery, signals
from celery.signals import after_setup_logger
app = Celery("proj", include=["proj.tasks"])
app.conf.update(worker_concurrency=6)

@after_setup_logger.connect
def add_handlers(logger, **kwargs):
    pass

@signals.worker_process_init.connect
def per_child(**kwargs):
    pass
`;
  const facts = await readPython(workspace(), 'proj/celery.py', 'proj.celery', text);
  assert.deepEqual(facts.starts.map((s) => [s.mechanism, lineOf(s.span), countOf({ ...facts, starts: [s] }), s.entryModules, s.initializers.map((i) => i.name), s.parentAlsoRuns ?? false]), [
    ['celery', 3, 6, ['proj.celery', 'proj.tasks'], [], true],
    ['celery', 6, 6, [], ['add_handlers'], true],
    ['celery', 10, 6, [], ['per_child'], false],
  ]);
  const bare = await readPython(workspace(), 'proj/celery.py', 'proj.celery', 'from celery import Celery\napp = Celery("proj")\n');
  assert.deepEqual(bare.starts, []);
  const hookOnly = await readPython(workspace(), 'proj/celery.py', 'proj.celery', 'from celery.signals import setup_logging\n@setup_logging.connect\ndef cfg(**kw):\n    pass\n');
  assert.deepEqual(hookOnly.starts.map((s) => s.count), [{ kind: 'unknown', dependsOn: 'CPU count', atLeast: 2 }]);
});

test('files without config words are skipped; syntax errors and odd code never throw', async () => {
  const root = workspace();
  const none = await readPython(root, 'util.py', 'util', 'def f(x):\n    return x + 1\n');
  assert.deepEqual([none.handlers, none.starts, none.configLoads, none.problems], [[], [], [], []]);
  const broken = await readPython(root, 'broken.py', 'broken', 'LOGGING = {"handlers": {"f": {"class": \ndictConfig(\nCONFIG[1]["x"] = {\nworkers = \n');
  assert.deepEqual(broken.problems, []);
  const odd = await readPython(root, 'odd.py', 'odd', 'dictConfig()\ndictConfig(*args)\nfileConfig()\nx = {}\nx[0]["a"] = 1\nx.update()\ndictConfig(x)\n');
  assert.deepEqual(odd.handlers, []);
});

test('a distributed rank in a log file name makes it one file per process; a word containing rank does not', () => {
  const perRank = [
    'f"logs/train-{rank}.log"',
    'f"train-{args.local_rank}.log"',
    'f"train-{dist.get_rank()}.log"',
    'f"train-{os.environ[\'RANK\']}.log"',
    '"train-%d.log" % rank',
    '"train-" + str(local_rank) + ".log"',
    '"train-{}.log".format(rank)',
    'f"train-{accelerator.process_index}.log"',
  ];
  for (const text of perRank) assert.match(perProcessReason(text, 'code') ?? '', /rank/, text);
  for (const text of ['"logs/ranking.log"', 'f"logs/{ranker}.log"', 'f"{prank}.log"']) assert.equal(perProcessReason(text, 'code'), undefined, text);
});

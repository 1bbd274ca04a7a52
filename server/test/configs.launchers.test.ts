/** Command lines wherever they live: what they start, how many, which modules, which logs. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { configScope } from '../src/model/facts';
import type { ProcessStart } from '../src/model/facts';
import { isConfigFile } from '../src/configs';
import { workspace, readConfig, lineOf, countOf } from './configTestUtil';

test('Procfile gunicorn: -w, app module, preload, --log-config child scope and load', () => {
  const root = workspace({ 'conf/logging.ini': '[loggers]\nkeys=root\n' });
  const facts = readConfig(root, 'Procfile', 'release: python manage.py migrate\nweb: gunicorn --preload -w 4 --log-config conf/logging.ini proj.wsgi:application\n');
  assert.equal(facts.starts.length, 1);
  const s = facts.starts[0];
  assert.deepEqual([s.mechanism, countOf(facts), lineOf(s.span), lineOf(s.count.source), s.entryModules, s.parentAlsoRuns, s.startMethod, s.scope], ['gunicorn', 4, 2, 2, ['proj.wsgi'], true, 'fork', configScope(path.join(root, 'Procfile'))]);
  assert.deepEqual(s.childScopes, [configScope(path.join(root, 'conf/logging.ini'))]);
  assert.deepEqual(facts.configLoads.map((l) => [l.kind, l.file, lineOf(l.span)]), [['gunicorn', { kind: 'literal', value: 'conf/logging.ini' }, 2]]);
  assert.match(s.description, /^gunicorn -w 4 --preload proj\.wsgi:application \(Procfile:2, process type web\); --preload: the master imports the app/);
});

test("gunicorn app factory: each worker calls it, or the master once under --preload (the workers inherit the app it built)", () => {
  const root = workspace();
  const names = (refs: { name: string }[] | undefined) => refs?.map((r) => r.name);
  const perWorker = readConfig(root, 'Procfile', "web: gunicorn -w 4 'app:create_app()'\n").starts[0];
  assert.deepEqual([names(perWorker.initializers), names(perWorker.parentInitializers)], [['app.create_app'], undefined]);
  const preloaded = readConfig(root, 'Procfile', "web: gunicorn -w 4 --preload 'app:create_app()'\n").starts[0];
  assert.deepEqual([names(preloaded.initializers), names(preloaded.parentInitializers), preloaded.parentAlsoRuns], [[], ['app.create_app'], true]);
});

test('gunicorn worker count: ${VAR:-4} default, unset variable, WEB_CONCURRENCY, GUNICORN_CMD_ARGS, default 1', () => {
  const root = workspace({ '.env': 'WEB_CONCURRENCY=3\n' });
  const withDefault = readConfig(root, 'Procfile', 'web: gunicorn -w ${WORKERS:-4} app:app\n');
  assert.equal(countOf(withDefault), 4);
  assert.match(withDefault.starts[0].description, /\$\{WORKERS:-4\} taken at its default 4/);
  const unset = readConfig(root, 'Procfile', 'web: gunicorn --workers=$GUNICORN_WORKERS app:app\n');
  assert.deepEqual(countOf(unset), { dependsOn: 'GUNICORN_WORKERS', atLeast: undefined });
  const fromDotenv = readConfig(root, 'Procfile', 'web: gunicorn app:app\n');
  assert.equal(countOf(fromDotenv), 3);
  assert.match(fromDotenv.starts[0].description, /WEB_CONCURRENCY=3 from \.env/);
  const cmdArgs = readConfig(workspace(), 'start.sh', '#!/bin/sh\nexport GUNICORN_CMD_ARGS="--workers 5 --preload"\ngunicorn app:app\n');
  assert.deepEqual([countOf(cmdArgs), cmdArgs.starts[0].parentAlsoRuns], [5, true]);
  const bare = readConfig(workspace(), 'Procfile', 'web: gunicorn app:app\n');
  assert.equal(countOf(bare), 1);
  assert.match(bare.starts[0].description, /gunicorn default: 1 worker/);
  const cpu = readConfig(workspace(), 'Procfile', 'web: gunicorn -w $(( $(nproc) * 2 + 1 )) app:app\n');
  assert.deepEqual(countOf(cpu), { dependsOn: 'CPU count', atLeast: 2 });
});

test('gunicorn reads workers, preload and logconfig from -c and from ./gunicorn.conf.py', () => {
  const root = workspace({
    'deploy/gconf.py': 'workers = 6\npreload_app = True\n',
    'gunicorn.conf.py': 'bind = ":80"\nworkers = int(os.environ.get("WORKERS", 3))\nlogconfig = "logging.ini"\n',
    'logging.ini': '',
  });
  const explicit = readConfig(root, 'Procfile', 'web: gunicorn -c deploy/gconf.py app:app\n');
  assert.deepEqual([countOf(explicit), explicit.starts[0].parentAlsoRuns, lineOf(explicit.starts[0].count.source)], [6, true, 1]);
  assert.equal(explicit.starts[0].count.source?.file, path.join(root, 'deploy/gconf.py'));
  const implicit = readConfig(root, 'Procfile', 'web: gunicorn app:app\n');
  assert.equal(countOf(implicit), 3);
  assert.deepEqual(implicit.starts[0].childScopes, [configScope(path.join(root, 'logging.ini'))]);
});

test('gunicorn --error-logfile / --access-logfile are files gunicorn opens in every worker; - is stdout', () => {
  const root = workspace();
  const facts = readConfig(root, 'Procfile', 'web: gunicorn -w 2 --access-logfile - --error-logfile logs/err.log app:app\n');
  assert.deepEqual(facts.handlers.map((h) => [h.kind, h.className, h.path, h.scope]), [['plain-file', 'gunicorn --error-logfile', { kind: 'literal', value: 'logs/err.log' }, `${configScope(path.join(root, 'Procfile'))}#L1`]]);
  assert.deepEqual(facts.starts[0].childScopes, [facts.handlers[0].scope]);
  assert.equal(facts.starts[0].childOnlyScopes, undefined);
});

test('gunicorn --access-logfile is written by the workers only: its scope is one the master does not run', () => {
  const root = workspace();
  const facts = readConfig(root, 'Procfile', 'web: gunicorn -w 2 --access-logfile logs/access.log --error-logfile logs/err.log app:app\n');
  const [error, access] = facts.handlers;
  assert.deepEqual([error.className, access.className, access.path], ['gunicorn --error-logfile', 'gunicorn --access-logfile', { kind: 'literal', value: 'logs/access.log' }]);
  assert.deepEqual([facts.starts[0].childScopes, facts.starts[0].childOnlyScopes], [[error.scope], [access.scope]]);
  assert.notEqual(access.scope, error.scope);
});

test('celery: -c, --concurrency=, default CPU count, -P solo, %I log files, concurrency from the app module', () => {
  const root = workspace({ 'proj/celery.py': 'from celery import Celery\napp = Celery("proj")\napp.conf.worker_concurrency = 8\n' });
  const c = readConfig(root, 'Procfile', 'worker: celery -A tasks worker -c 3 -l info\n');
  assert.deepEqual([c.starts[0].mechanism, countOf(c), c.starts[0].entryModules, c.starts[0].parentAlsoRuns], ['celery', 3, ['tasks'], true]);
  assert.equal(countOf(readConfig(root, 'Procfile', 'worker: celery --app=tasks worker --concurrency=2\n')), 2);
  assert.deepEqual(countOf(readConfig(root, 'Procfile', 'worker: celery -A tasks worker\n')), { dependsOn: 'CPU count', atLeast: 2 });
  assert.equal(countOf(readConfig(root, 'Procfile', 'worker: celery -A proj worker\n')), 8);
  const solo = readConfig(root, 'Procfile', 'worker: celery -A tasks worker -P solo\n');
  assert.deepEqual([countOf(solo), solo.starts[0].parentAlsoRuns], [1, undefined]);
  const perProcess = readConfig(root, 'Procfile', 'worker: celery -A tasks worker -c 4 --logfile=logs/w-%I.log\n');
  assert.deepEqual(perProcess.handlers.map((h) => h.path?.kind), ['per-process']);
  const shared = readConfig(root, 'Procfile', 'worker: celery -A tasks worker -c 4 -f logs/w.log\n');
  assert.deepEqual(shared.handlers.map((h) => [h.kind, h.path]), [['plain-file', { kind: 'literal', value: 'logs/w.log' }]]);
  assert.deepEqual(readConfig(root, 'Procfile', 'beat: celery -A tasks beat\n').starts, []);
});

test('manage.py runserver: two processes importing the settings; --noreload one', () => {
  const root = workspace({ 'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.dev")\n' });
  const dev = readConfig(root, 'Makefile', 'run:\n\tpython manage.py runserver 0.0.0.0:8000\n');
  assert.deepEqual([dev.starts[0].mechanism, countOf(dev), dev.starts[0].entryModules, lineOf(dev.starts[0].span)], ['django-runserver', 2, ['site.settings.dev'], 2]);
  const noreload = readConfig(root, 'Procfile', 'web: python manage.py runserver --noreload --settings=site.settings.prod\n');
  assert.deepEqual([countOf(noreload), noreload.starts[0].entryModules], [1, ['site.settings.prod']]);
});

test('uvicorn --workers spawns workers that re-import the app', () => {
  const facts = readConfig(workspace(), 'Procfile', 'web: uvicorn main:app --workers 4\n');
  assert.deepEqual([facts.starts[0].mechanism, countOf(facts), facts.starts[0].startMethod, facts.starts[0].entryModules], ['other', 4, 'spawn', ['main']]);
  // Without --workers, one process: a start only because a Procfile runs it beside the others.
  const single = readConfig(workspace(), 'Procfile', 'web: uvicorn main:app\n').starts;
  assert.deepEqual(single.map((s) => [s.count.kind === 'known' && s.count.n, s.together?.length]), [[1, 1]]);
});

test('Dockerfile: exec form, shell form, ENTRYPOINT + CMD, ENV values, last stage only', () => {
  const root = workspace();
  const exec = readConfig(root, 'Dockerfile', 'FROM python AS build\nCMD ["celery", "-A", "x", "worker"]\nFROM python\nENV WORKERS=3 OTHER="a b"\nCMD ["gunicorn", "-w", "$WORKERS", "app:app"]\n');
  assert.deepEqual(exec.starts.map((s) => [s.mechanism, lineOf(s.span)]), [['gunicorn', 5]]);
  assert.equal(countOf(exec), 3);
  const combined = readConfig(root, 'Dockerfile', 'FROM python\nENTRYPOINT ["./docker-entrypoint.sh"]\nCMD ["gunicorn", \\\n  "--workers", "2", "app:app"]\n');
  assert.deepEqual([countOf(combined), lineOf(combined.starts[0].span)], [2, 3]);
  const shell = readConfig(root, 'Containerfile', 'FROM python\nARG W=5\nCMD exec gunicorn -w ${W} app:app 2>&1 | tee /dev/null\n');
  assert.equal(countOf(shell), 5);
  const sh = readConfig(root, 'Dockerfile', 'FROM python\nCMD ["sh", "-c", "python manage.py migrate && gunicorn -w 2 proj.wsgi"]\n');
  assert.deepEqual([countOf(sh), sh.starts[0].entryModules], [2, ['proj.wsgi']]);
});

test('docker compose: command list/string, environment, replicas multiply, Dockerfile CMD of built services', () => {
  const root = workspace({ 'worker/Dockerfile': 'FROM python\nCMD ["python", "worker.py"]\n', 'worker/worker.py': '' });
  const text = `x-common: &common\n  environment:\n    WORKERS: "2"\n  volumes: [logs:/var/log/app]\nservices:\n  web:\n    <<: *common\n    command: gunicorn -w \${WORKERS} app:app\n    deploy:\n      replicas: 3\n  jobs:\n    build: ./worker\n    scale: 4\n    volumes:\n      - ./logs:/logs\n  db:\n    image: postgres\n`;
  const facts = readConfig(root, 'docker-compose.yml', text);
  assert.deepEqual(facts.problems, []);
  assert.deepEqual(facts.starts.map((s) => [s.mechanism, s.count.kind === 'known' ? s.count.n : s.count, lineOf(s.span), lineOf(s.count.source), s.entryModules]), [
    ['gunicorn', 6, 8, 8, ['app']],
    // worker/ is no package: Python runs worker.py with worker/ on sys.path, as module `worker`.
    ['other', 4, 11, 13, ['worker']],
  ]);
  assert.match(facts.starts[0].description, /× 3 replicas of service web/);
});

test('docker compose: replicas without a volume do not multiply (each container writes its own file)', () => {
  const root = workspace({ 'worker/Dockerfile': 'FROM python\nCMD ["python", "worker.py"]\n', 'worker/worker.py': '' });
  const text = 'services:\n  web:\n    command: gunicorn -w 2 app:app\n    deploy:\n      replicas: 3\n  jobs:\n    build: ./worker\n    scale: 4\n';
  const facts = readConfig(root, 'docker-compose.yml', text);
  // gunicorn's own workers still share the container; the plain script alone is one process.
  assert.deepEqual(facts.starts.map((s) => [s.mechanism, s.count.kind === 'known' ? s.count.n : s.count]), [['gunicorn', 2]]);
});

test('systemd: ExecStart with Environment=, continuation lines, template units', () => {
  const root = workspace({ 'deploy/app.env': 'WORKERS=7\n' });
  const unit = readConfig(root, 'deploy/app.service', '[Unit]\nDescription=x\n[Service]\nEnvironmentFile=-/etc/app/app.env\nEnvironment="A=1" B=2\nExecStart=/srv/venv/bin/gunicorn \\\n  -w ${WORKERS} app:app\n');
  assert.deepEqual([countOf(unit), lineOf(unit.starts[0].span), unit.starts[0].entryModules], [7, 6, ['app']]);
  const template = readConfig(root, 'deploy/worker@.service', '[Service]\nExecStart=/usr/bin/python3 -m jobs.worker --queue %i\n');
  assert.deepEqual([template.starts[0].mechanism, countOf(template), template.starts[0].entryModules], ['systemd', { dependsOn: 'the number of running instances of worker@.service', atLeast: undefined }, ['jobs.worker']]);
});

test('supervisord: numprocs multiplies; %(process_num)d makes a log file per process', () => {
  const root = workspace();
  const text = '[supervisord]\nnodaemon=true\n\n[program:w]\ncommand=celery -A proj worker -c 2 --logfile=/var/log/w%(process_num)02d.log\nnumprocs=3\nenvironment=A="1",B=2\n\n[program:single]\ncommand=python single.py\n';
  const facts = readConfig(root, 'supervisord.conf', text);
  // [program:single] is one process, run at the same time as [program:w].
  assert.deepEqual(facts.starts.map((s) => [s.mechanism, s.count.kind === 'known' && s.count.n, lineOf(s.span)]), [['celery', 6, 5], ['other', 1, 10]]);
  assert.equal(facts.starts[0].together?.[0], facts.starts[1].together?.[0]);
  assert.deepEqual(facts.handlers.map((h) => h.path?.kind), ['per-process']);
});

test('programs run at the same time: Procfile types (not release), supervisord programs per directory, backgrounded shell commands until wait', () => {
  const keys = (facts: { starts: { entryModules: string[]; together?: string[] }[] }) =>
    facts.starts.map((s) => [s.entryModules[0], s.together?.map((k) => k.replace(/^.*[#|]/, '#')) ?? null]);
  const procfile = readConfig(workspace(), 'Procfile', 'release: python migrate.py\nweb: gunicorn -w 2 app:app\nclock: python clock.py\n');
  assert.deepEqual(procfile.starts.map((s) => [s.entryModules[0], s.together?.length ?? 0]), [['app', 1], ['clock', 1]]);
  assert.equal(procfile.starts[0].together![0], procfile.starts[1].together![0]);
  const supervisord = readConfig(workspace(), 'supervisord.conf', '[program:a]\ncommand=python a.py\ndirectory=/srv/x\n[program:b]\ncommand=python b.py\ndirectory=/srv/y\n[program:c]\ncommand=python c.py\ndirectory=/srv/x\n[program:d]\ncommand=python d.py\ndirectory=/srv/x\nautostart=false\n');
  assert.deepEqual(keys(supervisord), [['a', ['#cwd:/srv/x']], ['b', ['#cwd:/srv/y']], ['c', ['#cwd:/srv/x']]]);
  const sh = readConfig(workspace(), 'run.sh', '#!/bin/sh\npython first.py\nnohup python a.py > a.out 2>&1 &\npython b.py\nwait\npython c.py 2>&1\npython d.py & python e.py\ncd sub\npython f.py\n');
  // A `cd` does not stop what runs: f runs beside d and e, in another folder.
  assert.deepEqual(sh.starts.map((s) => [s.entryModules[0], s.together?.map((k) => k.replace(/^.*#/, '#')) ?? null]), [['a', ['#0|cwd:']], ['b', ['#0|cwd:']], ['d', ['#1|cwd:']], ['e', ['#1|cwd:']], ['f', ['#1|cwd:sub']]]);
  // A subshell's `cd` is where that command's relative paths resolve.
  const sub = readConfig(workspace(), 'dev.sh', '#!/bin/sh\n(cd api && python server.py) &\n(cd worker && python run.py) &\npython tail.py &\nwait\n');
  assert.deepEqual(sub.starts.map((s) => s.together?.[0].replace(/^.*#/, '#')), ['#0|cwd:api', '#0|cwd:worker', '#0|cwd:']);
});

test('a script in a folder that is no package is the module Python runs it as (its folder on sys.path)', () => {
  const root = workspace({ 'backend/worker.py': '', 'pkg/__init__.py': '', 'pkg/jobs/__init__.py': '', 'pkg/jobs/run.py': '' });
  const facts = readConfig(root, 'Procfile', 'a: python backend/worker.py\nb: python pkg/jobs/run.py\n');
  assert.deepEqual(facts.starts.map((s) => s.entryModules), [['worker'], ['pkg.jobs.run']]);
});

test('a C-style shell loop in the background runs its count of copies', () => {
  const sh = readConfig(workspace({ '.env': 'N=3\n' }), 'run.sh', '#!/bin/bash\nfor ((i=1; i<=$N; i++)); do\n  python job.py &\ndone\nfor (( i = 0; i < 2; i++ )); do python other.py & done\nW=4\nfor ((w = 1; w <= W; w++)); do python bare.py & done\n');
  assert.deepEqual(sh.starts.map((s) => [s.entryModules[0], s.count.kind === 'known' && s.count.n]), [['job', 3], ['other', 2], ['bare', 4]]);
});

test('docker compose: each mount is a key with the working directory (or, without one, whether the mount is named for logs), for writers.ts to map log paths through', () => {
  const text = 'services:\n  a:\n    command: python a.py\n    volumes: ["./logs:/app/logs"]\n  b:\n    command: python b.py\n    volumes:\n      - type: bind\n        source: ./logs\n        target: /app/logs\n  c:\n    command: python c.py\n    volumes: ["data:/data"]\n  d:\n    command: python d.py\n    working_dir: /srv\n    volumes: [".:/srv"]\n';
  const facts = readConfig(workspace(), 'docker-compose.yml', text);
  assert.deepEqual(facts.starts.map((s) => [s.entryModules[0], s.together?.map((k) => k.split('|').slice(1).join('|'))]), [
    ['a', ['mount:logs->/app/logs|logs']], ['b', ['mount:logs->/app/logs|logs']], ['c', ['mount:data->/data']], ['d', ['mount:.->/srv|wd:/srv']],
  ]);
});

test('shell scripts and Makefiles: variables assigned earlier, defaults, loops in the background', () => {
  const root = workspace();
  const sh = readConfig(root, 'run.sh', '#!/bin/bash\n: "${CONC:=3}"\nW=${W:-2}\ncelery -A proj worker -c "$CONC" &\nfor n in $(seq 1 4); do\n  python job.py --n "$n" &\ndone\ngunicorn -w $W app:app\n');
  assert.deepEqual(sh.starts.map((s) => [s.mechanism, s.count.kind === 'known' && s.count.n, lineOf(s.span), s.entryModules]), [
    ['celery', 3, 4, ['proj']],
    ['other', 4, 6, ['job']],
    ['gunicorn', 2, 8, ['app']],
  ]);
  const make = readConfig(root, 'Makefile', 'WORKERS ?= 3\nexport PORT := 80\nserve:\n\t@gunicorn -w $(WORKERS) -b :$$PORT app:app\n');
  assert.deepEqual([countOf(make), lineOf(make.starts[0].span)], [3, 4]);
});

test("supervisord numprocs=%(ENV_N)s: the workspace's value of N, else a count that depends on N", () => {
  const unknownN = readConfig(workspace(), 'supervisord.conf', '[program:w]\ncommand=python w.py\nnumprocs=%(ENV_N)s\n');
  assert.deepEqual(unknownN.starts.map((s) => [s.count.kind, s.count.kind === 'unknown' && s.count.dependsOn]), [['unknown', 'N']]);
  const setN = readConfig(workspace({ '.env': 'N=3\n' }), 'supervisord.conf', '[program:w]\ncommand=python w.py\nnumprocs=%(ENV_N)s\n');
  assert.deepEqual(setN.starts.map((s) => s.count.kind === 'known' && s.count.n), [3]);
});

test('a shell loop over $(seq 1 "$N") with N defaulted runs N copies', () => {
  const sh = readConfig(workspace(), 'run.sh', '#!/bin/bash\nN=${N:-4}\nfor i in $(seq 1 "$N"); do\n  python job.py &\ndone\nwait\n');
  assert.deepEqual(sh.starts.map((s) => [s.mechanism, s.count.kind === 'known' && s.count.n]), [['other', 4]]);
});

test('gunicorn -c python:module reads the config module as a file of the workspace', () => {
  const root = workspace({ 'deploy/webconf.py': 'bind = "0.0.0.0:8000"\nworkers = 4\n' });
  const facts = readConfig(root, 'Procfile', 'web: gunicorn -c python:deploy.webconf app:app\n');
  assert.deepEqual(facts.starts.map((s) => [s.mechanism, s.count.kind === 'known' && s.count.n]), [['gunicorn', 4]]);
});

test("descriptions show unknown counts as a shell would write them, not the reader's placeholders", () => {
  const root = workspace();
  const sh = readConfig(root, 'serve.sh', '#!/bin/sh\ngunicorn -w "$(nproc)" app:app &\ngunicorn -w $WORKERS other:app\n');
  assert.deepEqual(sh.starts.map((s) => s.description.split(' (')[0]), ['gunicorn -w $(nproc) app:app', 'gunicorn -w $WORKERS other:app']);
  for (const s of sh.starts) assert.doesNotMatch(s.description, /@@/);
});

test('uWSGI ini and yaml: processes, master, lazy-apps, module and wsgi-file', () => {
  const root = workspace();
  const ini = readConfig(root, 'deploy/uwsgi.ini', '[uwsgi]\nchdir = ..\nwsgi-file = src/site/app.py\nmaster = true\nprocesses = 4\n');
  assert.deepEqual([countOf(ini), ini.starts[0].entryModules, ini.starts[0].parentAlsoRuns, lineOf(ini.starts[0].span)], [4, ['app'], true, 5]);
  const yaml = readConfig(root, 'uwsgi.yaml', 'uwsgi:\n  module: proj.wsgi:application\n  workers: 3\n  lazy-apps: true\n');
  assert.deepEqual([countOf(yaml), yaml.starts[0].entryModules, yaml.starts[0].parentAlsoRuns ?? false], [3, ['proj.wsgi'], false]);
  // An ini the workspace does not have: what the command line runs is unknown here.
  assert.deepEqual(readConfig(root, 'Procfile', 'web: uwsgi --ini uwsgi.ini\n').starts, []);
  assert.equal(countOf(readConfig(root, 'Procfile', 'web: uwsgi --http :80 --module app:app -p 6 --master\n')), 6);
});

test('uWSGI placeholders: %(option) of the same file, set-placeholder, %d, %k; a placeholder named nowhere is no count', () => {
  const root = workspace();
  const ini = readConfig(root, 'deploy/uwsgi.ini', '[uwsgi]\nbase = %d..\nwsgi-file = %(base)/site/app.py\nset-placeholder = n=3\nworkers = %(n)\nprocesses = %(workers)\nmaster = true\n');
  assert.deepEqual([countOf(ini), ini.starts[0].entryModules, lineOf(ini.starts[0].count.source)], [3, ['app'], 6]);
  const literal = readConfig(root, 'x/uwsgi.ini', '[uwsgi]\nwsgi-file = %d%%d.py\n');
  assert.deepEqual(literal.starts[0].entryModules, ['%d']);
  const cpu = readConfig(root, 'uwsgi.yaml', 'uwsgi:\n  module: app:application\n  processes: "%k"\n');
  assert.deepEqual(countOf(cpu), { dependsOn: 'CPU count', atLeast: 2 });
  const unknownName = readConfig(root, 'uwsgi.ini', '[uwsgi]\nmodule = app:application\nprocesses = %(web_workers)\n');
  assert.deepEqual(countOf(unknownName), { dependsOn: '`processes = %(web_workers)`', atLeast: undefined });
});

test('uwsgi --ini: the file is read in place, options after it override it, options before it are overridden', () => {
  const root = workspace({ 'uwsgi.ini': '[uwsgi]\nmodule = app:application\nmaster = true\nprocesses = %(dev_workers)\ndev_workers = 1\n[prod]\nmodule = app:application\nprocesses = 6\n' });
  const ini = path.join(root, 'uwsgi.ini');
  const after = readConfig(root, 'Procfile', 'web: uwsgi --ini uwsgi.ini --processes 8\n').starts[0];
  assert.deepEqual([after.count.kind === 'known' && after.count.n, after.entryModules, after.parentAlsoRuns, after.supersedes, lineOf(after.count.source)], [8, ['app'], true, [ini], 1]);
  assert.equal(after.count.source?.file, path.join(root, 'Procfile'));
  const before = readConfig(root, 'Procfile', 'web: uwsgi --processes 8 --ini uwsgi.ini\n').starts[0];
  assert.deepEqual([before.count.kind === 'known' && before.count.n, before.count.source?.file, lineOf(before.count.source)], [1, ini, 4]);
  const section = readConfig(root, 'Procfile', 'web: uwsgi --ini uwsgi.ini:prod\n').starts[0];
  assert.equal(countOf({ ...readConfig(root, 'x.sh', ''), starts: [section] }), 6);
  const bare = readConfig(root, 'Procfile', 'web: uwsgi uwsgi.ini --lazy-apps\n').starts[0];
  assert.deepEqual([bare.count.kind === 'known' && bare.count.n, bare.parentAlsoRuns ?? false, bare.supersedes], [1, false, [ini]]);
});

test('gunicorn -c conf.py: the command line stands for the config module (its -w over the module\'s workers); without -c, for ./gunicorn.conf.py', () => {
  const root = workspace({ 'deploy/web.py': 'bind = "0.0.0.0:80"\nworkers = 8\n', 'gunicorn.conf.py': 'workers = 3\n' });
  const overridden = readConfig(root, 'Procfile', 'web: gunicorn -c deploy/web.py -w 2 app:app\n').starts[0];
  assert.deepEqual([overridden.count.kind === 'known' && overridden.count.n, overridden.supersedes], [2, [path.join(root, 'deploy/web.py')]]);
  assert.match(overridden.description, /^gunicorn -c deploy\/web\.py -w 2 app:app/);
  const fromFile = readConfig(root, 'Procfile', 'web: gunicorn --config=deploy/web.py app:app\n').starts[0];
  assert.deepEqual([fromFile.count.kind === 'known' && fromFile.count.n, fromFile.supersedes], [8, [path.join(root, 'deploy/web.py')]]);
  const byDefault = readConfig(root, 'Procfile', 'web: gunicorn -w 2 app:app\n').starts[0];
  assert.deepEqual(byDefault.supersedes, [path.join(root, 'gunicorn.conf.py')]);
  assert.equal(readConfig(workspace(), 'Procfile', 'web: gunicorn -w 2 app:app\n').starts[0].supersedes, undefined);
});

test('unbalanced quotes are a problem on that line; the other lines are still read', () => {
  const facts = readConfig(workspace(), 'Procfile', 'web: gunicorn -w 2 "app:app\nworker: celery -A p worker -c 2\n');
  assert.deepEqual(facts.problems.map((p) => [lineOf(p.span), p.message]), [[1, 'unbalanced quote in the command line at Procfile:1, process type web; not analysed']]);
  assert.deepEqual(facts.starts.map((s) => s.mechanism), ['celery']);
  const script = readConfig(workspace(), 'start.sh', "#!/bin/sh\necho 'it''s\ngunicorn -w 3 'app:app\n");
  assert.equal(script.problems.length, 1);
});

/** `[mechanism, count, script line, count line, entry module]` of each start. */
function pm2Starts(facts: ReturnType<typeof readConfig>): unknown[] {
  return facts.starts.map((s, i) => [s.mechanism, countOf(facts, i), lineOf(s.span), lineOf(s.count.source), s.entryModules[0]]);
}

test('PM2 numbers the copies of each plain program in NODE_APP_INSTANCE, or in its instance_var; a server started by PM2 is not one process a copy', () => {
  const root = workspace();
  const facts = readConfig(root, 'ecosystem.config.js', [
    'module.exports = { apps: [',
    "  { name: 'a', script: 'a.py', interpreter: 'python3' },",
    "  { name: 'b', script: 'b.py', interpreter: 'python3', instances: 2, instance_var: 'INSTANCE_ID' },",
    "  { name: 'web', script: 'gunicorn', interpreter: 'none', args: '-w 2 app:app', instances: 2 },",
    ']};',
  ].join('\n') + '\n');
  assert.deepEqual(facts.starts.map((s) => [s.entryModules[0], s.instanceVar]), [['a', 'NODE_APP_INSTANCE'], ['b', 'INSTANCE_ID'], ['app', undefined]]);
});

test('PM2 ecosystem.config.js: module.exports read without running it; instances, interpreter, args, cwd, env', () => {
  const root = workspace({ 'srv/gunicorn.conf.py': 'workers = 9\n' });
  const text = [
    "// pm2 start ecosystem.config.js",
    "const os = require('os');",
    "const common = { interpreter: '/srv/venv/bin/python3', env: { WEB_CONCURRENCY: 3 }, };",
    'module.exports = {',
    '  apps: [',
    "    { ...common, name: 'worker', script: 'jobs/worker.py', args: ['--queue', 'default'], instances: 4 },",
    "    { name: 'web', script: 'gunicorn', interpreter: 'none', args: 'app:app', cwd: 'srv' },",
    "    { name: 'api', script: 'gunicorn', interpreter: 'none', args: 'api:app', env: { WEB_CONCURRENCY: 5 } },",
    "    { name: 'console', script: '/srv/venv/bin/celery', interpreter: 'python3', args: '-A proj worker -c 2', },",
    "    { name: 'front', script: 'server.js', instances: os.cpus().length, exec_mode: 'cluster' },",
    '  ],',
    '};',
  ].join('\n');
  const facts = readConfig(root, 'ecosystem.config.js', text);
  assert.deepEqual(facts.problems, []);
  assert.deepEqual(pm2Starts(facts), [['pm2', 4, 6, 6, 'worker'], ['gunicorn', 9, 7, 1, 'app'], ['gunicorn', 5, 8, 8, 'api'], ['celery', 2, 9, 9, 'proj']]);
  assert.match(facts.starts[0].description, /^python jobs\/worker\.py × instances: 4 \(ecosystem\.config\.js:6, app worker\)$/);
  // `cwd` is where gunicorn finds its gunicorn.conf.py; `env` is the app's environment.
  assert.equal(facts.starts[1].count.source?.file, path.join(root, 'srv/gunicorn.conf.py'));
  assert.match(facts.starts[2].description, /WEB_CONCURRENCY=5 from ecosystem\.config\.js \(app api\)/);
  assert.ok(facts.starts.every((s) => s.scope === configScope(path.join(root, 'ecosystem.config.js'))));
});

test('PM2 JSON (comments, trailing commas), YAML and .mjs forms', () => {
  const root = workspace();
  const json = readConfig(root, 'pm2.json', '{\n  // JSON5, as PM2 reads it\n  "apps": [\n    {"name": "w", "script": "w.py", "instances": "3",},\n  ],\n}\n');
  assert.deepEqual([json.problems, pm2Starts(json)], [[], [['pm2', 3, 4, 4, 'w']]]);
  const yaml = readConfig(root, 'process.yml', 'apps:\n  - name: w\n    script: w.py\n    instances: 2\n  - script: celery\n    args: -A proj worker\n    interpreter: none\n');
  assert.deepEqual(pm2Starts(yaml), [['pm2', 2, 3, 4, 'w'], ['celery', { dependsOn: 'CPU count', atLeast: 2 }, 5, 5, 'proj']]);
  // Any YAML or JSON whose apps have a script is a PM2 file, whatever its name.
  const named = readConfig(root, 'deploy/apps.yaml', 'apps:\n  - script: w.py\n    instances: 2\n');
  assert.deepEqual(pm2Starts(named), [['pm2', 2, 2, 3, 'w']]);
  const mjs = readConfig(root, 'ecosystem.config.mjs', "import { cpus } from 'node:os';\nconst apps = [{ script: 'w.py', instances: cpus().length }];\nexport default { apps };\n");
  assert.deepEqual(pm2Starts(mjs), [['pm2', { dependsOn: 'CPU count', atLeast: 2 }, 2, 2, 'w']]);
  const members = readConfig(root, 'ecosystem.config.cjs', "exports.apps = [{ script: 'w.py', instances: 2 }];\n");
  assert.deepEqual(pm2Starts(members), [['pm2', 2, 1, 1, 'w']]);
});

test("PM2 instances: 'max', 0 and -1 follow the CPU count; env defaults; unset variables; code not read", () => {
  const root = workspace({ '.env': 'FROM_DOTENV=6\n' });
  const counts = (instances: string) => {
    const facts = readConfig(root, 'ecosystem.config.js', `module.exports = { apps: [{ script: 'w.py', instances: ${instances} }] };\n`);
    assert.deepEqual(facts.problems, []);
    return [countOf(facts), facts.starts[0]?.description.replace(/^.*\); /, '')];
  };
  assert.deepEqual(counts("'max'"), [{ dependsOn: 'CPU count', atLeast: 2 }, 'instances 0 or max: one process per CPU']);
  assert.deepEqual(counts('0'), [{ dependsOn: 'CPU count', atLeast: 2 }, 'instances 0 or max: one process per CPU']);
  // One fewer than the CPUs: a single process on two.
  assert.deepEqual(counts('-1'), [{ dependsOn: 'CPU count', atLeast: undefined }, 'instances -1: 1 fewer than the CPUs, at least one']);
  assert.deepEqual(counts("require('os').cpus().length * 2"), [{ dependsOn: 'CPU count', atLeast: 4 }, "computed from the CPU count (`require('os').cpus().length * 2`)"]);
  assert.deepEqual(counts('process.env.WORKERS || 4'), [4, '`process.env.WORKERS || 4` taken at its default 4; setting WORKERS changes it']);
  assert.deepEqual(counts("parseInt(process.env.WORKERS ?? '3', 10)"), [3, "`process.env.WORKERS ?? '3'` taken at its default 3; setting WORKERS changes it"]);
  assert.deepEqual(counts('Number(process.env.FROM_DOTENV) || 2'), [6, 'FROM_DOTENV=6 from .env']);
  assert.deepEqual(counts('process.env.WORKERS'), [{ dependsOn: 'WORKERS', atLeast: undefined }, 'set by the environment variable WORKERS, which has no value in the workspace']);
  assert.deepEqual(counts("process.env.NODE_ENV === 'production' ? 8 : 1"), [{ dependsOn: 'NODE_ENV', atLeast: undefined }, 'set by the environment variable NODE_ENV, which has no value in the workspace']);
  assert.deepEqual(counts('computeInstances()'), [{ dependsOn: '`instances: computeInstances()`', atLeast: undefined }, 'computed by code the analysis does not run']);
  // One instance, and no `instances` at all: one process, which runs beside the file's other apps.
  assert.deepEqual(counts('1'), [1, 'python w.py (ecosystem.config.js:1, app w)']);
  assert.deepEqual(counts('null'), [1, 'python w.py (ecosystem.config.js:1, app w)']);
});

test('PM2 apps of one file run together, per cwd; Node apps start nothing (yet)', () => {
  const root = workspace();
  const text = "module.exports = { apps: [\n  { name: 'a', script: 'a.py' },\n  { name: 'b', script: 'b.py', cwd: './' },\n  { name: 'c', script: 'c.py', cwd: 'other' },\n  { name: 'd', script: 'server.js', instances: 4 },\n  { name: 'e', script: 'e.py', interpreter: 'node' },\n  { name: 'f', script: 'npm', args: 'start' },\n  { name: 'g', script: 'g.py', interpreter: 'python3 -u', interpreter_args: ['-X', 'dev'] },\n] };\n";
  const facts = readConfig(root, 'ecosystem.config.js', text);
  const file = path.join(root, 'ecosystem.config.js');
  assert.deepEqual(facts.starts.map((s) => [s.entryModules[0], s.count.kind === 'known' && s.count.n, s.together]), [
    ['a', 1, [`pm2:${file}|cwd:`]],
    ['b', 1, [`pm2:${file}|cwd:`]],
    ['c', 1, [`pm2:${file}|cwd:other`]],
    ['g', 1, [`pm2:${file}|cwd:`]],
  ]);
});

test('PM2 bad input: a syntax error is one problem at its position, never a throw; computed apps read nothing', () => {
  const root = workspace();
  const broken = readConfig(root, 'ecosystem.config.js', "module.exports = {\n  apps: [{ script: 'w.py', instances: 4 ]\n};\n");
  assert.equal(broken.problems.length, 1);
  assert.match(broken.problems[0].message, /^cannot parse ecosystem\.config\.js: Unexpected token \(2:/);
  assert.equal(lineOf(broken.problems[0].span), 2);
  assert.deepEqual(broken.starts, []);
  const json = readConfig(root, 'ecosystem.json', '{"apps": [{"script": "w.py"}]} trailing');
  assert.match(json.problems[0]?.message ?? '', /^cannot parse ecosystem\.json: unexpected text after the value/);
  const yaml = readConfig(root, 'process.yml', 'apps:\n  - script: [w.py\n');
  assert.match(yaml.problems[0]?.message ?? '', /^cannot parse process\.yml/);
  // Nothing exported, apps built by code, a function export: no starts, no problems.
  for (const code of [
    "require('pm2').start({ script: 'w.py', instances: 4 });\n",
    "module.exports = { apps: ['a', 'b'].map((n) => ({ name: n, script: `${n}.py`, instances: 2 })) };\n",
    'module.exports = function () { return {}; };\n',
    `module.exports = { apps: [${'['.repeat(60)}${']'.repeat(60)}] };\n`,
  ]) {
    const facts = readConfig(root, 'ecosystem.config.js', code);
    assert.deepEqual([facts.starts, facts.problems.map((p) => p.message)], [[], []], code.slice(0, 40));
  }
  // A generated expression: not evaluated past a bound; the count is unknown.
  const long = readConfig(root, 'ecosystem.config.js', `module.exports = { apps: [{ script: 'w.py', instances: ${Array(1_500).fill('1').join(' + ')} }] };\n`);
  assert.deepEqual([long.problems, long.starts.map((s) => s.count.kind)], [[], ['unknown']]);
  // Nesting deeper than the parser's stack: a problem like any syntax error.
  const deep = readConfig(root, 'ecosystem.config.js', `module.exports = { apps: [${'['.repeat(100_000)}${']'.repeat(100_000)}] };\n`);
  assert.deepEqual([deep.starts, deep.problems.length], [[], 1]);
  const huge = readConfig(root, 'ecosystem.config.js', `module.exports = { apps: [] }; // ${'x'.repeat(2 * 1024 * 1024)}\n`);
  assert.match(huge.problems[0].message, /larger than 2 MB/);
});

test('PM2 process files are read under the names PM2 uses, and JavaScript only under those', () => {
  const root = workspace({
    'ecosystem.config.js': '', 'ecosystem.prod.config.cjs': '', 'deploy/ecosystem.config.mjs': '', 'pm2.json': '{}', 'process.yml': '',
    'webpack.config.js': '', 'src/app.js': '', 'package.json': '{"name": "x"}', 'apps.json': '{"apps": [{"script": "w.py"}]}',
  });
  const expected: Record<string, boolean> = {
    'ecosystem.config.js': true, 'ecosystem.prod.config.cjs': true, 'deploy/ecosystem.config.mjs': true, 'pm2.json': true,
    'process.yml': true, 'webpack.config.js': false, 'src/app.js': false, 'package.json': false, 'apps.json': true,
  };
  for (const [rel, want] of Object.entries(expected)) assert.equal(isConfigFile(path.join(root, rel)), want, rel);
});

test('uWSGI wsgi-file in a folder of the workspace is named as Python names it (only packages count)', () => {
  const root = workspace({ 'svc/app.py': '', 'pkg/__init__.py': '', 'pkg/wsgi.py': '' });
  const plain = readConfig(root, 'svc/uwsgi.ini', '[uwsgi]\nprocesses = 2\nwsgi-file = app.py\n');
  const packaged = readConfig(root, 'uwsgi.ini', '[uwsgi]\nprocesses = 2\nwsgi-file = pkg/wsgi.py\n');
  assert.deepEqual([plain.starts[0].entryModules, packaged.starts[0].entryModules], [['app'], ['pkg.wsgi']]);
});

test('distributed-training launchers: torchrun, python -m torch.distributed.run/launch, accelerate launch, deepspeed', () => {
  const root = workspace({ 'train.py': '', 'pkg/__init__.py': '', 'pkg/main.py': '', 'accel.yaml': 'compute_environment: LOCAL_MACHINE\nnum_processes: 2\n' });
  const sh = readConfig(root, 'run.sh', [
    '#!/bin/sh',
    'torchrun --standalone --nproc-per-node=4 train.py --log-dir x --epochs 3 &',
    'python -m torch.distributed.launch --nproc_per_node 2 --use_env -m pkg.main &',
    'torchrun --nproc_per_node gpu train.py &',
    'torchrun train.py &',
    'torchrun --no-python --nproc-per-node 4 nvidia-smi &',
    'accelerate launch --config_file accel.yaml train.py &',
    'accelerate launch --num_processes=3 --multi_gpu -m pkg.main &',
    'accelerate config &',
    'deepspeed --num_gpus 8 train.py --deepspeed ds.json &',
    'deepspeed train.py &',
    'wait',
  ].join('\n'));
  const count = (c: ProcessStart['count']) => (c.kind === 'known' ? c.n : `${c.dependsOn} (at least ${c.atLeast})`);
  assert.deepEqual(sh.starts.map((s) => [s.entryModules[0], count(s.count), s.entryRunsAsMain]), [
    ['train', 4, true],
    ['pkg.main', 2, true],
    ['train', 'the number of GPUs (at least 1)', true],
    ['train', 1, true],
    ['train', 2, true],
    ['pkg.main', 3, true],
    ['train', 8, true],
    ['train', 'the number of GPUs (at least 1)', true],
  ]);
});

test('SLURM: .sbatch and .slurm files are shell scripts; srun runs its program --ntasks-per-node times (or -n on one node)', () => {
  const root = workspace({ 'train.py': '' });
  const job = readConfig(root, 'job.sbatch', '#!/bin/bash\n#SBATCH --nodes=1\nsrun --ntasks-per-node=4 python train.py &\nsrun -n 2 -c 4 python train.py &\nsrun -N 2 -n 8 python train.py &\nsrun --ntasks-per-node 1 torchrun --nproc_per_node 4 train.py &\nwait\n');
  assert.deepEqual(job.starts.map((s) => s.count.kind === 'known' ? s.count.n : s.count.dependsOn), [4, 2, 1, 4]);
  assert.ok(isConfigFile('/ws/run.slurm'));
});

/**
 * The config-* fixture projects read by the config front-end alone: every expectation marker
 * that belongs to a config declaration has its HandlerSite on that exact line, every `related`
 * marker is a line the facts point at (a process start, the line that sets its count, a
 * config load), and each near-miss carries the fact that makes it safe.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { FileFacts, HandlerSite, ProcessStart } from '../src/model/facts';
import { readFixtureFacts, readMarkers } from './configFixtureFacts';
import { perProcessReason } from '../src/configs/logPath';

const FIXTURES = path.resolve(__dirname, '../../../test-fixtures/python');
const dirs = fs.existsSync(FIXTURES) ? fs.readdirSync(FIXTURES).filter((d) => d.startsWith('config-')).sort() : [];

const RULE_KINDS: Record<string, HandlerSite['kind'][]> = {
  LF001: ['rotating-size', 'rotating-time'],
  LF002: ['plain-file', 'watched-file'],
};

function rel(dir: string, file: string): string {
  return path.relative(dir, file).replace(/\\/g, '/');
}

test('there are at least 28 config fixtures, 10 of them near-misses', () => {
  assert.ok(dirs.length >= 28, `${dirs.length} config fixtures`);
  assert.ok(dirs.filter((d) => d.startsWith('config-ok-')).length >= 10);
});

for (const name of dirs.filter((d) => !d.startsWith('config-ok-'))) {
  test(`fixture ${name}: markers match the config facts`, async () => {
    const dir = path.join(FIXTURES, name);
    const facts = await readFixtureFacts(dir);
    const markers = readMarkers(dir);
    assert.ok(markers.some((m) => m.kind === 'expect'), 'a finding fixture has an expect marker');
    const handlers = facts.flatMap((f) => f.handlers);
    const starts = facts.flatMap((f) => f.starts);
    assert.ok(starts.length > 0, 'some launcher in the fixture starts processes');
    for (const m of markers.filter((x) => x.kind === 'expect')) {
      const at = handlers.filter((h) => rel(dir, h.span.file) === m.file && h.span.start.line + 1 === m.line);
      if (m.file.endsWith('.py') && at.length === 0) continue; // a handler created by code: the Python front-end's
      assert.equal(at.length, 1, `one config HandlerSite at ${m.file}:${m.line}`);
      assert.ok(RULE_KINDS[m.rule].includes(at[0].kind), `${m.rule} at ${m.file}:${m.line} is a ${at[0].kind}`);
      assert.notEqual(at[0].path?.kind, 'per-process');
    }
    const pointed = new Set<string>();
    const add = (s: { file: string; start: { line: number } } | undefined) => s && pointed.add(`${rel(dir, s.file)}:${s.start.line + 1}`);
    for (const s of starts) {
      add(s.span);
      add(s.count.source);
    }
    for (const l of facts.flatMap((f) => f.configLoads)) add(l.span);
    for (const m of markers.filter((x) => x.kind === 'related')) {
      assert.ok(pointed.has(`${m.file}:${m.line}`), `related ${m.file}:${m.line} is a start, count or load line (have ${[...pointed].join(' ')})`);
    }
    for (const f of facts) assert.deepEqual(f.problems, [], `no problems reading ${rel(dir, f.file)}`);
  });
}

/** What makes each near-miss safe, as facts of the config front-end. */
const NEAR_MISS: Record<string, (facts: FileFacts[], starts: ProcessStart[], handlers: HandlerSite[]) => void> = {
  'config-ok-gunicorn-one-worker': (_f, starts) => {
    assert.ok(starts.length > 0);
    for (const s of starts) assert.deepEqual([s.count, s.parentAlsoRuns ?? false], [{ ...s.count, kind: 'known', n: 1 }, false]);
  },
  'config-ok-gunicorn-threads': (_f, starts) => assert.deepEqual(starts.map((s) => s.count.kind === 'known' && s.count.n), [1]),
  'config-ok-ini-per-process-defaults': (_f, _s, handlers) => assert.deepEqual(handlers.map((h) => h.path?.kind), ['per-process']),
  'config-ok-celery-logfile-per-process': (_f, _s, handlers) => assert.deepEqual(handlers.map((h) => h.path?.kind), ['per-process']),
  'config-ok-celery-solo-pool': (_f, starts) => assert.deepEqual(starts.map((s) => [s.mechanism, s.count.kind === 'known' && s.count.n]), [['celery', 1]]),
  // One process, no master beside it: the --logfile's one writer (processModel.ts onlyChild).
  'config-ok-celery-solo-logfile': (_f, starts, handlers) => {
    assert.deepEqual(starts.map((s) => [s.mechanism, s.count.kind === 'known' && s.count.n, s.parentAlsoRuns ?? false]), [['celery', 1, false]]);
    assert.deepEqual(handlers.map((h) => [h.className, h.path?.kind]), [['celery --logfile', 'literal']]);
  },
  'config-ok-concurrent-rotating-ini': (_f, _s, handlers) => assert.deepEqual(handlers.map((h) => h.kind), ['process-safe-file']),
  'config-ok-socket-handler-yaml': (_f, _s, handlers) => assert.deepEqual(handlers.map((h) => h.kind), ['socket']),
  'config-ok-runserver-noreload': (_f, starts) => assert.deepEqual(starts.map((s) => [s.mechanism, s.count.kind === 'known' && s.count.n]), [['django-runserver', 1]]),
  'config-ok-django-logging-config-none': (facts) => assert.deepEqual(facts.flatMap((f) => f.configLoads), []),
  'config-ok-compose-single-replica': (_f, starts) => assert.deepEqual(starts.map((s) => s.count.kind === 'known' && s.count.n), [1]),
  // One program, nothing else in the file: its one process runs beside no other.
  'config-ok-supervisord-single': (_f, starts) => assert.deepEqual(starts.map((s) => [s.count.kind === 'known' && s.count.n, s.together?.length]), [[1, 1]]),
  // PM2 runs one copy of the worker; the file's other app is Node and starts no Python.
  'config-ok-pm2-single-instance': (_f, starts) => assert.deepEqual(starts.map((s) => [s.entryModules, s.count.kind === 'known' && s.count.n, s.together?.length]), [[['worker'], 1, 1]]),
  // Four copies, each naming its file after the instance number PM2 gives it (the Python front-end's per-process path).
  'config-ok-pm2-per-instance-log': (facts, starts) => {
    assert.deepEqual(starts.map((s) => [s.mechanism, s.count.kind === 'known' && s.count.n, s.instanceVar]), [['pm2', 4, 'NODE_APP_INSTANCE']]);
    const code = fs.readFileSync(facts.find((f) => f.file.endsWith('indexer.py'))!.file, 'utf8');
    assert.match(perProcessReason(code.split('\n').find((l) => l.includes('RotatingFileHandler('))!, 'code') ?? '', /NODE_APP_INSTANCE/);
  },
  // `instance_var` renames the variable PM2 numbers the 3 copies with: a path read from it is per copy (model/writers.ts copyIndexed).
  'config-ok-pm2-instance-var-per-instance': (_f, starts) =>
    assert.deepEqual(starts.map((s) => [s.mechanism, s.count.kind === 'known' && s.count.n, s.instanceVar]), [['pm2', 3, 'INSTANCE_ID']]),
  // Both run at once, but each in its own `directory`: relative paths name two files.
  'config-ok-supervisord-programs-own-directories': (_f, starts) => assertNoSharedRun(starts, 2),
  // supervisord numbers each program's copies, and the name has the program's own name too.
  'config-ok-supervisord-process-num-program-name': (_f, starts) => assert.deepEqual(starts.map((s) => s.launchEnv?.WORKER_LOG),
    ['/var/log/pipeline/ingest-<copy number %d>.log', '/var/log/pipeline/export-<copy number %d>.log']),
  // `release` runs alone before the others (Heroku's release phase).
  'config-ok-procfile-release-then-web': (_f, starts) => assertNoSharedRun(starts, 1),
  // Each step ends (or is waited for) before the next starts: only the waited one is backgrounded.
  'config-ok-shell-programs-in-sequence': (_f, starts) => assertNoSharedRun(starts, 1),
  // The services share the project mount, but the log file is outside it (writers.ts sharedKey).
  'config-ok-compose-project-mount-log-outside': (_f, starts, handlers) => {
    assert.deepEqual(starts.map((s) => s.together?.map((k) => k.replace(/^.*\|mount:/, 'mount:'))), [['mount:.->/code|wd:/code'], ['mount:.->/code|wd:/code']]);
    assert.deepEqual(handlers, []);
  },
  // One host folder mounted in both, but jobs' working directory is not above its mount: its
  // relative log path lands in its own container (writers.ts hostFileKey).
  'config-ok-compose-log-folder-mounted-beside-workdir': (_f, starts) => {
    assert.deepEqual(starts.map((s) => s.together?.map((k) => k.replace(/^.*\|mount:/, 'mount:'))), [['mount:logs->/app/logs|wd:/app'], ['mount:logs->/opt/jobs/logs|wd:/opt/jobs/src']]);
  },
  // The services share only a volume of static files, and the log path (logs/app.log from the
  // Dockerfile's WORKDIR /app) lands outside it: each container writes its own file.
  'config-ok-compose-services-own-containers': (_f, starts) => {
    assert.deepEqual(starts.map((s) => s.together?.map((k) => k.replace(/^.*\|mount:/, 'mount:'))), [['mount:static->/app/static|wd:/app'], ['mount:static->/app/static|wd:/app']]);
  },
  // Replicas without a volume do not multiply: `python app.py` alone is one process, no start.
  'config-ok-compose-replicas-no-volume': (_f, starts) => assert.deepEqual(starts, []),
  // The command line runs one process and no master beside it; the model gives the app's
  // setup_logging receiver that count (processModel.ts countCeleryReceiversByCommandLine).
  'config-ok-celery-solo-setup-logging': (_f, starts) => {
    const commandLines = starts.filter((s) => s.mechanism === 'celery' && s.initializers.length === 0);
    assert.deepEqual(commandLines.map((s) => [s.count.kind === 'known' && s.count.n, s.parentAlsoRuns ?? false]), [[1, false]]);
  },
  'config-ok-toml-never-loaded': (facts, _s, handlers) => {
    assert.equal(handlers.length, 1);
    const loads = facts.flatMap((f) => f.configLoads);
    assert.ok(!loads.some((l) => l.file?.kind === 'literal' && l.file.value.endsWith('logging.toml')));
  },
  // The master opens the access log but serves no requests: the one worker is its one writer.
  'config-ok-gunicorn-access-logfile-one-worker': (_f, starts, handlers) => assertAccessLogWorkersOnly(starts, handlers),
  'config-ok-gunicorn-conf-accesslog-one-worker': (_f, starts, handlers) => assertAccessLogWorkersOnly(starts, handlers),
  // No --preload: each worker imports the app itself (the children are seeded with it, not
  // handed the master's), so the pid in the file name is its own.
  'config-ok-gunicorn-per-pid-path-no-preload': (_f, starts) =>
    assert.deepEqual(starts.map((s) => [s.mechanism, s.count.kind === 'known' && s.count.n, s.entryModules, s.parentAlsoRuns ?? false]), [['gunicorn', 4, ['app'], false]]),
  // post_fork runs in each worker after the fork: a worker initializer, not one the master runs.
  'config-ok-gunicorn-preload-post-fork-one-worker': (_f, starts) =>
    assert.deepEqual(starts.map((s) => [s.count.kind === 'known' && s.count.n, s.parentAlsoRuns, s.initializers.map((i) => i.name), s.parentInitializers]), [[1, true, ['post_fork'], undefined]]),
  // The Procfile's `--processes 1` comes after `--ini uwsgi.ini` and wins; its start stands for
  // the ini's own (4 processes), which the model leaves out (processModel.ts dropSupersededStarts).
  'config-ok-uwsgi-cmdline-one-process': (_f, starts) => {
    const [commandLine] = starts.filter((s) => s.supersedes);
    assert.deepEqual([commandLine.count.kind === 'known' && commandLine.count.n, commandLine.supersedes?.map((f) => path.basename(f))], [1, ['uwsgi.ini']]);
    const own = starts.filter((s) => s !== commandLine);
    assert.deepEqual(own.map((s) => path.basename(s.span.file)), ['uwsgi.ini']);
  },
  // The Procfile's `--workers 1` overrides the config module's `workers = 4`; its start stands for
  // the module's own, whose access log scope it takes over (processModel.ts foldSupersededStarts).
  'config-ok-gunicorn-cmdline-one-worker-over-conf': (_f, starts, handlers) => {
    const [commandLine] = starts.filter((s) => s.supersedes);
    assert.deepEqual([commandLine.count.kind === 'known' && commandLine.count.n, commandLine.supersedes?.map((f) => path.basename(f))], [1, ['gunicorn_conf.py']]);
    const own = starts.filter((s) => s !== commandLine);
    assert.deepEqual(own.map((s) => [path.basename(s.span.file), s.count.kind === 'known' && s.count.n]), [['gunicorn_conf.py', 4]]);
    assert.deepEqual(handlers.map((h) => h.className), ['gunicorn accesslog']);
    assert.deepEqual(own[0].childOnlyScopes, [handlers[0].scope]);
  },
  // `post_fork = hooks.post_fork` is the module's worker hook; the per-pid path it builds is
  // the Python front-end's (one file per worker).
  'config-ok-gunicorn-assigned-hook-per-worker-file': (_f, starts) => {
    const own = starts.filter((s) => !s.supersedes);
    assert.deepEqual(own.map((s) => [s.count.kind === 'known' && s.count.n, s.initializers.map((i) => i.name)]), [[3, ['hooks.post_fork']]]);
  },
  'config-ok-uwsgi-one-process': (_f, starts) => assert.deepEqual(starts.map((s) => [s.count.kind === 'known' && s.count.n, s.parentAlsoRuns ?? false]), [[1, false]]),
  'config-ok-dictconfig-listener-after-start': (facts, _s, handlers) => {
    // The handlers are created at the dictConfig call, which comes after the workers start.
    const load = facts.flatMap((f) => f.configLoads).find((l) => l.kind === 'dictConfig');
    assert.ok(load);
    assert.ok(handlers.length === 2 && handlers.every((h) => h.scope === load.scope));
    const text = fs.readFileSync(load.span.file, 'utf8').split('\n');
    const startLine = text.findIndex((l) => l.includes('wp.start()'));
    assert.ok(load.span.start.line > startLine);
  },
};

/** One worker, and the access log in a scope only the workers run (not the master). */
function assertAccessLogWorkersOnly(starts: ProcessStart[], handlers: HandlerSite[]): void {
  assert.deepEqual(starts.map((s) => s.count.kind === 'known' && s.count.n), [1]);
  assert.deepEqual(handlers.map((h) => /access/.test(h.className)), [true]);
  assert.deepEqual(starts[0].childOnlyScopes, [handlers[0].scope]);
  assert.ok(!starts[0].childScopes?.includes(handlers[0].scope));
}

/** `n` starts, no two of which run together (share a `together` key). */
function assertNoSharedRun(starts: ProcessStart[], n: number): void {
  assert.equal(starts.length, n);
  const keys = starts.flatMap((s) => s.together ?? []);
  assert.equal(new Set(keys).size, keys.length, `shared keys: ${keys.join(' ')}`);
}

for (const name of dirs.filter((d) => d.startsWith('config-ok-'))) {
  test(`near-miss ${name}: no markers, and the fact that makes it safe`, async () => {
    const dir = path.join(FIXTURES, name);
    assert.deepEqual(readMarkers(dir), []);
    const facts = await readFixtureFacts(dir);
    const check = NEAR_MISS[name];
    assert.ok(check, `a near-miss check for ${name}`);
    check(facts, facts.flatMap((f) => f.starts), facts.flatMap((f) => f.handlers));
    for (const f of facts) assert.deepEqual(f.problems, []);
  });
}

/** Variable expansion and count reading shared by every launcher reader. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Environment, substitute } from '../src/configs/env';
import { countFromPython, countFromWord } from '../src/configs/counts';
import { parseShellWords } from '../src/configs/shellWords';
import { literalPath, expressionPath } from '../src/configs/logPath';

test('substitute: known values, inline defaults, unknown variables, single quotes, commands, arithmetic', () => {
  const env = new Environment();
  env.set('A', '3', '.env');
  const s = substitute(`x $A \${A} \${B:-4} \${C-5} $D '$A' "$A" $(nproc) \`hostname\` $((2 * 3 + 1)) $(( $(nproc) * 2 ))`, env);
  assert.equal(s.text, `x 3 3 4 5 @@VAR:D@@ '$A' "3" @@CPU@@ @@CMD@@ 7 @@CPU@@`);
  assert.deepEqual(s.defaultsUsed, [{ name: 'B', value: '4' }, { name: 'C', value: '5' }]);
  assert.deepEqual(s.resolved.map((r) => `${r.name}=${r.value} from ${r.from}`), ['A=3 from .env', 'A=3 from .env', 'A=3 from .env']);
});

test('environments chain: a child sees its parent and can override it', () => {
  const parent = new Environment();
  parent.set('W', '2', 'Dockerfile');
  const child = parent.child();
  child.set('W', '8', 'docker-compose.yml');
  assert.equal(substitute('$W', parent).text, '2');
  assert.equal(substitute('$W', child).text, '8');
});

test('count words and Python count expressions', () => {
  assert.deepEqual(countFromWord('4')?.count, { kind: 'known', n: 4 });
  assert.deepEqual(countFromWord('@@VAR:WEB_CONCURRENCY@@')?.count, { kind: 'unknown', dependsOn: 'WEB_CONCURRENCY' });
  assert.deepEqual(countFromWord('@@CPU@@')?.count, { kind: 'unknown', dependsOn: 'CPU count', atLeast: 2 });
  assert.equal(countFromWord('auto'), undefined);
  assert.deepEqual(countFromPython('int(os.getenv("W", 6))')?.count, { kind: 'known', n: 6 });
  assert.deepEqual(countFromPython("int(os.environ['W'])")?.count, { kind: 'unknown', dependsOn: 'W' });
  assert.deepEqual(countFromPython('multiprocessing.cpu_count() * 2 + 1')?.count, { kind: 'unknown', dependsOn: 'CPU count', atLeast: 3 });
  assert.equal(countFromPython('compute()'), undefined);
});

test('shell words: commands split at operators, redirections dropped, comments end the line', () => {
  const words = parseShellWords('cd /app && exec gunicorn -w 2 app:app > /dev/null 2>&1 | tee x # trailing');
  assert.deepEqual(words.commands, [['cd', '/app'], ['exec', 'gunicorn', '-w', '2', 'app:app'], ['tee', 'x']]);
  assert.equal(parseShellWords('echo "open').unbalancedQuote, true);
  assert.equal(parseShellWords(`echo "it's" 'a "b"'`).unbalancedQuote, false);
});

test('log paths: per-process spellings by context', () => {
  assert.equal(literalPath('logs/w-%I.log', 'celery').kind, 'per-process');
  assert.equal(literalPath('logs/w-%I.log', 'code').kind, 'literal');
  assert.equal(literalPath('app-%(process)d.log', 'config-literal').kind, 'literal');
  assert.equal(expressionPath('f"app-{os.getpid()}.log"', 'code').kind, 'per-process');
  assert.equal(expressionPath("'app-%(process)d.log' % {'process': pid}", 'code').kind, 'per-process');
  assert.deepEqual(expressionPath(' BASE / "a.log" ', 'code'), { kind: 'dynamic', text: 'BASE / "a.log"' });
  assert.equal(literalPath('/var/log/w$$.log', 'shell').kind, 'per-process');
});

/**
 * Process counts as written in settings and command lines: `4`, `${WEB_CONCURRENCY:-4}`,
 * `multiprocessing.cpu_count() * 2 + 1`, `int(os.environ.get("WORKERS", 3))`.
 */
import type { ProcessCount, Span } from '../model/facts';
import { placeholder, placeholderVariable } from './env';

/** A count plus the words that explain where it came from. */
export interface CountReading {
  count: ProcessCount;
  /** e.g. `default of ${WEB_CONCURRENCY:-4}`, `WEB_CONCURRENCY=4 from .env`. */
  note?: string;
}

export const CPU_COUNT = 'CPU count';

export function known(n: number, source?: Span, note?: string): CountReading {
  return { count: source ? { kind: 'known', n, source } : { kind: 'known', n }, note };
}

export function unknown(dependsOn: string, atLeast: number | undefined, source?: Span, note?: string): CountReading {
  const count: ProcessCount = { kind: 'unknown', dependsOn };
  if (atLeast !== undefined) count.atLeast = atLeast;
  if (source) count.source = source;
  return { count, note };
}

/** A word from a (substituted) command line: `4`, `@@VAR:WORKERS@@`, `@@CPU@@`. */
export function countFromWord(word: string, source?: Span): CountReading | undefined {
  const trimmed = word.trim();
  if (/^\d+$/.test(trimmed)) return known(parseInt(trimmed, 10), source);
  const variable = placeholderVariable(trimmed);
  if (variable) return unknown(variable, undefined, source, `set by the environment variable ${variable}, which has no value in the workspace`);
  if (trimmed.includes(placeholder.cpuCount)) return unknown(CPU_COUNT, 2, source, 'computed from the CPU count');
  if (trimmed.includes(placeholder.command)) return unknown(`the output of a command in \`${trimmed}\``, undefined, source);
  return undefined;
}

/**
 * A Python expression for a count (gunicorn.conf.py `workers = ...`, celery
 * `worker_concurrency = ...`), read textually: enough for the spellings people use.
 */
export function countFromPython(expression: string, source?: Span): CountReading | undefined {
  const text = expression.trim();
  if (/^\d+$/.test(text)) return known(parseInt(text, 10), source);
  const env = /(?:os\.)?(?:environ\.get|getenv)\(\s*['"](\w+)['"]\s*(?:,\s*['"]?(\d+)['"]?\s*)?\)/.exec(text) ?? /os\.environ\[\s*['"](\w+)['"]\s*\]/.exec(text);
  if (env) {
    if (env[2] !== undefined) return known(parseInt(env[2], 10), source, `default of ${env[1]} (${env[2]}) when the variable is unset`);
    return unknown(env[1], undefined, source, `set by the environment variable ${env[1]}, which has no value in the workspace`);
  }
  if (/cpu_count\s*\(|sched_getaffinity|nproc/.test(text)) {
    // `cpu_count() * 2 + 1` is at least 3 on one CPU: every such formula gives >= 2 on 2 CPUs.
    const times = /\*\s*(\d+)/.exec(text);
    const plus = /\+\s*(\d+)/.exec(text);
    const atLeast = (times ? parseInt(times[1], 10) : 1) + (plus ? parseInt(plus[1], 10) : 0);
    return unknown(CPU_COUNT, Math.max(atLeast, 1), source, `computed from the CPU count (\`${text}\`)`);
  }
  return undefined;
}

/** n × m processes (compose replicas of a gunicorn with 4 workers). */
export function multiply(a: CountReading, b: CountReading): CountReading {
  const notes = [a.note, b.note].filter(Boolean).join('; ') || undefined;
  if (a.count.kind === 'known' && b.count.kind === 'known') return { count: { kind: 'known', n: a.count.n * b.count.n, source: a.count.source ?? b.count.source }, note: notes };
  const dependsOn = [a.count, b.count].flatMap((c) => (c.kind === 'unknown' ? [c.dependsOn] : [])).join(' and ');
  const least = (c: ProcessCount) => (c.kind === 'known' ? c.n : c.atLeast ?? 1);
  const product = least(a.count) * least(b.count);
  const count: ProcessCount = { kind: 'unknown', dependsOn };
  if (product >= 2) count.atLeast = product;
  const source = a.count.source ?? b.count.source;
  if (source) count.source = source;
  return { count, note: notes };
}

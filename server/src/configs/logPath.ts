/**
 * Turning the text of a log file name into a LogPath: the one place that knows which spellings
 * make a file name different in every process.
 */
import type { LogPath } from '../model/facts';

/** supervisord's `%(process_num)d`, as left in a command line for the shell-word reader. */
export const PROCESS_NUMBER = '@@PNUM@@';

/** Where the name was written: it decides which placeholders are expanded per process. */
export type PathContext =
  /** A string literal in a dict config: logging expands nothing in `filename`. */
  | 'config-literal'
  /** A value in code or a dict config: only code that calls getpid() differs per process. */
  | 'code'
  /** fileConfig `args`: configparser interpolates `%(name)s` from fileConfig(defaults=...). */
  | 'ini-args'
  /** Celery `--logfile`: `%i`/`%I` expand to the pool process index. */
  | 'celery'
  /** supervisord: `%(process_num)d` differs for each of `numprocs` copies. */
  | 'supervisord'
  /** A shell word: `$$` is the pid of the shell that runs the line. */
  | 'shell';

interface PerProcessPattern {
  re: RegExp;
  why: string;
  contexts: PathContext[] | 'all';
  /** An environment variable numbering the copies of one program (0, 1, ...), not the processes. */
  copyIndex?: string;
}

const PER_PROCESS: PerProcessPattern[] = [
  { re: /\bgetpid\s*\(\s*\)/, why: 'contains the process id (os.getpid())', contexts: 'all' },
  { re: /\{\s*pid\s*\}|\{\s*os\.getpid\(\)\s*\}/, why: 'contains the process id ({pid})', contexts: 'all' },
  // In code only when the string is %-formatted: logging never expands %(process)d in a file
  // name, so FileHandler('app-%(process)d.log') is one file literally named so.
  { re: /%\(\s*(process|pid)\s*\)[ds][^'"\n]*['"]\s*%/, why: 'contains the process id (%(process)d)', contexts: ['code'] },
  { re: /%%?\(\s*(process|pid)\s*\)[ds]/, why: 'contains the process id (%(process)d)', contexts: ['ini-args'] },
  { re: /current_process\s*\(\s*\)\s*\.\s*(name|pid|ident)/, why: 'contains the current process name', contexts: ['code'] },
  { re: /%[iI]/, why: 'contains the Celery pool process index (%i / %I)', contexts: ['celery'] },
  { re: /%\(\s*process_num\s*\)|@@PNUM@@/, why: 'contains the supervisord process number (%(process_num)d)', contexts: 'all' },
  { re: /\$\$|\$\{?BASHPID\}?/, why: 'contains the shell process id ($$)', contexts: ['shell'] },
  // A distributed-training rank: different in each process of the job (torchrun, accelerate,
  // deepspeed, torch.multiprocessing.spawn), as written in code: `{rank}`, `{args.local_rank}`,
  // `dist.get_rank()`, `os.environ["RANK"]`, `accelerator.process_index`.
  {
    re: /\{\s*(?:[\w.]+\.)?(?:local_|global_|node_)?rank\s*[}!:]|%\s*\(?\s*(?:[\w.]+\.)?(?:local_|global_)?rank\b|\bstr\(\s*(?:[\w.]+\.)?(?:local_|global_)?rank\s*\)|\.format\([^)]*\brank\b|get_rank\s*\(\s*\)|\benviron(?:\.get)?\s*[\[(]\s*['"](?:LOCAL_|GLOBAL_|NODE_)?RANK['"]|getenv\s*\(\s*['"](?:LOCAL_)?RANK['"]|\.(?:process_index|local_process_index|global_rank|local_rank)\b/,
    why: "contains the process's distributed rank",
    contexts: ['code'],
  },
  // Last, so that any other reason wins: PM2 sets it in each of an app's `instances` (0, 1,
  // ...). Like process_num it tells apart the copies of one program only: two apps importing the
  // same module both have an instance 0 (model/writers.ts `copyIndexed`).
  { re: /NODE_APP_INSTANCE/, why: "contains PM2's instance number (NODE_APP_INSTANCE)", contexts: ['code'], copyIndex: 'NODE_APP_INSTANCE' },
];

/** Why this name is different in every process, and whether only as a copy number; or undefined. */
export function perProcessCause(text: string, context: PathContext): { why: string; copyIndex?: string } | undefined {
  if (context === 'config-literal') return undefined;
  for (const p of PER_PROCESS) {
    if (p.contexts !== 'all' && !p.contexts.includes(context)) continue;
    if (p.re.test(text)) return p.copyIndex ? { why: p.why, copyIndex: p.copyIndex } : { why: p.why };
  }
  return undefined;
}

/** The reason this name is different in every process, or undefined. */
export function perProcessReason(text: string, context: PathContext): string | undefined {
  return perProcessCause(text, context)?.why;
}

/** A per-process path with its cause. */
export function perProcessPath(text: string, cause: { why: string; copyIndex?: string }): LogPath {
  return cause.copyIndex ? { kind: 'per-process', text, why: cause.why, copyIndex: cause.copyIndex } : { kind: 'per-process', text, why: cause.why };
}

/** A name known exactly (a string literal, a folded constant). */
export function literalPath(written: string, context: PathContext): LogPath {
  const value = written.split(PROCESS_NUMBER).join('%(process_num)d');
  const cause = perProcessCause(value, context);
  return cause ? perProcessPath(value, cause) : { kind: 'literal', value };
}

/** A name given by an expression we cannot evaluate; `text` is its source. */
export function expressionPath(text: string, context: PathContext): LogPath {
  const cause = perProcessCause(text, context);
  return cause ? perProcessPath(text, cause) : { kind: 'dynamic', text: text.trim() };
}

/** Standard streams are not files: `-` in gunicorn, /dev/stdout in many configs. */
export function isStreamName(value: string): boolean {
  return value === '-' || /^\/dev\/(stdout|stderr|null|fd\/\d)$/.test(value) || /^\/proc\/self\/fd\/\d$/.test(value);
}

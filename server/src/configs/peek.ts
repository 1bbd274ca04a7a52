/**
 * Small reads of neighbouring files a launcher names: the gunicorn config a command line uses
 * (`-c`, or `gunicorn.conf.py` found in the working directory), the settings module manage.py
 * sets, a Celery app's `worker_concurrency`. Bounded, synchronous, never throwing.
 *
 * The workspace must re-read a launcher when one of these files changes: every file looked at
 * (or only looked for) is noted with `noteNeighbourRead`.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Span } from '../model/facts';
import { LineIndex } from './spans';
import { CountReading, countFromPython } from './counts';
import { pythonStringLiteral } from './pyLiteral';
import { noteNeighbourRead } from './neighbourReads';

const MAX_PEEK_BYTES = 512 * 1024;

export function peekText(file: string): string | undefined {
  noteNeighbourRead(file);
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_PEEK_BYTES) return undefined;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The first of `dirs` where `relative` exists, as an absolute path. */
export function findFile(relative: string, dirs: string[]): string | undefined {
  if (path.isAbsolute(relative)) {
    noteNeighbourRead(relative);
    return fs.existsSync(relative) ? relative : undefined;
  }
  for (const dir of dirs) {
    const candidate = path.resolve(dir, relative);
    noteNeighbourRead(candidate);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** `proj/wsgi.py` → `proj.wsgi`, `pkg/__init__.py` → `pkg`, `src/app.py` → `app`. */
export function moduleNameOfFile(file: string, root: string): string {
  let rel = path.relative(root, file).replace(/\\/g, '/');
  if (rel.startsWith('../')) rel = path.basename(file);
  rel = rel.replace(/^src\//, '').replace(/\.pyw?$/, '').replace(/\/__init__$/, '');
  return rel.split('/').filter(Boolean).join('.');
}

/**
 * The module name a script run as `python dir/script.py` has for the rest of the workspace:
 * Python puts the script's folder on sys.path, so only the packages (folders with
 * `__init__.py`) around it are part of the name, as the workspace names its modules
 * (`backend/worker.py` without `backend/__init__.py` is `worker`).
 */
export function scriptModuleName(file: string, root: string): string {
  const parts = [path.basename(file).replace(/\.pyw?$/, '')];
  let dir = path.dirname(file);
  for (let guard = 0; guard < 50 && path.dirname(dir) !== dir; guard++) {
    const init = path.join(dir, '__init__.py');
    noteNeighbourRead(init);
    if (!fs.existsSync(init)) break;
    parts.unshift(path.basename(dir));
    dir = path.dirname(dir);
  }
  return parts.join('.');
}

/** A module-level `name = value` in Python source: its value text and span. */
export function pythonSetting(text: string, file: string, name: string): { value: string; span: Span } | undefined {
  const re = new RegExp(`^(${name.replace(/\./g, '\\.')})[ \\t]*=(.*)$`, 'gm');
  let last: RegExpExecArray | null = null;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m;
  if (!last) return undefined;
  // A trailing comment: `#` after the value (string literals with `#` are rare in these settings).
  const value = last[2].replace(/\s#.*$/, '').trim();
  if (value === '') return undefined;
  const lines = new LineIndex(file, text);
  return { value, span: lines.lineSpan(lines.position(last.index).line) };
}

export interface GunicornConfPeek {
  file: string;
  workers?: CountReading;
  preload?: boolean;
  logconfig?: string;
  wsgiApp?: string;
}

export function peekGunicornConf(file: string): GunicornConfPeek | undefined {
  const text = peekText(file);
  if (text === undefined) return undefined;
  const result: GunicornConfPeek = { file };
  const workers = pythonSetting(text, file, 'workers');
  if (workers) result.workers = countFromPython(workers.value, workers.span);
  const preload = pythonSetting(text, file, 'preload_app');
  if (preload) result.preload = /^True$/.test(preload.value);
  const logconfig = pythonSetting(text, file, 'logconfig');
  if (logconfig) result.logconfig = pythonStringLiteral(logconfig.value);
  const wsgiApp = pythonSetting(text, file, 'wsgi_app');
  if (wsgiApp) result.wsgiApp = pythonStringLiteral(wsgiApp.value);
  return result;
}

/** `os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")` in manage.py. */
export function peekSettingsModule(managePy: string): string | undefined {
  const text = peekText(managePy);
  if (!text) return undefined;
  return /DJANGO_SETTINGS_MODULE['"]\s*[,\]]\s*=?\s*['"]([\w.]+)['"]/.exec(text)?.[1];
}

/** `worker_concurrency = 4` / `app.conf.worker_concurrency = 4` in the Celery app's modules. */
export function peekCeleryConcurrency(appModule: string, dirs: string[]): CountReading | undefined {
  const base = appModule.replace(/\./g, '/');
  const candidates = [`${base}.py`, `${base}/celery.py`, `${base}/__init__.py`, `${base}/celeryconfig.py`, 'celeryconfig.py'];
  for (const candidate of candidates) {
    const file = findFile(candidate, dirs);
    const text = file ? peekText(file) : undefined;
    if (!file || !text) continue;
    const setting =
      pythonSetting(text, file, 'worker_concurrency') ?? pythonSetting(text, file, 'CELERYD_CONCURRENCY') ?? pythonSetting(text, file, '\\w+\\.conf\\.worker_concurrency');
    if (setting) return countFromPython(setting.value, setting.span);
    const update = /worker_concurrency\s*=\s*(\d+)/.exec(text);
    if (update) {
      const lines = new LineIndex(file, text);
      return countFromPython(update[1], lines.lineSpan(lines.position(update.index).line));
    }
  }
  return undefined;
}

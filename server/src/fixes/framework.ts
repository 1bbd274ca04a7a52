/**
 * Framework strategy: where the framework itself can give each process its own file.
 * Celery's `--logfile` expands `%I` to the pool process index, so every prefork child (and the
 * main process, index 0) appends to a file of its own: `logs/celery.log` → `logs/celery-%I.log`.
 */
import type { HandlerSite } from '../model/facts';
import { LineIndex } from '../model/lineIndex';
import type { FixContext, FixOffer } from './types';

const CELERY_LOGFILE = /(--logfile[= ]|-f )(["']?)([^\s"']+)\2/;

export function frameworkFixes(handler: HandlerSite, ctx: FixContext, rule: string): FixOffer[] {
  if (handler.className !== 'celery --logfile') return [];
  const text = ctx.readText(handler.span.file);
  if (text === undefined) return [];
  const index = new LineIndex(handler.span.file, text);
  const line = handler.span.start.line;
  const m = CELERY_LOGFILE.exec(index.lineText(line));
  if (!m || /%[iI]/.test(m[3])) return [];
  const path = m[3];
  const dot = path.lastIndexOf('.');
  const slash = path.lastIndexOf('/');
  const perProcess = dot > slash ? `${path.slice(0, dot)}-%I${path.slice(dot)}` : `${path}-%I`;
  const start = m.index + m[1].length + m[2].length;
  return [{
    title: `logfunnel (${rule}): One Celery log file per pool process (${perProcess.split('/').pop()})`,
    strategy: 'framework',
    safety: 'unsafe',
    edits: [{ file: handler.span.file, range: { start: { line, character: start }, end: { line, character: start + path.length } }, newText: perProcess }],
    note: 'Celery expands %I to the pool process index, so each process appends to its own file; '
      + 'log shippers and logrotate globs must follow the new names. Rotate them with logrotate using '
      + '`create` and a postrotate that signals the workers to reopen, not `copytruncate`: copytruncate '
      + 'copies the file and then truncates it, and whatever is written between the copy and the truncate is lost.',
  }];
}

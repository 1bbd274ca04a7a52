/** Procfile (Heroku, honcho, foreman): `web: gunicorn -w 4 proj.wsgi`. */
import type { FileFacts } from '../../model/facts';
import type { ConfigContext } from '../context';
import { LineIndex } from '../spans';
import { workspaceEnvironment } from '../env';
import * as path from 'path';
import { readCommandInto, relativeLabel, siteFor } from './common';

export function readProcfile(lines: LineIndex, facts: FileFacts, ctx: ConfigContext): void {
  const env = workspaceEnvironment(ctx.workspaceRoot, path.dirname(lines.file));
  for (let line = 0; line < lines.lineCount; line++) {
    const m = /^\s*([\w.-]+)\s*:\s*(.+)$/.exec(lines.lineText(line));
    if (!m || m[1].startsWith('#')) continue;
    const site = siteFor(lines, line, ctx, env, `${relativeLabel(lines.file, ctx, line)}, process type ${m[1]}`);
    // Every process type runs at once, in the same directory; Heroku's `release` runs alone,
    // before the others start.
    if (m[1] !== 'release') site.together = [`procfile:${lines.file}`];
    readCommandInto(facts, m[2], site);
  }
}

/** What every launcher reader needs: a site for each command line it finds. */
import * as path from 'path';
import { configScope } from '../../model/facts';
import type { FileFacts } from '../../model/facts';
import type { ConfigContext } from '../context';
import { Environment } from '../env';
import { LineIndex } from '../spans';
import { LaunchSite, Multiplier, emitLaunch } from '../launch';
import { analyzeCommand } from '../commandLine';

export function siteFor(lines: LineIndex, line: number, ctx: ConfigContext, env: Environment, label: string, extraDirs: string[] = []): LaunchSite {
  const dir = path.dirname(lines.file);
  return {
    file: lines.file,
    lines,
    line,
    span: lines.lineSpan(line),
    label,
    scope: configScope(lines.file),
    env,
    dirs: [...new Set([...extraDirs, dir, ctx.workspaceRoot])],
    workspaceRoot: ctx.workspaceRoot,
  };
}

export function relativeLabel(file: string, ctx: ConfigContext, line: number): string {
  const rel = path.relative(ctx.workspaceRoot, file).replace(/\\/g, '/');
  return `${rel.startsWith('..') ? path.basename(file) : rel}:${line + 1}`;
}

/**
 * Analyses one command line and writes its launches as facts. `notes`: how the launcher itself
 * computed the line (a default it took), for the description.
 */
export function readCommandInto(facts: FileFacts, command: string | string[], site: LaunchSite, multiplier?: Multiplier, notes: string[] = []): void {
  const analysis = analyzeCommand(command, site);
  facts.problems.push(...analysis.problems);
  for (const launch of analysis.launches) {
    launch.notes.push(...notes);
    emitLaunch(facts, launch, site, multiplier);
  }
}

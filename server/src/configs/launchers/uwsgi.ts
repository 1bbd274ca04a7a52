/** uWSGI config files: `[uwsgi]` in an ini, or a `uwsgi:` map in YAML. */
import * as path from 'path';
import type { FileFacts } from '../../model/facts';
import type { ConfigContext } from '../context';
import { LineIndex } from '../spans';
import type { IniDocument } from '../ini';
import type { PValue } from '../pvalue';
import { uwsgiLaunch } from '../uwsgiSettings';
import { iniSection, resolvePlaceholders, settingsOf, UwsgiSection, withEnvironment, yamlSection } from '../uwsgiOptions';
import { emitLaunch } from '../launch';
import { Environment, workspaceEnvironment } from '../env';
import { relativeLabel, siteFor } from './common';

export function readUwsgiIni(doc: IniDocument, lines: LineIndex, facts: FileFacts, ctx: ConfigContext): void {
  const section = iniSection(doc, lines);
  if (section) emitUwsgi(section, lines, facts, ctx);
}

export function readUwsgiYaml(root: PValue, lines: LineIndex, facts: FileFacts, ctx: ConfigContext): void {
  const section = yamlSection(root, lines.file);
  if (section) emitUwsgi(section, lines, facts, ctx);
}

function emitUwsgi(section: UwsgiSection, lines: LineIndex, facts: FileFacts, ctx: ConfigContext): void {
  const env = new Environment(workspaceEnvironment(ctx.workspaceRoot, path.dirname(lines.file)));
  const settings = settingsOf(resolvePlaceholders(withEnvironment(section.options, env)));
  const launch = uwsgiLaunch(settings, path.dirname(lines.file), ctx.workspaceRoot, `uwsgi ${path.basename(lines.file)}`);
  // The related line is the one that sets the process count (when it is in this file), else
  // the section header.
  const processes = settings.get('processes')?.span;
  const countLine = processes?.file === lines.file ? processes.start.line : section.line;
  const site = siteFor(lines, countLine, ctx, env, relativeLabel(lines.file, ctx, countLine));
  emitLaunch(facts, launch, site);
}

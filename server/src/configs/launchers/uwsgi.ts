/** uWSGI config files: `[uwsgi]` in an ini, or a `uwsgi:` map in YAML. */
import * as path from 'path';
import type { FileFacts } from '../../model/facts';
import type { ConfigContext } from '../context';
import { LineIndex } from '../spans';
import { IniDocument, sectionNamed } from '../ini';
import { PValue, valueOf, scalarText } from '../pvalue';
import { canonicalUwsgiKey, uwsgiLaunch, UwsgiSetting } from '../uwsgiSettings';
import { emitLaunch } from '../launch';
import { Environment, substitute, workspaceEnvironment } from '../env';
import { relativeLabel, siteFor } from './common';

export function readUwsgiIni(doc: IniDocument, lines: LineIndex, facts: FileFacts, ctx: ConfigContext): void {
  const section = sectionNamed(doc, 'uwsgi');
  if (!section) return;
  const env = uwsgiEnvironment(lines, ctx);
  const settings = new Map<string, UwsgiSetting>();
  for (const e of section.entries) settings.set(canonicalUwsgiKey(e.key), { value: expand(e.value, env), span: lines.lineSpan(e.line) });
  emitUwsgi(settings, section.line, lines, facts, ctx, env);
}

export function readUwsgiYaml(root: PValue, lines: LineIndex, facts: FileFacts, ctx: ConfigContext): void {
  const body = valueOf(root, 'uwsgi');
  if (body?.kind !== 'map') return;
  const env = uwsgiEnvironment(lines, ctx);
  const settings = new Map<string, UwsgiSetting>();
  for (const e of body.entries) settings.set(canonicalUwsgiKey(e.key), { value: expand(scalarText(e.value) ?? '', env), span: e.pairSpan });
  emitUwsgi(settings, body.span.start.line, lines, facts, ctx, env);
}

function uwsgiEnvironment(lines: LineIndex, ctx: ConfigContext): Environment {
  return new Environment(workspaceEnvironment(ctx.workspaceRoot, path.dirname(lines.file)));
}

/** uWSGI's `$(VAR)` environment expansion, written like the shell's. */
function expand(value: string, env: Environment): string {
  return substitute(value.replace(/\$\((\w+)\)/g, '${$1}'), env).text;
}

function emitUwsgi(settings: Map<string, UwsgiSetting>, headerLine: number, lines: LineIndex, facts: FileFacts, ctx: ConfigContext, env: Environment): void {
  const launch = uwsgiLaunch(settings, path.dirname(lines.file), ctx.workspaceRoot, `uwsgi ${path.basename(lines.file)}`);
  // The related line is the one that sets the process count, else the section header.
  const countLine = settings.get('processes')?.span.start.line ?? headerLine;
  const site = siteFor(lines, countLine, ctx, env, relativeLabel(lines.file, ctx, countLine));
  emitLaunch(facts, launch, site);
}

/**
 * The config front-end: launchers (gunicorn / uWSGI / Celery command lines wherever they live,
 * runserver) and log configurations (fileConfig ini, dictConfig YAML / JSON / TOML / dicts in
 * code, Django LOGGING) read into the same language-neutral facts as Python code.
 *
 * What each reader understands: docs/configs.md.
 */
import * as path from 'path';
import { emptyFacts } from '../model/facts';
import type { FileFacts } from '../model/facts';
import type { Node } from '../python/parser';
import type { ConfigContext } from './context';
import { ConfigFileKind, configFileKind, kindByName, sniffKind } from './fileKinds';
import { LineIndex } from './spans';
import { parseIni } from './ini';
import { readYamlOrJson } from './structured';
import { readToml } from './toml';
import { isFileConfigIni } from './logconfig/iniLogConfig';
import { looksLikeDictConfig } from './logconfig/dictSchema';
import { readDictLogConfigDocument, readIniLogConfig } from './logconfig/files';
import { readProcfile } from './launchers/procfile';
import { readDockerfile } from './launchers/dockerfile';
import { readCompose } from './launchers/compose';
import { readSystemdUnit } from './launchers/systemd';
import { isSupervisordIni, readSupervisord } from './launchers/supervisord';
import { readMakefile, readShellScript } from './launchers/shell';
import { readUwsgiIni, readUwsgiYaml } from './launchers/uwsgi';
import { isPm2Document, readPm2 } from './launchers/pm2';
import { readJsModule, readJsonish } from './js/jsModule';
import { valueOf } from './pvalue';
import { addPythonConfigFactsTo } from './python/pythonConfig';

export type { ConfigContext } from './context';
export { trackNeighbourReads } from './neighbourReads';

/** Config files larger than this are not read: no real launcher or log config comes close. */
export const MAX_CONFIG_BYTES = 2 * 1024 * 1024;

/** True for files this front-end reads (by name/extension/content sniff on first bytes). */
export function isConfigFile(file: string): boolean {
  return configFileKind(file) !== undefined;
}

/** Reads one non-Python file into facts. Never throws: malformed input -> facts.problems (or ignored). */
export function readConfigFile(file: string, text: string, ctx: ConfigContext): FileFacts {
  const facts = emptyFacts(file, 'config');
  const lines = new LineIndex(file, text.length > MAX_CONFIG_BYTES ? '' : text);
  try {
    if (text.length > MAX_CONFIG_BYTES) {
      facts.problems.push({ span: lines.lineSpan(0), message: `${path.basename(file)} is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MB; not read` });
      return facts;
    }
    if (looksBinary(text)) {
      facts.problems.push({ span: lines.lineSpan(0), message: `${path.basename(file)} looks binary; not read` });
      return facts;
    }
    const byName = kindByName(file);
    const kind = byName ? sniffKind(byName, text.slice(0, 64 * 1024)) : undefined;
    if (kind) readByKind(kind, lines, facts, ctx);
  } catch (e) {
    // A reader bug must not stop the workspace: report it where the user can see it.
    facts.problems.push({ span: lines.lineSpan(0), message: `internal error reading ${path.basename(file)}: ${(e as Error).message}` });
  }
  return facts;
}

function readByKind(kind: ConfigFileKind, lines: LineIndex, facts: FileFacts, ctx: ConfigContext): void {
  switch (kind) {
    case 'procfile':
      return readProcfile(lines, facts, ctx);
    case 'dockerfile':
      return readDockerfile(lines, facts, ctx);
    case 'systemd':
      return readSystemdUnit(lines, facts, ctx);
    case 'makefile':
      return readMakefile(lines, facts, ctx);
    case 'shell':
      return readShellScript(lines, facts, ctx);
    case 'pm2': {
      const document = /\.ya?ml$/.test(lines.file) ? readYamlOrJson(lines) : /\.json$/.test(lines.file) ? readJsonish(lines) : readJsModule(lines);
      facts.problems.push(...document.problems);
      if (document.root) readPm2(document.root, lines, facts, ctx);
      return;
    }
    case 'ini': {
      if (isSupervisordIni(lines.text)) return readSupervisord(lines, facts, ctx);
      const doc = parseIni(lines);
      if (isFileConfigIni(doc)) {
        facts.problems.push(...doc.problems.slice(0, 5));
        readIniLogConfig(doc, lines, facts);
      }
      return readUwsgiIni(doc, lines, facts, ctx);
    }
    case 'compose':
    case 'yaml':
    case 'json':
    case 'toml': {
      const document = kind === 'toml' ? readToml(lines) : readYamlOrJson(lines);
      facts.problems.push(...document.problems);
      const root = document.root;
      if (!root) return;
      if (looksLikeDictConfig(root)) readDictLogConfigDocument(root, lines, facts);
      if (valueOf(root, 'uwsgi')) readUwsgiYaml(root, lines, facts, ctx);
      if (valueOf(root, 'services')) readCompose(root, lines, facts, ctx);
      if (kind !== 'toml' && isPm2Document(root)) readPm2(root, lines, facts, ctx);
      return;
    }
  }
}

function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  if (head.includes('\u0000')) return true;
  let odd = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12)) odd++;
  }
  return head.length > 0 && odd / head.length > 0.1;
}

/** Adds config-ish facts found in a Python file's tree (dictConfig dict literals, Django LOGGING,
 *  DJANGO_SETTINGS_MODULE, gunicorn.conf.py / celeryconfig settings, fileConfig/dictConfig loads of files). */
export function addPythonConfigFacts(root: Node, text: string, facts: FileFacts, ctx: ConfigContext): void {
  try {
    addPythonConfigFactsTo(root, text, facts, ctx);
  } catch (e) {
    facts.problems.push({
      span: { file: facts.file, start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      message: `internal error reading log configuration in ${path.basename(facts.file)}: ${(e as Error).message}`,
    });
  }
}

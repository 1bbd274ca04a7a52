/**
 * Log configuration files: fileConfig ini, and dictConfig documents in YAML / JSON / TOML.
 * Their handlers are created by whoever loads the file: scope `configScope(file)`, which the
 * process model links to each ConfigLoad of the file.
 */
import * as path from 'path';
import { configScope } from '../../model/facts';
import type { FileFacts } from '../../model/facts';
import type { PValue } from '../pvalue';
import type { IniDocument } from '../ini';
import { LineIndex } from '../spans';
import { emitDeclarations } from './declarations';
import { readFileConfigIni } from './iniLogConfig';
import { readDictConfig } from './dictSchema';

export function readIniLogConfig(doc: IniDocument, lines: LineIndex, facts: FileFacts): void {
  const decls = readFileConfigIni(doc, lines);
  const name = path.basename(lines.file);
  emitDeclarations(decls, configScope(lines.file), (h) => `declared in ${name} [handler_${h.name}]`, facts);
}

export function readDictLogConfigDocument(root: PValue, lines: LineIndex, facts: FileFacts): void {
  const decls = readDictConfig(root);
  const name = path.basename(lines.file);
  emitDeclarations(decls, configScope(lines.file), (h) => `declared in ${name} handlers.${h.name}`, facts);
}

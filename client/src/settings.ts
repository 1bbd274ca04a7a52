/**
 * Raw VS Code settings (`logfunnel.*`, flat dotted keys, scoped per resource) → the one typed
 * settings object the server receives (common/settings.ts). The server asks per resource through
 * `workspace/configuration`; the middleware in languageClient.ts answers with this.
 */
import * as vscode from 'vscode';
import { LogfunnelSettings, SETTINGS_SECTION, normalizeSettings } from '../../common/settings';
import { resolveInterpreter } from './pythonInterpreter';

export async function settingsFor(scopeUri: string | undefined): Promise<LogfunnelSettings> {
  const resource = scopeUri ? vscode.Uri.parse(scopeUri) : undefined;
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION, resource);
  const raw = {
    enable: config.get<boolean>('enable'),
    languages: {
      python: { enable: config.get<boolean>('languages.python.enable') },
      javascript: { enable: config.get<boolean>('languages.javascript.enable') },
      typescript: { enable: config.get<boolean>('languages.typescript.enable') },
    },
    rules: config.get<Record<string, string>>('rules'),
    fix: { strategy: config.get<string>('fix.strategy') },
    exclude: config.get<string[]>('exclude'),
    python: { interpreter: await resolveInterpreter(config.get<string>('python.interpreter'), resource) },
    trace: { server: config.get<string>('trace.server') },
  };
  // The same normalisation the server applies to other editors' raw sections: one definition of
  // what a valid value is.
  return normalizeSettings(raw);
}

/**
 * The LanguageClient: starts dist/server.js over Node IPC and answers the server's
 * `workspace/configuration` requests for the `logfunnel` section with typed settings.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { ConfigurationRequest, LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { SETTINGS_SECTION } from '../../common/settings';
import { CLIENT_COMMANDS } from '../../common/protocol';
import { documentSelector } from './documentSelector';
import { settingsFor } from './settings';

export const CLIENT_ID = 'logfunnel';
const CLIENT_NAME = 'logfunnel';

export function createLanguageClient(context: vscode.ExtensionContext, outputChannel: vscode.LogOutputChannel): LanguageClient {
  // The bundle sits beside the client bundle in the packaged extension.
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };

  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    outputChannel,
    // `<id>.trace.server` is read by the library from our `logfunnel.trace.server` setting.
    synchronize: {
      // Tells the server to re-ask for settings when any logfunnel.* setting changes.
      configurationSection: SETTINGS_SECTION,
    },
    diagnosticCollectionName: CLIENT_ID,
    // Commands the server may attach to code actions: vendoring the runtime library through
    // our command copies it quietly instead of opening every created file as a tab.
    // The server keeps a facts cache between sessions in this workspace's storage folder.
    initializationOptions: {
      clientCommands: [CLIENT_COMMANDS.addRuntime],
      cacheDir: context.storageUri ? path.join(context.storageUri.fsPath, 'facts-cache') : undefined,
    },
    markdown: { isTrusted: false, supportHtml: false },
    middleware: {
      workspace: { configuration: answerConfiguration },
    },
  };

  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}

/** Answers our own section with the typed settings object; forwards any other section untouched. */
const answerConfiguration: ConfigurationRequest.MiddlewareSignature = async (params, token, next) => {
  const ours = params.items.map((item) => item.section === SETTINGS_SECTION);
  let forwarded: unknown[] = [];
  if (!ours.every(Boolean)) {
    const answer = await next({ items: params.items.filter((_, i) => !ours[i]) }, token);
    if (answer instanceof Error) return answer;
    forwarded = answer as unknown[];
  }
  let forwardedIndex = 0;
  return Promise.all(params.items.map((item, i) => (ours[i] ? settingsFor(item.scopeUri) : forwarded[forwardedIndex++] ?? null)));
};

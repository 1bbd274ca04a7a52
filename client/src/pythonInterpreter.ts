/**
 * The Python interpreter the user's program runs with, so the server can check whether the
 * `logfunnel` runtime library is importable before a fix imports it.
 *
 * Order: the `logfunnel.python.interpreter` setting when set, else the interpreter selected in the
 * Python extension (ms-python.python) for that resource, else `python3` from PATH.
 * The Python extension's API is read duck-typed: it is optional, and its shape changed over the
 * years (`settings.getExecutionDetails` before `environments.getActiveEnvironmentPath`).
 */
import * as vscode from 'vscode';

const PYTHON_EXTENSION_ID = 'ms-python.python';
export const FALLBACK_INTERPRETER = 'python3';

interface PythonExtensionApi {
  environments?: {
    getActiveEnvironmentPath?(resource?: vscode.Uri): { path?: string } | undefined;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
  settings?: {
    getExecutionDetails?(resource?: vscode.Uri): { execCommand?: string[] } | undefined;
  };
}

// The server waits for our settings answer; a Python extension that is slow to activate must not
// hold the analysis back for longer than this.
const PYTHON_API_TIMEOUT_MS = 5_000;

async function pythonExtensionApi(): Promise<PythonExtensionApi | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION_ID);
  if (!extension) return undefined;
  if (extension.isActive) return extension.exports;
  try {
    const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), PYTHON_API_TIMEOUT_MS));
    return await Promise.race([Promise.resolve(extension.activate()), timeout]);
  } catch {
    return undefined; // a broken Python extension must not break our analysis
  }
}

/** The interpreter the Python extension selected for `resource`, if that extension is installed. */
export async function pythonExtensionInterpreter(resource: vscode.Uri | undefined): Promise<string | undefined> {
  const api = await pythonExtensionApi();
  if (!api) return undefined;
  try {
    const active = api.environments?.getActiveEnvironmentPath?.(resource)?.path;
    if (active) return active;
    const command = api.settings?.getExecutionDetails?.(resource)?.execCommand;
    if (command && command.length > 0) return command.join(' ');
  } catch {
    // fall through to the default
  }
  return undefined;
}

export async function resolveInterpreter(configured: string | undefined, resource: vscode.Uri | undefined): Promise<string> {
  if (configured && configured.trim() !== '') return configured.trim();
  return (await pythonExtensionInterpreter(resource)) ?? FALLBACK_INTERPRETER;
}

/** Fires when the Python extension's selection changes (no-op when it is not installed). */
export async function onPythonInterpreterChange(listener: () => void): Promise<vscode.Disposable | undefined> {
  const api = await pythonExtensionApi();
  return api?.environments?.onDidChangeActiveEnvironmentPath?.(() => listener());
}

/**
 * "logfunnel: Add the Runtime Library to the Workspace".
 *
 * The fixes import `logfunnel` (the funnel handlers, the log server). The extension ships the
 * stdlib-only Python package in `runtime/python/logfunnel`; this command makes it importable
 * either by copying it into the workspace folder (works with any interpreter, is committed with
 * the project) or by `pip install`ing it into the workspace's interpreter. It always says which.
 */
import * as fs from 'fs';
import * as path from 'path';
import { execFile } from 'child_process';
import * as vscode from 'vscode';
import { AddRuntimeArgs } from '../../../common/protocol';
import { settingsFor } from '../settings';

type Method = NonNullable<AddRuntimeArgs['method']>;

async function pickFolder(args: AddRuntimeArgs | undefined): Promise<vscode.WorkspaceFolder | undefined> {
  if (args?.folderUri) {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(args.folderUri));
    if (folder) return folder;
  }
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: 'Add the logfunnel runtime library to which folder?' });
}

async function pickMethod(interpreter: string, folder: vscode.WorkspaceFolder): Promise<Method | undefined> {
  const choice = await vscode.window.showQuickPick(
    [
      { label: 'Copy the package into the workspace', description: `${folder.name}/logfunnel/`, detail: 'Standard library only; commit it with your code.', method: 'vendor' as const },
      { label: 'pip install into the interpreter', description: interpreter, detail: `Runs: ${interpreter} -m pip install <bundled package>`, method: 'pip' as const },
    ],
    { placeHolder: 'How should logfunnel be made importable?' },
  );
  return choice?.method;
}

function copyTree(from: string, to: string): number {
  let copied = 0;
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.name === '__pycache__') continue;
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copied += copyTree(source, target);
    else if (entry.isFile()) {
      fs.copyFileSync(source, target);
      copied++;
    }
  }
  return copied;
}

function run(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: 5 * 60_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}${error && typeof error.code !== 'number' ? error.message : ''}` });
    });
  });
}

export async function addRuntime(context: vscode.ExtensionContext, output: vscode.OutputChannel, args?: AddRuntimeArgs): Promise<void> {
  const packageRoot = context.asAbsolutePath(path.join('runtime', 'python'));
  const packageDir = path.join(packageRoot, 'logfunnel');
  if (!fs.existsSync(packageDir)) {
    void vscode.window.showErrorMessage(`logfunnel: the bundled runtime library is missing (${packageDir}). Reinstall the extension.`);
    return;
  }
  const folder = await pickFolder(args);
  if (!folder || folder.uri.scheme !== 'file') {
    void vscode.window.showErrorMessage('logfunnel: open a folder on disk first; the runtime library is added to a workspace folder.');
    return;
  }
  const { python } = await settingsFor(folder.uri.toString());
  const method = args?.method ?? (await pickMethod(python.interpreter, folder));
  if (!method) return;

  if (method === 'vendor') {
    const target = path.join(folder.uri.fsPath, 'logfunnel');
    if (fs.existsSync(target) && !fs.existsSync(path.join(target, '__init__.py'))) {
      void vscode.window.showErrorMessage(`logfunnel: ${target} exists and is not the logfunnel package; nothing copied.`);
      return;
    }
    const files = copyTree(packageDir, target);
    output.appendLine(`addRuntime: copied ${files} files from ${packageDir} to ${target}`);
    void vscode.window.showInformationMessage(`logfunnel: copied the runtime library into ${vscode.workspace.asRelativePath(target)}/ (${files} files). "import logfunnel" now works from the folder root.`);
    return;
  }

  if (!vscode.workspace.isTrusted) {
    // pip runs the interpreter (and the package's build backend): not in Restricted Mode.
    void vscode.window.showErrorMessage('logfunnel: pip install runs a Python interpreter, which Restricted Mode does not allow. Trust the folder, or copy the package into the workspace instead.');
    return;
  }
  // Prefer a wheel built into the extension; else install from the package source folder.
  const wheelDir = path.join(packageRoot, 'dist');
  const wheel = fs.existsSync(wheelDir) ? fs.readdirSync(wheelDir).find((f) => f.endsWith('.whl')) : undefined;
  const buildable = ['pyproject.toml', 'setup.py'].some((f) => fs.existsSync(path.join(packageRoot, f)));
  if (!wheel && !buildable) {
    void vscode.window.showErrorMessage('logfunnel: this build of the extension has no installable runtime package (no wheel, no pyproject.toml); copy it into the workspace instead.');
    return;
  }
  const installable = wheel ? path.join(wheelDir, wheel) : packageRoot;
  const [command, ...prefix] = python.interpreter.split(' ');
  const pipArgs = [...prefix, '-m', 'pip', 'install', '--no-input', installable];
  output.appendLine(`addRuntime: ${command} ${pipArgs.join(' ')}`);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `logfunnel: pip install into ${python.interpreter}` },
    () => run(command, pipArgs, folder.uri.fsPath),
  );
  output.appendLine(result.output);
  if (result.code === 0) {
    void vscode.window.showInformationMessage(`logfunnel: installed the runtime library into ${python.interpreter} with pip.`);
  } else {
    output.show(true);
    void vscode.window.showErrorMessage(`logfunnel: pip install into ${python.interpreter} failed (exit ${result.code}); see the logfunnel output. You can copy the package into the workspace instead.`);
  }
}

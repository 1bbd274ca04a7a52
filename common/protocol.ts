/**
 * logfunnel's own messages on top of LSP, shared by the VS Code client and the language server.
 *
 * Plain method names and parameter types only: the client (vscode-languageclient 11) and the
 * server (vscode-languageserver 10) each bring their own copy of vscode-languageserver-protocol,
 * so a shared `RequestType` object would tie them to one version. Both sides write
 * `sendRequest<Result>(ProcessModelRequest.method, params)` instead.
 *
 * Positions follow LSP: 0-based lines and UTF-16 characters.
 */

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

// ---------------------------------------------------------------------------------------------
// Diagnostics and code actions: names both sides must agree on.

/** `Diagnostic.source` of every finding; the client filters the Problems list by it. */
export const DIAGNOSTIC_SOURCE = 'logfunnel';

/** Code-action kind of the "apply every safe fix in this file" action (`source.fixAll` + ours). */
export const FIX_ALL_KIND = 'source.fixAll.logfunnel';

/**
 * Client-side commands the server may put in a code action's `command` (the client registers
 * them; another editor can ignore them).
 *
 * `logfunnel.addRuntime` takes one optional argument, {@link AddRuntimeArgs}: a fix that imports
 * `logfunnel` offers it when the runtime library is not importable from the workspace's
 * interpreter.
 */
export const CLIENT_COMMANDS = {
  fixAll: 'logfunnel.fixAll',
  addRuntime: 'logfunnel.addRuntime',
  showProcessModel: 'logfunnel.showProcessModel',
  restartServer: 'logfunnel.restartServer',
} as const;

export interface AddRuntimeArgs {
  /** Workspace folder to add the runtime library to; the client asks when absent. */
  folderUri?: string;
  /** `vendor` copies the package into the folder, `pip` installs it into the interpreter. */
  method?: 'vendor' | 'pip';
}

// ---------------------------------------------------------------------------------------------
// logfunnel/processModel — "which processes run this file's code, and why?"

export interface ProcessModelParams {
  /** The file the user is looking at. */
  uri: string;
}

/**
 * One line of the explanation tree. Example for a Pool worker module:
 *
 *   main process (python main.py)            detail: "fork on Linux ≤3.13, spawn on macOS"
 *   ├─ Pool(4) worker × 4                     uri/range: the `Pool(4)` call
 *   │  └─ runs work() — via pool.map(work,…)  uri/range: the map call
 *   └─ log file app.log                       detail: "RotatingFileHandler, written by 5 processes"
 */
export interface ProcessModelNode {
  /** Short text: a process, a function it runs, a handler, a log file. */
  label: string;
  /** Secondary text: the reason, the start method, a count. */
  detail?: string;
  /** What kind of thing the node is; the client picks an icon from it. */
  kind?: 'process' | 'function' | 'module' | 'handler' | 'file' | 'finding' | 'note';
  /** Where the evidence is; clicking the node opens it. */
  uri?: string;
  range?: Range;
  children: ProcessModelNode[];
}

export interface ProcessModelResult {
  /** The file asked about. */
  uri: string;
  /** Top-level nodes, usually one per process kind. Empty when the file runs in one process only. */
  roots: ProcessModelNode[];
}

export const ProcessModelRequest = {
  method: 'logfunnel/processModel',
} as const;

// ---------------------------------------------------------------------------------------------
// logfunnel/status — server → client, drives the status-bar item.

export interface StatusParams {
  state: 'analyzing' | 'idle';
  /** Files in the current model (analysed so far while analyzing). */
  files: number;
  /** Findings currently published over the whole workspace (all severities). */
  findings: number;
  /** Progress of the current scan, when known. */
  done?: number;
  total?: number;
}

export const StatusNotification = {
  method: 'logfunnel/status',
} as const;

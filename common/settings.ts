/**
 * The settings the language server receives, per resource, when it asks the client for the
 * `logfunnel` section through `workspace/configuration`.
 *
 * The VS Code client converts the raw `logfunnel.*` settings into this shape (see
 * client/src/settings.ts); other editors (Neovim, Helix...) send the raw section, so the server
 * must pass whatever it receives through `normalizeSettings` and never trust the shape.
 * Like vscode-eslint: the server keeps no settings in globals, it asks per resource.
 */

/** The configuration section both sides use. */
export const SETTINGS_SECTION = 'logfunnel';

/** Languages the analysis has a front-end for. */
export type LanguageId = 'python' | 'javascript' | 'typescript';
export const LANGUAGE_IDS: readonly LanguageId[] = ['python', 'javascript', 'typescript'];

/** A user's override of a rule's severity. `off` silences the rule. */
export type RuleSeverity = 'error' | 'warning' | 'information' | 'hint' | 'off';
export const RULE_SEVERITIES: readonly RuleSeverity[] = ['error', 'warning', 'information', 'hint', 'off'];

/**
 * Which rewrite the user prefers when several fix a finding. The preferred one is listed first
 * among the quick fixes and is the one fix-all applies (when it is safe).
 *  - funnel:    switch to the runtime library's drop-in handler (`logfunnel.RotatingFileHandler`).
 *  - queue:     stdlib QueueHandler in the workers + QueueListener in the parent.
 *  - server:    SocketHandler to `python -m logfunnel.server`.
 *  - locking:   `logfunnel.LockingRotatingFileHandler` (shared network file systems).
 *  - framework: the framework's own way (Celery `%I`, WatchedFileHandler + logrotate).
 */
export type FixStrategy = 'funnel' | 'queue' | 'server' | 'locking' | 'framework';
export const FIX_STRATEGIES: readonly FixStrategy[] = ['funnel', 'queue', 'server', 'locking', 'framework'];

/** How much of the JSON-RPC traffic the client logs (VS Code's standard `trace.server`). */
export type TraceLevel = 'off' | 'messages' | 'verbose';
export const TRACE_LEVELS: readonly TraceLevel[] = ['off', 'messages', 'verbose'];

export interface LogfunnelSettings {
  /** Master switch: false → no diagnostics, no code actions for this resource. */
  enable: boolean;
  /** Per-language switch; a language that is off is neither analysed nor reported. */
  languages: Record<LanguageId, { enable: boolean }>;
  /** Severity overrides by rule code (`LF001` ...); rules not listed keep their own severity. */
  rules: Record<string, RuleSeverity>;
  fix: {
    /** Preferred strategy; the others are still offered as quick fixes. */
    strategy: FixStrategy;
  };
  /** Extra glob patterns (relative to the workspace folder) to leave out of the analysis. */
  exclude: string[];
  python: {
    /**
     * The interpreter the user's program runs with, used to check whether the `logfunnel`
     * runtime library is importable before a fix imports it. The VS Code client fills it from
     * the Python extension's selection when present; `python3` otherwise.
     */
    interpreter: string;
  };
  trace: { server: TraceLevel };
}

export const DEFAULT_SETTINGS: LogfunnelSettings = {
  enable: true,
  languages: {
    python: { enable: true },
    javascript: { enable: true },
    typescript: { enable: true },
  },
  rules: {},
  fix: { strategy: 'funnel' },
  exclude: [],
  python: { interpreter: 'python3' },
  trace: { server: 'off' },
};

/** A rule code as the settings accept it: `LF` and three digits. */
export const RULE_CODE_PATTERN = /^LF\d{3}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pick<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

/**
 * Turns whatever a client sent for the `logfunnel` section (the typed object from the VS Code
 * client, the raw nested section from another editor, `null` when the client has none) into
 * complete settings. Unknown keys and values of the wrong type fall back to the defaults, so a
 * typo in a user's settings file never breaks the analysis.
 */
export function normalizeSettings(raw: unknown): LogfunnelSettings {
  const d = DEFAULT_SETTINGS;
  if (!isRecord(raw)) return structuredClone(d);

  const languagesRaw = isRecord(raw.languages) ? raw.languages : {};
  const languages = {} as LogfunnelSettings['languages'];
  for (const id of LANGUAGE_IDS) {
    const entry = languagesRaw[id];
    languages[id] = { enable: bool(isRecord(entry) ? entry.enable : undefined, d.languages[id].enable) };
  }

  const rules: Record<string, RuleSeverity> = {};
  if (isRecord(raw.rules)) {
    for (const [code, severity] of Object.entries(raw.rules)) {
      const upper = code.toUpperCase();
      if (RULE_CODE_PATTERN.test(upper) && typeof severity === 'string' && (RULE_SEVERITIES as readonly string[]).includes(severity)) {
        rules[upper] = severity as RuleSeverity;
      }
    }
  }

  const fix = isRecord(raw.fix) ? raw.fix : {};
  const python = isRecord(raw.python) ? raw.python : {};
  const trace = isRecord(raw.trace) ? raw.trace : {};
  const interpreter = typeof python.interpreter === 'string' && python.interpreter.trim() !== '' ? python.interpreter.trim() : d.python.interpreter;

  return {
    enable: bool(raw.enable, d.enable),
    languages,
    rules,
    fix: { strategy: pick(fix.strategy, FIX_STRATEGIES, d.fix.strategy) },
    exclude: Array.isArray(raw.exclude) ? raw.exclude.filter((g): g is string => typeof g === 'string' && g !== '') : [],
    python: { interpreter },
    trace: { server: pick(trace.server, TRACE_LEVELS, d.trace.server) },
  };
}

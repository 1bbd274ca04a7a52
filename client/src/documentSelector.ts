/**
 * Which documents the language server sees. Code in the three languages the analysis has a
 * front-end for, plus the files that decide how many processes run that code (gunicorn/uWSGI/
 * Celery settings, Procfile, Dockerfile, compose, systemd units, supervisord, shell scripts,
 * Makefiles, PM2 files) and the log configurations (fileConfig .ini, dictConfig YAML/JSON/TOML).
 *
 * Files only: the server reads the rest of the workspace from disk, so a virtual file system
 * (github.dev, vscode.dev) would give it nothing to read (see `virtualWorkspaces` in the manifest).
 */
import type { DocumentFilter } from 'vscode-languageclient/node';

/** Languages analysed as code, per VS Code language id. */
export const CODE_LANGUAGES = ['python', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact'] as const;

/** File-name patterns of the configuration files the analysis reads. */
export const CONFIG_FILE_PATTERNS = [
  '**/*.{ini,cfg,conf,toml,yaml,yml,json}',
  '**/{Procfile,Procfile.*,Dockerfile,Dockerfile.*,*.Dockerfile,Containerfile,Makefile,makefile,GNUmakefile}',
  '**/*.{service,socket,sh,bash}',
  '**/{gunicorn.conf.py,gunicorn_config.py,uwsgi.ini,uwsgi.yaml,celeryconfig.py}',
  '**/{ecosystem,pm2}*.{js,cjs,mjs}',
] as const;

export function documentSelector(): DocumentFilter[] {
  const code: DocumentFilter[] = CODE_LANGUAGES.map((language) => ({ scheme: 'file', language }));
  // An unsaved Python buffer can still be analysed on its own (a pasted snippet from a blog post).
  const untitled: DocumentFilter = { scheme: 'untitled', language: 'python' };
  const configs: DocumentFilter[] = CONFIG_FILE_PATTERNS.map((pattern) => ({ scheme: 'file', pattern }));
  return [...code, untitled, ...configs];
}

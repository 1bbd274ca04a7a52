// End-to-end test in a real VS Code workbench (code-server 4.100.3 = VS Code 1.100.3, driven in
// headless Chromium by playwright-core), as a user meets the extension: package the .vsix,
// install it into a fresh extensions dir, open a copy of e2e/workspace-template/ and assert
// through the UI only.
//
// The fixture: main.py creates a RotatingFileHandler at module level (line 6) that the four
// `multiprocessing.Pool` workers inherit under fork → LF001 on line 6. jobs.py does the same with
// a TimedRotatingFileHandler and a ProcessPoolExecutor → LF001 on line 6.
//
// Screenshots for the README go to images/screenshots/.
// The quick-fix and fix-all parts run when the bundled server advertises code actions (issue 5);
// otherwise they are reported as skipped with the reason.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, installCodeServer, installExtension, packageExtension, root, startCodeServer, writeUserSettings } from './code-server.mjs';
import { startStdioServer } from './lsp-stdio.mjs';

const TEMPLATE = path.join(root, 'e2e', 'workspace-template');
// Screenshots refresh the README's images only when asked (LOGFUNNEL_E2E_SCREENSHOTS=readme);
// otherwise they go to a scratch folder, so a test run leaves the working tree untouched.
const SCREENSHOTS = process.env.LOGFUNNEL_E2E_SCREENSHOTS === 'readme'
  ? path.join(root, 'images', 'screenshots')
  : mkdtempSync(path.join(tmpdir(), 'logfunnel-e2e-shots-'));
const HANDLER_LINE = 6; // 1-based, in both fixture files
const ORIGINAL_HANDLER_LINE = 'handler = logging.handlers.RotatingFileHandler("app.log", maxBytes=1_000_000)';
const UI_TIMEOUT = 60_000; // first analysis includes starting the extension host and the server

// Settings that make typing deterministic (no auto-closing quotes, no suggestions eating Enter)
// and keep notifications and tips out of the screenshots.
const EDITOR_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.ignoreRecommendations': true,
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'editor.autoIndent': 'none',
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false,
  'editor.hover.delay': 200,
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'telemetry.telemetryLevel': 'off',
  'window.commandCenter': false,
};

let entry;
let vsix;
let serverCapabilities;
const tempDirs = [];
const running = new Set();

function stopAll() {
  for (const server of running) server.stop();
  running.clear();
}
// If the test process dies on an assertion in a hook, still never leave code-server behind.
process.on('exit', stopAll);

/** The extension's folder inside an extensions dir after `--install-extension`. */
function installedExtensionDir(extensionsDir) {
  const name = readdirSync(extensionsDir).find((n) => n.startsWith('logfunnel.logfunnel-'));
  assert.ok(name, `the .vsix is installed in ${extensionsDir}`);
  return path.join(extensionsDir, name);
}

/**
 * Asks the installed server (the bundle from the .vsix) what it advertises, to decide which UI
 * parts can be checked.
 */
async function probeServerCapabilities(extensionsDir) {
  const folder = mkdtempSync(path.join(tmpdir(), 'logfunnel-probe-'));
  tempDirs.push(folder);
  const server = startStdioServer(process.execPath, [path.join(installedExtensionDir(extensionsDir), 'dist', 'server.js'), '--stdio'], { cwd: folder });
  try {
    const uri = pathToFileURL(folder).href;
    const init = await server.request('initialize', { processId: process.pid, rootUri: uri, workspaceFolders: [{ uri, name: 'probe' }], capabilities: {} });
    await server.shutdown();
    return init.capabilities;
  } finally {
    server.child.kill();
  }
}

function codeActionKinds(capabilities) {
  const provider = capabilities.codeActionProvider;
  if (!provider) return [];
  return provider === true ? ['quickfix'] : provider.codeActionKinds ?? ['quickfix'];
}

/** A fresh user-data dir, extensions dir and copy of the fixture workspace. */
function freshSession(userSettings) {
  const base = mkdtempSync(path.join(tmpdir(), 'logfunnel-e2e-'));
  tempDirs.push(base);
  const dirs = { extensionsDir: path.join(base, 'extensions'), userDataDir: path.join(base, 'user-data'), folder: path.join(base, 'workspace') };
  cpSync(TEMPLATE, dirs.folder, { recursive: true });
  installExtension(entry, dirs, vsix);
  writeUserSettings(dirs.userDataDir, { ...EDITOR_SETTINGS, ...userSettings });
  return { ...dirs, logFile: path.join(base, 'code-server.log') };
}

async function openWorkbench(session) {
  const server = await startCodeServer(entry, session);
  running.add(server);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(session.folder)}`);
  await page.waitForSelector('div.monaco-workbench', { timeout: UI_TIMEOUT });
  return {
    server,
    browser,
    page,
    async close() {
      await browser.close().catch(() => {});
      server.stop();
      running.delete(server);
    },
  };
}

async function openFile(page, name) {
  await page.getByRole('treeitem', { name }).first().click();
  await page.locator('.tab.active', { hasText: name }).waitFor({ timeout: UI_TIMEOUT });
}

const squiggles = (page) => page.locator('.monaco-editor .squiggly-warning');
const statusItem = (page) => page.locator('.statusbar-item[aria-label^="logfunnel "]');

/**
 * The editor line an element (a squiggle) is drawn on: Monaco positions the line's text, its
 * line number in the gutter and its decorations at the same top, so match them by y.
 * Returns the 1-based line number and the line's text.
 */
async function editorLineOf(page, locator) {
  // Monaco re-renders decorations as diagnostics arrive (a squiggle can be replaced by an equal
  // one between finding it and measuring it): measure again until one holds still.
  const deadline = Date.now() + UI_TIMEOUT;
  for (;;) {
    try {
      return await editorLineOfOnce(page, locator);
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await page.waitForTimeout(100);
    }
  }
}

async function editorLineOfOnce(page, locator) {
  const box = await locator.boundingBox();
  if (!box) throw new Error('the element is not rendered (re-drawn meanwhile)');
  const near = async (selector) => {
    const elements = page.locator(selector);
    const count = await elements.count();
    for (let i = 0; i < count; i++) {
      const other = await elements.nth(i).boundingBox();
      if (other && Math.abs(other.y - box.y) < other.height / 2) return (await elements.nth(i).textContent()).replace(/\u00a0/g, ' ');
    }
    throw new Error(`nothing matching ${selector} at y=${box.y}`);
  };
  return { number: Number(await near('.monaco-editor .margin-view-overlays .line-numbers')), text: await near('.monaco-editor .view-lines .view-line') };
}

async function waitForStatusCount(page, count) {
  await statusItem(page).filter({ hasText: new RegExp(`logfunnel: ${count}$`) }).waitFor({ timeout: UI_TIMEOUT });
}

async function goToLine(page, line) {
  await page.keyboard.press('Control+g');
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
}

async function replaceCurrentLine(page, text) {
  await page.keyboard.press('Home');
  await page.keyboard.press('Home'); // first Home goes to the first non-blank, second to column 1
  await page.keyboard.press('Shift+End');
  await page.keyboard.type(text);
}

async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  // Enter runs the focused row: wait until the filter has put our command there.
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).waitFor();
  await page.keyboard.press('Enter');
  // The palette closes, or the command reuses the widget for its own question: either way the
  // command palette's input is gone.
  await page.locator('.quick-input-widget input[aria-label="Type the name of a command to run."]').waitFor({ state: 'hidden' });
}

/**
 * Ctrl+. at the cursor until the Quick Fix menu lists actions. A retry is needed when the key
 * lands while the server re-analyses (after a restart or an edit): the diagnostic VS Code holds
 * still carries the previous analysis' fix id, which the server no longer answers.
 */
async function openQuickFixMenu(page) {
  const options = page.locator('.action-widget [role="option"]');
  const none = page.locator('.monaco-editor-overlaymessage', { hasText: 'No code actions available' });
  const deadline = Date.now() + UI_TIMEOUT;
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+.');
    await options.first().or(none).first().waitFor({ timeout: UI_TIMEOUT });
    if (await options.count()) {
      if (attempt > 1) console.log(`Quick Fix menu listed actions at attempt ${attempt}`);
      return options;
    }
    if (Date.now() > deadline) throw new Error('the Quick Fix menu kept saying "No code actions available"');
    await page.keyboard.press('Escape');
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Moves the Quick Fix menu's focus to the action titled `title` and applies it (Enter). */
async function chooseAction(page, title) {
  for (let i = 0; i < 20; i++) {
    const focused = await page.locator('.action-widget .monaco-list-row.focused').getAttribute('aria-label');
    if (focused === title) {
      await page.keyboard.press('Enter');
      return;
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no action titled ${title}`);
}

/** Waits until the file on disk differs from `before` (the workbench saves asynchronously). */
async function waitForFileChange(file, before, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = readFileSync(file, 'utf8');
    if (now !== before || Date.now() > deadline) return now;
    await new Promise((r) => setTimeout(r, 200));
  }
}

// The page of the workbench under test, for the failure screenshot.
let activePage;

/** A UI test: on failure, saves a screenshot of the workbench (outside the repo) and says where. */
function uiTest(name, fn) {
  test(name, async (t) => {
    try {
      await fn(t);
    } catch (error) {
      const file = path.join(tmpdir(), `logfunnel-e2e-failure-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`);
      await activePage?.screenshot({ path: file }).catch(() => {});
      console.log(`workbench at the failure: ${file}`);
      throw error;
    }
  });
}

async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, name) });
}

before(async () => {
  entry = installCodeServer();
  // LOGFUNNEL_E2E_VSIX: test an already packaged .vsix (CI can package once and test the artifact).
  vsix = process.env.LOGFUNNEL_E2E_VSIX ? path.resolve(process.env.LOGFUNNEL_E2E_VSIX) : packageExtension();
  const probeDirs = { extensionsDir: mkdtempSync(path.join(tmpdir(), 'logfunnel-ext-')), userDataDir: mkdtempSync(path.join(tmpdir(), 'logfunnel-ud-')) };
  tempDirs.push(probeDirs.extensionsDir, probeDirs.userDataDir);
  installExtension(entry, probeDirs, vsix);
  serverCapabilities = await probeServerCapabilities(probeDirs.extensionsDir);
  console.log(`server advertises code action kinds: ${JSON.stringify(codeActionKinds(serverCapabilities))}`);
});

after(() => {
  stopAll();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('in a trusted workspace', { timeout: 8 * 60_000 }, () => {
  let workbench;
  let session;
  let page;

  before(async () => {
    session = freshSession({ 'security.workspace.trust.enabled': false });
    workbench = await openWorkbench(session);
    page = workbench.page;
    activePage = page;
    await openFile(page, 'main.py');
  });
  after(async () => {
    await workbench?.close();
  });

  uiTest('the warning squiggle sits on the handler line', async () => {
    await squiggles(page).first().waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await squiggles(page).count(), 1, 'one squiggle in main.py');
    const line = await editorLineOf(page, squiggles(page).first());
    assert.deepEqual(line, { number: HANDLER_LINE, text: ORIGINAL_HANDLER_LINE });
  });

  uiTest('the status bar counts the workspace findings', async () => {
    // main.py and jobs.py each have one LF001; the server analyses the whole workspace.
    await waitForStatusCount(page, 2);
  });

  uiTest('the Problems panel lists LF001 for both files, at line 6, with the evidence chain', async () => {
    await page.keyboard.press('Control+Shift+M');
    const rows = page.locator('.markers-panel .monaco-list-row', { hasText: 'LF001' });
    await rows.nth(1).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await rows.count(), 2, 'one LF001 row per fixture file');
    const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    const rowFor = (logFile) => {
      const matching = labels.filter((l) => l.includes(logFile));
      assert.equal(matching.length, 1, `one row about ${logFile}: ${JSON.stringify(labels)}`);
      return matching[0];
    };
    for (const label of [rowFor("'app.log'"), rowFor("'jobs.log'")]) {
      assert.match(label, /^Warning: /, label);
      assert.match(label, new RegExp(`at line ${HANDLER_LINE} and character \\d+\\.`), label);
      // relatedInformation: the spawn site and where the work is handed to the workers.
      assert.match(label, /This problem has references to \d+ locations\./, label);
      assert.match(label, /generated by logfunnel$/, label);
    }
    await screenshot(page, 'problems.png');
  });

  uiTest('hovering the squiggle shows the rule, its message and source', async () => {
    await page.keyboard.press('Control+Shift+M'); // hide the panel again
    const box = await squiggles(page).first().boundingBox();
    await page.mouse.move(box.x + 40, box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(box.x + 60, box.y + box.height / 2, { steps: 4 });
    const hover = page.locator('.monaco-hover-content', { hasText: 'LF001' });
    await hover.waitFor({ timeout: UI_TIMEOUT });
    const text = await hover.textContent();
    assert.match(text, /logfunnel\s*\(?LF001\)?/, text); // "logfunnel(LF001)", or a link to the rule page
    assert.match(text, /'app\.log'/, text);
    assert.match(text, /multiprocessing\.Pool\(4\)/, 'the evidence chain names the spawn site');
    await screenshot(page, 'hover.png');
    await page.mouse.move(5, 400);
    await page.keyboard.press('Escape');
  });

  uiTest('"Show Which Processes Run This File" explains the workers in the Log Writers view', async () => {
    await runCommand(page, 'logfunnel: Show Which Processes Run This File');
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Log Writers' }) });
    const items = view.locator('.monaco-list-row');
    await items.first().waitFor({ timeout: UI_TIMEOUT });
    const labels = await items.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent));
    console.log(`Log Writers: ${JSON.stringify(labels)}`);
    assert.ok(labels.some((l) => /^4 × multiprocessing\.Pool\(4\)/.test(l)), `a node for the 4 pool workers: ${JSON.stringify(labels)}`);
    assert.ok(labels.some((l) => /RotatingFileHandler → app\.log/.test(l)), `the handler node: ${JSON.stringify(labels)}`);
    // Give the view the sidebar's height for the screenshot: fold the file tree meanwhile.
    const folderHeader = page.locator('.pane-header', { hasText: 'workspace' }).first();
    await folderHeader.click();
    await screenshot(page, 'process-model.png');
    await folderHeader.click();
    // Back to the editor for the next steps.
    await page.locator('.monaco-editor .view-lines').first().click();
  });

  uiTest('editing the file removes and re-introduces the finding without reopening it', async () => {
    await page.locator('.monaco-editor .view-lines').first().click();
    await goToLine(page, HANDLER_LINE);
    await replaceCurrentLine(page, 'handler = logging.NullHandler()');
    await squiggles(page).first().waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await waitForStatusCount(page, 1); // jobs.py still has its finding

    await replaceCurrentLine(page, ORIGINAL_HANDLER_LINE);
    await squiggles(page).first().waitFor({ timeout: UI_TIMEOUT });
    assert.deepEqual(await editorLineOf(page, squiggles(page).first()), { number: HANDLER_LINE, text: ORIGINAL_HANDLER_LINE });
    await waitForStatusCount(page, 2);
    await page.keyboard.press('Control+s'); // same text as on disk; leaves no dirty editor behind
    await page.locator('.tab.active.dirty').waitFor({ state: 'detached' });
  });

  uiTest('"Restart the Language Server" brings the findings back', async () => {
    await runCommand(page, 'logfunnel: Restart the Language Server');
    // The stopped client clears its diagnostics; wait for that (it may already have happened)
    // so the squiggle found next is the restarted server's, not the old one.
    await squiggles(page).first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
    await squiggles(page).first().waitFor({ timeout: UI_TIMEOUT });
    await waitForStatusCount(page, 2);
  });

  uiTest('Quick Fix (Ctrl+.) lists the strategies and applying one rewrites the file on disk', async (t) => {
    if (!codeActionKinds(serverCapabilities).some((k) => k === 'quickfix' || k.startsWith('quickfix.'))) {
      t.skip('the server does not advertise quickfix code actions yet (issue 5)');
      return;
    }
    // The server may still be re-reading the workspace after the restart.
    await squiggles(page).first().waitFor({ timeout: UI_TIMEOUT });
    await waitForStatusCount(page, 2);
    const box = await squiggles(page).first().boundingBox();
    await page.mouse.click(box.x + 40, box.y + box.height / 2);
    const options = await openQuickFixMenu(page);
    const titles = (await options.allTextContents()).map((s) => s.trim());
    const ours = titles.filter((s) => s.startsWith('logfunnel (LF001)'));
    assert.ok(ours.length >= 2, `several strategies offered, got ${JSON.stringify(titles)}`);
    await screenshot(page, 'quickfix.png');

    const funnel = ours.find((s) => /\): Funnel /.test(s)) ?? ours[0];
    await chooseAction(page, funnel);
    await squiggles(page).first().waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    // A plain text edit leaves main.py dirty; an edit that also creates files (vendoring the
    // runtime package) is saved by VS Code itself (files.refactoring.autoSave).
    if (await page.locator('.tab.active.dirty', { hasText: 'main.py' }).count()) {
      await page.locator('.tab', { hasText: 'main.py' }).first().click();
      await page.keyboard.press('Control+s');
    }
    const fixed = await waitForFileChange(path.join(session.folder, 'main.py'), readFileSync(path.join(TEMPLATE, 'main.py'), 'utf8'));
    assert.doesNotMatch(fixed, /logging\.handlers\.RotatingFileHandler\(/, fixed);
    assert.match(fixed, /RotatingFileHandler\("app\.log", maxBytes=1_000_000\)/, 'the user\'s arguments are kept');
    assert.match(fixed, /^(import logfunnel|from logfunnel[\w.]* import )/m, 'imports the runtime library');
    await waitForStatusCount(page, 1);

    // The rewritten program runs (the runtime library is importable from the workspace) and its
    // four workers' records all reach app.log: 100 items, each logged once.
    execFileSync('python3', ['main.py'], { cwd: session.folder, timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
    const logged = readFileSync(path.join(session.folder, 'app.log'), 'utf8').split('\n').filter((l) => l.includes('processing '));
    const items = logged.map((l) => Number(l.split('processing ')[1])).sort((a, b) => a - b);
    assert.deepEqual(items, Array.from({ length: 100 }, (_, i) => i));
  });

  uiTest('Fix All over the workspace previews and applies the safe fixes; the count drops to zero', async (t) => {
    const kinds = codeActionKinds(serverCapabilities);
    if (!kinds.some((k) => k === 'source.fixAll' || k === 'source.fixAll.logfunnel')) {
      t.skip('the server does not advertise source.fixAll.logfunnel yet (issue 5)');
      return;
    }
    await page.keyboard.press('Escape');
    await runCommand(page, 'logfunnel: Fix All Safe Problems in the Workspace');
    // needsConfirmation edits open the Refactor Preview; apply from there.
    const apply = page.getByRole('button', { name: 'Apply', exact: true });
    await apply.waitFor({ timeout: UI_TIMEOUT });
    // Edits that need confirmation start unchecked: the user approves each file (here: all).
    const fileRows = page.locator('.monaco-list-row[aria-level="1"]', { has: page.locator('input[type="checkbox"]') });
    await fileRows.first().waitFor();
    const files = await fileRows.count();
    for (let i = 0; i < files; i++) await fileRows.nth(i).locator('input[type="checkbox"]').first().check();
    await screenshot(page, 'fix-all-preview.png');
    await apply.click();
    await waitForStatusCount(page, 0);
    // Edits to files that were not open stay unsaved in the workbench, as with a rename: save.
    await page.locator('.tab', { hasText: 'jobs.py' }).click();
    await page.locator('.tab.active.dirty', { hasText: 'jobs.py' }).waitFor();
    await page.keyboard.press('Control+s');
    await page.locator('.tab.active.dirty').waitFor({ state: 'detached' });
    const jobs = await waitForFileChange(path.join(session.folder, 'jobs.py'), readFileSync(path.join(TEMPLATE, 'jobs.py'), 'utf8'));
    assert.notEqual(jobs, readFileSync(path.join(TEMPLATE, 'jobs.py'), 'utf8'), 'jobs.py rewritten on disk');
    assert.match(jobs, /TimedRotatingFileHandler\("jobs\.log", when="midnight"\)/, 'the user\'s arguments are kept');
    assert.match(jobs, /logfunnel/);
    await screenshot(page, 'fixed.png');
  });

  uiTest('"Add the Runtime Library" copies the logfunnel package into the workspace, importable', async () => {
    // A fix may have vendored the package already: start without it, so the copy is this command's.
    rmSync(path.join(session.folder, 'logfunnel'), { recursive: true, force: true });
    await runCommand(page, 'logfunnel: Add the Runtime Library to the Workspace');
    const choice = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Copy the package into the workspace' });
    await choice.waitFor();
    await choice.click();
    await page.locator('.notifications-toasts', { hasText: 'copied the runtime library' }).waitFor({ timeout: UI_TIMEOUT });
    const imported = execFileSync('python3', ['-c', 'import logfunnel, os; print(os.path.dirname(logfunnel.__file__))'], { cwd: session.folder, encoding: 'utf8' });
    assert.equal(imported.trim(), path.join(session.folder, 'logfunnel'));
  });
});

describe('in Restricted Mode (workspace trust enabled, folder not trusted)', { timeout: 4 * 60_000 }, () => {
  let workbench;
  let page;

  before(async () => {
    const session = freshSession({ 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'always' });
    workbench = await openWorkbench(session);
    page = workbench.page;
    activePage = page;
  });
  after(async () => {
    await workbench?.close();
  });

  uiTest('the findings are still shown', async () => {
    await page.getByRole('button', { name: /No, I don.t trust the authors/ }).click({ timeout: UI_TIMEOUT });
    await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ timeout: UI_TIMEOUT });
    await openFile(page, 'main.py');
    await squiggles(page).first().waitFor({ timeout: UI_TIMEOUT });
    assert.deepEqual(await editorLineOf(page, squiggles(page).first()), { number: HANDLER_LINE, text: ORIGINAL_HANDLER_LINE });
    await waitForStatusCount(page, 2);
    await screenshot(page, 'restricted-mode.png');
  });
});

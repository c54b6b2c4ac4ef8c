// End-to-end test of editors/vscode in VS Code (code-server in Debian's Chromium, driven by
// playwright-core). Run by scripts/editors-e2e.sh, which installs the .vsix, starts
// code-server on CS_URL with WORKSPACE (briefing.md, .briefing-ls.toml) and stops it after.
// Environment: CS_URL, WORKSPACE, SHOTS (screenshot folder), CHROME_PROFILE, PW_CORE,
// CHROMIUM, E2E_TIMEOUT_MS, BRIEFING_LS_MOCK=1 when the server is tests/e2e/mock_server.py.
// Prints one PASS/FAIL line per check. Exit status: 0 all passed, 1 a check failed, 2 crash.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require(process.env.PW_CORE || 'playwright-core');

const CS_URL = process.env.CS_URL || 'http://127.0.0.1:18080';
const WORKSPACE = process.env.WORKSPACE;
const SHOTS = process.env.SHOTS || path.join(__dirname, 'shots');
const PROFILE = process.env.CHROME_PROFILE || path.join(SHOTS, 'chrome-profile');
const T = Number(process.env.E2E_TIMEOUT_MS || 15000);
const MOCK = process.env.BRIEFING_LS_MOCK === '1';
const CODES = ['numeral-starts-sentence', 'mixed-units', 'ambiguous-unit'];

let passed = 0;
let failed = 0;
function check(ok, what) {
  console.log(`${ok ? 'PASS' : 'FAIL'} vscode: ${what}`);
  if (ok) passed++; else failed++;
  return ok;
}
const t0 = Date.now();
const log = (msg) => console.log(`  [${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

// Text with Monaco's no-break spaces made plain, and all whitespace removed (for wrapped lines).
const squash = (s) => s.replace(/[\s\u00a0\u202f]+/g, '');
// "14,000 kg", "14 000 kg", "14000 kg" all read as 14000kg.
const digits = (s) => squash(s).replace(/(\d)[,.](?=\d{3}(\D|$))/g, '$1');

(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const sample = fs.readFileSync(path.join(WORKSPACE, 'briefing.md'), 'utf8').split('\n');
  const where = (needle) => {
    const line = sample.findIndex((l) => l.includes(needle));
    return `${line + 1}:${sample[line].indexOf(needle) + 1}`;
  };
  const ctx = await chromium.launchPersistentContext(PROFILE, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  page.setDefaultTimeout(T);
  const shot = (name) => page.screenshot({ path: path.join(SHOTS, name) });
  const waitFor = (fn, arg, ms = T) => page.waitForFunction(fn, arg, { timeout: ms }).then(() => true, () => false);
  const editorText = () => page.evaluate(() => {
    const ed = document.querySelector('.editor-group-container.active .monaco-editor .view-lines');
    return ed ? ed.textContent : '';
  });
  const quickInput = async (prefix, text) => {
    await page.keyboard.press(prefix);
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type(text);
  };
  const goTo = async (pos) => {
    await quickInput('Control+G', pos);
    await page.keyboard.press('Enter');
    await page.waitForSelector('.quick-input-widget', { state: 'hidden' }).catch(() => {});
  };
  const runCommand = async (title) => {
    await quickInput('F1', title);
    await page.waitForSelector('.quick-input-list .monaco-list-row', { state: 'visible' });
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
  };
  // Opens the code action menu at pos and clicks the entry whose label matches re.
  // On a loaded machine VS Code has twice come back with "No code actions available" at
  // "14 tons" (CI shared with a fuzzer), where the same request answered at once when
  // quiet: the menu is asked for a second time, as a user would, before the check fails.
  const codeAction = async (pos, re, shotName) => {
    let found = false;
    for (let attempt = 0; attempt < 2 && !found; attempt++) {
      if (attempt > 0) {
        log(`no "${re.source}" in the code action menu; asking again`);
        await page.keyboard.press('Escape');
      }
      await goTo(pos);
      await page.keyboard.press('Control+.');
      found = await waitFor((src) => {
        const rows = [...document.querySelectorAll('.action-widget .monaco-list-row')];
        return rows.some((r) => new RegExp(src).test(r.textContent));
      }, re.source, T / 2);
    }
    const labels = await page.locator('.action-widget .monaco-list-row').allTextContents().catch(() => []);
    if (shotName) await shot(shotName);
    if (!found) {
      await page.keyboard.press('Escape');
      return { ok: false, labels };
    }
    // Move the keyboard focus to the entry (a click is swallowed by the context view's
    // pointer block in headless Chromium), then apply it with Enter.
    for (let i = 0; i < labels.length + 1; i++) {
      const focused = await page.locator('.action-widget .monaco-list-row.focused').textContent().catch(() => '');
      if (re.test(focused || '')) {
        await page.keyboard.press('Enter');
        return { ok: true, labels };
      }
      await page.keyboard.press('ArrowDown');
    }
    await page.keyboard.press('Escape');
    return { ok: false, labels };
  };

  await page.goto(`${CS_URL}/?folder=${encodeURIComponent(WORKSPACE)}`);
  await page.waitForSelector('.monaco-workbench', { timeout: 4 * T });
  await page.waitForSelector('.statusbar', { timeout: 4 * T });
  log('workbench loaded');

  // Open briefing.md through Quick Open.
  await page.locator('.monaco-workbench').click({ position: { x: 640, y: 400 } }).catch(() => {});
  await quickInput('Control+P', 'briefing.md');
  await page.waitForSelector('.quick-input-list .monaco-list-row', { state: 'visible' });
  await page.keyboard.press('Enter');
  await page.waitForSelector('.monaco-editor .view-lines', { state: 'visible' });

  // 1. squiggles
  const SQUIGGLES = '.monaco-editor .squiggly-info, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-error';
  let ok = await waitFor((sel) => document.querySelectorAll(sel).length >= 2, SQUIGGLES, 4 * T);
  check(ok, `diagnostics appear as squiggles (${await page.locator(SQUIGGLES).count()}) after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await shot('1-diagnostics.png');

  // 2. the Problems panel lists the codes
  await page.keyboard.press('Control+Shift+M');
  ok = await waitFor((codes) => {
    const panel = document.querySelector('.markers-panel');
    return panel && codes.every((c) => panel.textContent.includes(c));
  }, CODES, T);
  const problems = await page.locator('.markers-panel .monaco-list-row').allTextContents().catch(() => []);
  check(ok, `the Problems panel lists ${CODES.join(', ')}`);
  log(`problems: ${problems.map((p) => p.slice(0, 90)).join(' | ')}`);
  const coded = problems.filter((p) => CODES.some((c) => p.includes(c)));
  check(coded.length >= CODES.length && coded.every((p) => p.includes('briefing-ls')),
    'the problems come from source "briefing-ls"');
  await shot('2-problems.png');

  // 3. hover on "14 tons" shows the normalised value
  await goTo(where('14 tons').replace(/:(\d+)$/, (_, c) => `:${Number(c) + 1}`));
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  ok = await waitFor(() => [...document.querySelectorAll('.monaco-hover')].some((h) => {
    const t = h.textContent.replace(/[\s\u00a0\u202f]+/g, '').replace(/(\d)[,.](?=\d{3}(\D|$))/g, '$1');
    return t.includes('14000kg');
  }), null, T);
  const hoverText = (await page.locator('.monaco-hover').allTextContents().catch(() => [])).join(' | ');
  check(ok, `the hover on "14 tons" shows the normalised value 14,000 kg: ${JSON.stringify(hoverText.slice(0, 160))}`);
  await page.waitForTimeout(300);
  await shot('3-hover.png');
  await shot('readme.png');
  if (MOCK) {
    // The mock server shows the settings it received: only those set explicitly, no defaults.
    const m = /settings: (\{.*\})/.exec(hoverText.replace(/\u00a0/g, ' '));
    let seen = null;
    try { seen = m && JSON.parse(m[1]); } catch { seen = null; }
    const good = (s) => s && s.style === 'ap' && s.checks && s.checks['spurious-precision'] === 'off' && !('tons' in s);
    check(seen && good(seen.init) && good(seen.configuration),
      `explicit settings reach the server as initializationOptions and workspace/configuration (mock): ${JSON.stringify(seen)}`);
  }
  await page.keyboard.press('Escape');

  // 4. the Quick Fix menu applies the fix for numeral-starts-sentence
  let r = await codeAction(where('10 drug laboratories'), /Ten/, '4-quick-fix-menu.png');
  log(`code actions at "10": ${r.labels.join(' | ')}`);
  check(r.ok, 'the Quick Fix menu offers to spell out "10" as "Ten"');
  ok = r.ok && await waitFor(() => {
    const t = document.querySelector('.editor-group-container.active .monaco-editor .view-lines').textContent;
    return t.replace(/\u00a0/g, ' ').includes('Ten drug laboratories were closed.');
  }, null, T / 2);
  check(ok, 'the quick fix rewrote the text: "Ten drug laboratories were closed."');
  await page.keyboard.press('Control+Shift+M');
  ok = await waitFor(() => {
    const panel = document.querySelector('.markers-panel');
    return panel && !panel.textContent.includes('numeral-starts-sentence') && panel.textContent.includes('ambiguous-unit');
  }, null, T);
  check(ok, 'the diagnostics are updated after the edit (numeral-starts-sentence gone)');

  // 5. "Tag figure" on "14 tons"
  r = await codeAction(where('14 tons').replace(/:(\d+)$/, (_, c) => `:${Number(c) + 1}`), /^\s*Tag figure/, '5-tag-figure-menu.png');
  log(`code actions at "14 tons": ${r.labels.join(' | ')}`);
  check(r.ok, 'the code action menu offers "Tag figure" on "14 tons"');
  ok = r.ok && await waitFor((want) => {
    const t = document.querySelector('.editor-group-container.active .monaco-editor .view-lines').textContent;
    return t.replace(/[\s\u00a0]+/g, '').includes(want);
  }, squash('[14 tons]{.fig value=14 unit=t}'), T / 2);
  const afterTag = await editorText();
  check(ok, `"Tag figure" wrote [14 tons]{.fig value=14 unit=t}: ${JSON.stringify((afterTag.replace(/\u00a0/g, ' ').match(/\[14 tons\][^}]*\}?/) || [''])[0])}`);
  await shot('5-tagged.png');

  // 6. Command palette: Remove all tags, Tag all figures, Remove all tags again
  const tagged = ok;
  await runCommand('briefing-ls: Remove all tags');
  ok = tagged && await waitFor(() => {
    const t = document.querySelector('.editor-group-container.active .monaco-editor .view-lines').textContent;
    return !t.includes('.fig') && t.replace(/\u00a0/g, ' ').includes('14 tons of precursor');
  }, null, T / 2);
  check(ok, 'the command "briefing-ls: Remove all tags" removed the tag');
  await runCommand('briefing-ls: Tag all figures');
  ok = await waitFor(() => {
    const t = document.querySelector('.editor-group-container.active .monaco-editor .view-lines').textContent;
    return (t.match(/\{\.fig/g) || []).length + (t.match(/class="fig"/g) || []).length >= 3;
  }, null, T / 2);
  check(ok, `the command "briefing-ls: Tag all figures" tagged the figures (${((await editorText()).match(/\{\.fig|class="fig"/g) || []).length})`);
  await shot('6-tagged-all.png');
  await runCommand('briefing-ls: Remove all tags');
  await waitFor(() => !document.querySelector('.editor-group-container.active .monaco-editor .view-lines').textContent.includes('.fig'), null, T / 2);

  // 7. Export figures as JSON opens a new editor
  await runCommand('briefing-ls: Export figures as JSON');
  ok = await waitFor(() => {
    const tabs = [...document.querySelectorAll('.tab')].map((t) => t.textContent);
    const ed = document.querySelector('.editor-group-container.active .monaco-editor .view-lines');
    return tabs.some((t) => t.includes('Untitled')) && ed && ed.textContent.includes('"figures"');
  }, null, T);
  const exported = squash(await editorText());
  check(ok && exported.includes('{"files":[{"path":'),
    `the command "briefing-ls: Export figures as JSON" opened the JSON in a new editor: ${JSON.stringify(exported.slice(0, 60))}`);
  await shot('7-export.png');
  // Search the exported JSON (the editor renders only the lines in view).
  await page.keyboard.press('Control+F');
  await page.waitForSelector('.find-widget .input', { state: 'visible' });
  await page.keyboard.type('"text": "148 firearms"');
  ok = await waitFor(() => {
    const c = document.querySelector('.editor-group-container.active .find-widget .matchesCount');
    return c && /^1 of \d+/.test(c.textContent.trim());
  }, null, T / 2);
  const count = await page.locator('.editor-group-container.active .find-widget .matchesCount').textContent().catch(() => '?');
  check(ok, `the exported JSON has the figure "148 firearms" (find: ${count})`);
  await page.keyboard.press('Escape');

  // 8. a wrong briefing-ls.server.path, typed in the Settings editor: the server restarts,
  //    is not found, and the user is told how to fix it
  await runCommand('Preferences: Open Settings (UI)');
  await page.waitForSelector('.settings-editor .suggest-input-container', { state: 'visible' });
  await page.keyboard.insertText('briefing-ls.server.path');
  await page.locator('.settings-editor .settings-tabs-widget .action-label').filter({ hasText: 'Remote' }).click();
  const input = page.locator('.settings-editor .setting-item-contents').filter({ hasText: 'Server: Path' })
    .locator('input').first();
  await input.waitFor({ state: 'visible' }).catch(async (e) => {
    await shot('8-settings-debug.png');
    log(await page.locator('.settings-editor').innerText().catch(() => '?'));
    throw e;
  });
  await input.click();
  await input.fill('/nonexistent/briefing-ls');
  await page.keyboard.press('Tab');
  ok = await waitFor(() => [...document.querySelectorAll('.notifications-toasts .notification-toast')].some((n) =>
    n.textContent.includes('/nonexistent/briefing-ls') && n.textContent.includes('Install instructions')), null, T);
  const toast = await page.locator('.notifications-toasts .notification-toast').allTextContents().catch(() => []);
  check(ok, `a wrong briefing-ls.server.path gives an error with install instructions: ${JSON.stringify(toast.join(' | ').slice(0, 200))}`);
  await shot('8-server-not-found.png');

  await ctx.close();
  console.log(`vscode: ${passed} passed, ${failed} failed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  process.exit(failed ? 1 : 0);
})().catch(async (e) => {
  console.log(`FAIL vscode: the browser test crashed: ${e && e.message ? e.message.split('\n')[0] : e}`);
  console.error(e);
  process.exit(2);
});

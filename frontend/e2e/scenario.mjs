// The browser scenario, run by run-e2e.mjs against the built dashboard (vite preview)
// whose /api is proxied to the real backend (tests/StoreProvisioning.TestServer with
// fake helm/kubectl). Each step is reported like a test; the first failure stops the run.
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const STEP_TIMEOUT = 30_000;

/** Status text of a store's badge, or null when the row is absent. */
async function statusOf(page, name) {
  const badge = page.locator(`tr[data-store="${name}"] .badge-text`);
  return (await badge.count()) ? (await badge.first().textContent())?.trim() ?? null : null;
}

async function waitForStatus(page, name, expected, timeout = STEP_TIMEOUT) {
  const started = Date.now();
  let last = null;
  while (Date.now() - started < timeout) {
    last = await statusOf(page, name);
    if (last !== null && (expected instanceof RegExp ? expected.test(last) : last === expected)) return last;
    await page.waitForTimeout(150);
  }
  throw new Error(`store ${name}: expected status ${expected} within ${timeout} ms, last seen ${JSON.stringify(last)}`);
}

async function revisionOf(page, name) {
  const text = (await page.locator(`tr[data-store="${name}"] td.num`).textContent())?.trim();
  const n = Number(text);
  if (!Number.isInteger(n)) throw new Error(`store ${name}: revision is ${JSON.stringify(text)}, not a number`);
  return n;
}

async function waitForRevision(page, name, predicate, what, timeout = STEP_TIMEOUT) {
  const started = Date.now();
  let last;
  while (Date.now() - started < timeout) {
    last = (await page.locator(`tr[data-store="${name}"] td.num`).textContent())?.trim();
    if (predicate(Number(last))) return Number(last);
    await page.waitForTimeout(150);
  }
  throw new Error(`store ${name}: expected revision ${what}, last seen ${JSON.stringify(last)}`);
}

async function createStore(page, { name, userId, engine = 'WooCommerce' }) {
  // Wait until a previous submission has settled (the button reads "Creating…" meanwhile).
  await page.getByRole('button', { name: 'Create store' }).waitFor();
  await page.getByLabel('Store name').fill(name);
  await page.getByLabel('Engine').selectOption({ label: engine });
  await page.getByLabel('User id').fill(userId);
  await page.getByRole('button', { name: 'Create store' }).click();
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/**
 * Runs every step; returns { passed, failed, skipped, results }.
 * opts: { baseUrl, screenshotPath, failureScreenshotPath, stopBackend?, log }
 */
export async function runScenario({ baseUrl, screenshotPath, failureScreenshotPath, stopBackend = null, log = console.log }) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const results = [];
  const consoleErrors = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT);
    page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(`console: ${msg.text()}`);
    });

    const state = {};
    const steps = [
      [
        'dashboard loads with its panels',
        async () => {
          await page.goto(baseUrl, { waitUntil: 'domcontentloaded' });
          await page.getByRole('heading', { name: 'Store provisioning' }).waitFor();
          await page.getByRole('heading', { name: 'Metrics' }).waitFor();
          await page.getByRole('heading', { name: 'Activity' }).waitFor();
          await page.getByText(/Health: /).waitFor();
        },
      ],
      [
        'create a store and watch it become READY with its link',
        async () => {
          await createStore(page, { name: 'shop-ok', userId: 'alice' });
          await page.locator('tr[data-store="shop-ok"]').waitFor();
          await waitForStatus(page, 'shop-ok', 'Ready');
          const link = page.locator('tr[data-store="shop-ok"] a');
          const href = await link.getAttribute('href');
          assert(href && /^https?:\/\//.test(href), `READY store link has href ${JSON.stringify(href)}`);
          state.rev = await revisionOf(page, 'shop-ok');
        },
      ],
      [
        'a failing install shows FAILED with its reason',
        async () => {
          await createStore(page, { name: 'fail-shop', userId: 'bob', engine: 'Medusa' });
          await waitForStatus(page, 'fail-shop', 'Failed');
          const reason = (await page.locator('tr[data-store="fail-shop"] .failure-reason').textContent())?.replace('Failure reason:', '').trim();
          assert(reason && reason.length > 0, 'FAILED store shows no reason');
          assert((await page.locator('tr[data-store="fail-shop"] a').count()) === 0, 'FAILED store shows a link');
          log(`    reason: ${reason}`);
        },
      ],
      [
        'retry brings the failed store to READY',
        async () => {
          await page.getByRole('button', { name: 'Retry fail-shop' }).click();
          await waitForStatus(page, 'fail-shop', 'Ready');
          await page.locator('tr[data-store="fail-shop"] a').waitFor();
          assert((await page.getByRole('button', { name: 'Retry fail-shop' }).count()) === 0, 'Retry still offered when READY');
        },
      ],
      [
        'upgrade increments the revision',
        async () => {
          const before = await revisionOf(page, 'shop-ok');
          await page.getByRole('button', { name: 'Upgrade shop-ok' }).click();
          await waitForRevision(page, 'shop-ok', (r) => r > before, `> ${before}`);
          await waitForStatus(page, 'shop-ok', 'Ready');
          state.upgraded = await revisionOf(page, 'shop-ok');
          log(`    revision ${before} → ${state.upgraded}`);
        },
      ],
      [
        'rollback (default: previous) creates a new revision',
        async () => {
          const before = await revisionOf(page, 'shop-ok');
          await page.getByRole('button', { name: 'Rollback shop-ok' }).click();
          const dialog = page.getByRole('dialog', { name: 'Roll back shop-ok' });
          await dialog.waitFor();
          await dialog.getByRole('button', { name: 'Roll back' }).click();
          await waitForRevision(page, 'shop-ok', (r) => r !== before, `≠ ${before}`);
          await waitForStatus(page, 'shop-ok', 'Ready');
          log(`    revision ${before} → ${await revisionOf(page, 'shop-ok')}`);
        },
      ],
      [
        'delete asks for confirmation and the store disappears',
        async () => {
          await page.getByRole('button', { name: 'Delete fail-shop' }).click();
          const dialog = page.getByRole('dialog', { name: 'Delete fail-shop?' });
          await dialog.waitFor();
          await dialog.getByRole('button', { name: 'Delete store' }).click();
          await page.locator('tr[data-store="fail-shop"]').waitFor({ state: 'detached' });
        },
      ],
      [
        'the 4th store for one user is refused with the server message',
        async () => {
          await createStore(page, { name: 'alice-two', userId: 'alice' });
          await page.locator('tr[data-store="alice-two"]').waitFor();
          await createStore(page, { name: 'alice-three', userId: 'alice' });
          await page.locator('tr[data-store="alice-three"]').waitFor();
          await createStore(page, { name: 'alice-four', userId: 'alice' });
          const alert = page.locator('.form-problem[role="alert"]');
          await alert.waitFor();
          const text = (await alert.textContent())?.trim() ?? '';
          assert(/HTTP 403/.test(text), `refusal does not mention HTTP 403: ${text}`);
          log(`    refusal: ${text}`);
          await page.waitForTimeout(500);
          assert((await page.locator('tr[data-store="alice-four"]').count()) === 0, 'refused store appeared in the table');
        },
      ],
      [
        'activity shows readable actions and filters by store',
        async () => {
          await page.locator('.activity-item', { hasText: 'Install succeeded' }).first().waitFor();
          await page.getByLabel('Filter by store').selectOption('shop-ok');
          await page.waitForFunction(() => {
            const items = [...document.querySelectorAll('.activity-item .activity-store')];
            return items.length > 0 && items.every((i) => i.textContent === 'shop-ok');
          });
          await page.getByLabel('Filter by store').selectOption('');
        },
      ],
      [
        'screenshot of stores in several states',
        async () => {
          await createStore(page, { name: 'fail-two', userId: 'carol' });
          await waitForStatus(page, 'fail-two', 'Failed');
          await createStore(page, { name: 'carol-new', userId: 'carol', engine: 'Medusa' });
          await waitForStatus(page, 'carol-new', /New|Provisioning/);
          await page.screenshot({ path: screenshotPath, fullPage: true });
          log(`    saved ${screenshotPath}`);
          await waitForStatus(page, 'carol-new', 'Ready');
        },
      ],
    ];
    if (stopBackend) {
      steps.push([
        'with the backend gone: error banner with last refresh time, data kept on screen',
        async () => {
          const rowsBefore = await page.locator('tbody tr').count();
          await stopBackend();
          const banner = page.locator('.banner-error[role="alert"]');
          await banner.waitFor();
          const text = (await banner.textContent()) ?? '';
          assert(/last successful refresh at \d{2}:\d{2}:\d{2}/.test(text), `banner lacks the last refresh time: ${text}`);
          assert((await page.locator('tbody tr').count()) === rowsBefore, 'rows vanished when the API went away');
          await page.screenshot({ path: screenshotPath.replace(/\.png$/, '-offline.png'), fullPage: true });
          log(`    banner: ${text.trim()}`);
        },
      ]);
    }

    let failedAt = -1;
    for (let i = 0; i < steps.length; i++) {
      const [title, fn] = steps[i];
      if (failedAt >= 0) {
        results.push({ title, status: 'skipped' });
        log(`  - ${title} (skipped)`);
        continue;
      }
      const t0 = Date.now();
      try {
        await fn();
        results.push({ title, status: 'passed' });
        log(`  ✓ ${title} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
      } catch (err) {
        failedAt = i;
        results.push({ title, status: 'failed', error: err });
        log(`  ✗ ${title}\n      ${String(err?.stack ?? err).split('\n').slice(0, 4).join('\n      ')}`);
        if (failureScreenshotPath) await page.screenshot({ path: failureScreenshotPath, fullPage: true }).catch(() => {});
      }
    }
    if (consoleErrors.length) log(`  browser errors:\n    ${consoleErrors.slice(0, 20).join('\n    ')}`);
  } finally {
    await browser.close().catch(() => {});
  }
  const count = (s) => results.filter((r) => r.status === s).length;
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), results };
}

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
// How long a store may take to reach a status: every operation runs several fake helm/kubectl processes (python),
// which take seconds each on a loaded 2-core machine. Waits end as soon as the status shows.
const STORE_TIMEOUT = 90_000;

/** Status text of a store's badge, or null when the row is absent. */
async function statusOf(page, name) {
  const badge = page.locator(`tr[data-store="${name}"] .badge-text`);
  return (await badge.count()) ? (await badge.first().textContent())?.trim() ?? null : null;
}

async function waitForStatus(page, name, expected, timeout = STORE_TIMEOUT) {
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

async function waitForRevision(page, name, predicate, what, timeout = STORE_TIMEOUT) {
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
  // Only operators and admins name the owner; a `user`'s form has no such field.
  if (userId !== undefined) await page.getByLabel('User id').fill(userId);
  await page.getByRole('button', { name: 'Create store' }).click();
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function signInWithKey(page, key, expectedWho) {
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`signed in as ${expectedWho}`).waitFor();
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
}

/** Names of the store rows on screen. */
async function storeNames(page) {
  return page.locator('tbody tr[data-store]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-store')));
}

/** Whatever the page keeps outside sessionStorage, for "the credential is nowhere else" checks. */
async function persistentTraces(page) {
  return page.evaluate(() => ({ url: location.href, local: JSON.stringify({ ...localStorage }), cookies: document.cookie }));
}

/** Creates an API key on the admin's API keys page; returns the key shown (once). */
async function createKeyInUi(page, { userId, role, name }) {
  await page.getByLabel('User id').fill(userId);
  await page.getByLabel('Role').selectOption(role);
  await page.getByLabel('Name (optional)').fill(name);
  await page.getByRole('button', { name: 'Create key' }).click();
  const shown = page.getByRole('region', { name: 'New API key' });
  await shown.waitFor();
  const key = await shown.getByLabel('New API key').inputValue();
  assert(key.length >= 32, `the new key is only ${key.length} characters`);
  await shown.getByRole('button', { name: 'Done' }).click();
  // The click returns before React renders the page without the key: wait for that render, then read the page.
  await shown.waitFor({ state: 'hidden' });
  await page.getByRole('rowheader', { name }).waitFor();
  const html = await page.content();
  assert(!html.includes(key), 'the key is still on the page after Done');
  return key;
}

/** Runs each step like a test; the first failure skips the rest. */
async function runSteps(steps, { page, log, failureScreenshotPath, results }) {
  let failed = false;
  for (const [title, fn] of steps) {
    if (failed) {
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
      failed = true;
      results.push({ title, status: 'failed', error: err });
      log(`  ✗ ${title}\n      ${String(err?.stack ?? err).split('\n').slice(0, 4).join('\n      ')}`);
      if (failureScreenshotPath) await page.screenshot({ path: failureScreenshotPath, fullPage: true }).catch(() => {});
    }
  }
}

async function withBrowser(log, run) {
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
    await run(page, results);
    if (consoleErrors.length) log(`  browser errors:\n    ${consoleErrors.slice(0, 20).join('\n    ')}`);
  } finally {
    await browser.close().catch(() => {});
  }
  const count = (st) => results.filter((r) => r.status === st).length;
  return { passed: count('passed'), failed: count('failed'), skipped: count('skipped'), results, consoleErrors };
}

/**
 * The API-key run: the admin signs in with the bootstrap key and drives every store action, hands out
 * keys to two users, and each user sees only their own stores.
 * opts: { baseUrl, adminKey, screenshotPath, failureScreenshotPath, stopBackend?, log }
 */
export async function runScenario({ baseUrl, adminKey, screenshotPath, failureScreenshotPath, stopBackend = null, log = console.log }) {
  return withBrowser(log, async (page, results) => {
    const state = {};
    const steps = [
      [
        'sign in with the admin API key; the dashboard loads with its panels',
        async () => {
          await page.goto(baseUrl, { waitUntil: 'domcontentloaded' });
          await signInWithKey(page, adminKey, 'admin (admin)');
          const traces = await persistentTraces(page);
          assert(!JSON.stringify(traces).includes(adminKey), `the key leaked outside sessionStorage: ${JSON.stringify(traces)}`);
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
          const link = page.locator('tr[data-store="shop-ok"] td.details a');
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
          assert((await page.locator('tr[data-store="fail-shop"] td.details a').count()) === 0, 'FAILED store shows a link');
          log(`    reason: ${reason}`);
        },
      ],
      [
        'retry brings the failed store to READY',
        async () => {
          await page.getByRole('button', { name: 'Retry fail-shop' }).click();
          await waitForStatus(page, 'fail-shop', 'Ready');
          await page.locator('tr[data-store="fail-shop"] td.details a').waitFor();
          assert((await page.getByRole('button', { name: 'Retry fail-shop' }).count()) === 0, 'Retry still offered when READY');
        },
      ],
      [
        'upgrade shows the previewed values diff, then increments the revision',
        async () => {
          const before = await revisionOf(page, 'shop-ok');
          await page.getByRole('button', { name: 'Upgrade shop-ok' }).click();
          // The upgrade is a form of the operator's catalog (version, plan, title); a new title changes the values.
          const dialog = page.getByRole('dialog', { name: 'Upgrade shop-ok' });
          await dialog.waitFor();
          await dialog.getByLabel('Shop title (optional)').fill('E2E Coffee');
          await dialog.getByRole('button', { name: 'Upgrade', exact: true }).click();
          // Before anything is sent: the API's preview (current vs proposed values) as a diff, then Confirm.
          const diff = dialog.getByRole('figure', { name: /^Values diff: revision \d+ \(now\) → after the upgrade$/ });
          await diff.waitFor();
          const added = await diff.locator('[data-kind="added"]').allTextContents();
          assert(added.some((l) => l.includes('E2E Coffee')), `the upgrade preview does not add the new title: ${JSON.stringify(added)}`);
          await dialog.getByRole('button', { name: 'Confirm upgrade' }).click();
          await waitForRevision(page, 'shop-ok', (r) => r > before, `> ${before}`);
          await waitForStatus(page, 'shop-ok', 'Ready');
          state.upgraded = await revisionOf(page, 'shop-ok');
          log(`    revision ${before} → ${state.upgraded}`);
        },
      ],
      [
        'rollback (default: previous) shows current vs target values, then creates a new revision',
        async () => {
          const before = await revisionOf(page, 'shop-ok');
          await page.getByRole('button', { name: 'Rollback shop-ok' }).click();
          const dialog = page.getByRole('dialog', { name: 'Roll back shop-ok' });
          await dialog.waitFor();
          const diff = dialog.getByRole('figure', { name: `Values diff: revision ${before} (now) → revision ${before - 1}` });
          await diff.waitFor();
          const removed = await diff.locator('[data-kind="removed"]').allTextContents();
          assert(removed.some((l) => l.includes('E2E Coffee')), `the rollback diff does not remove the title: ${JSON.stringify(removed)}`);
          await dialog.getByRole('button', { name: 'Roll back' }).click();
          await waitForRevision(page, 'shop-ok', (r) => r !== before, `≠ ${before}`);
          await waitForStatus(page, 'shop-ok', 'Ready');
          log(`    revision ${before} → ${await revisionOf(page, 'shop-ok')}`);
        },
      ],
      [
        'open the store from the table: status, activity, Helm history, and a diff of two chosen revisions',
        async () => {
          await page.getByRole('link', { name: 'shop-ok', exact: true }).click();
          await page.getByRole('heading', { name: 'Store shop-ok' }).waitFor();
          assert(new URL(page.url()).pathname === '/stores/shop-ok', `the detail view is at ${page.url()}`);
          await page.locator('.store-detail .badge-text', { hasText: 'Ready' }).waitFor();
          await page.getByRole('list', { name: 'Activity of shop-ok, newest first' }).locator('[data-action="install.succeeded"]').first().waitFor();
          const history = page.getByRole('table', { name: /Helm revisions of shop-ok/ });
          await history.waitFor();
          // install, upgrade, rollback: three revisions, newest first.
          await page.waitForFunction(() => document.querySelectorAll('table.revisions tbody tr').length >= 3);
          const revs = await history.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-revision'))));
          assert(revs.every((r, i) => i === 0 || r < revs[i - 1]), `revisions not newest first: ${revs}`);
          const [first] = revs.slice(-1);
          await page.getByLabel('Compare revision').selectOption(String(first));
          await page.getByLabel('with revision').selectOption(String(first + 1));
          const diff = page.getByRole('figure', { name: `Values diff: revision ${first} → revision ${first + 1}` });
          await diff.waitFor();
          const added = await diff.locator('[data-kind="added"]').allTextContents();
          assert(added.some((l) => l.includes('E2E Coffee')), `revision ${first} → ${first + 1} does not add the title: ${JSON.stringify(added)}`);
          log(`    history ${revs.join(', ')}; diff ${first} → ${first + 1}: ${added.length} line(s) added`);
          await page.screenshot({ path: screenshotPath.replace(/\.png$/, '-store.png'), fullPage: true });
        },
      ],
      [
        'a deep link to /stores/{name} is served (index.html) and the overview is one click away',
        async () => {
          await page.goto(new URL('stores/shop-ok', baseUrl).href, { waitUntil: 'domcontentloaded' });
          await page.getByRole('heading', { name: 'Store shop-ok' }).waitFor();
          await page.getByRole('link', { name: '← All stores' }).click();
          await page.locator('tr[data-store="shop-ok"]').waitFor();
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
        'the overview charts operation durations (p50/p95) and shows the cluster slot queue',
        async () => {
          const table = page.getByRole('table', { name: 'Operation durations' });
          await table.locator('tr[data-operation="install"]').waitFor();
          await table.locator('tr[data-operation="upgrade"]').waitFor();
          assert((await page.locator('.durations-chart .recharts-bar-rectangle').count()) >= 4, 'no p50/p95 bars drawn');
          const waiting = (await page.locator('.durations [data-metric="waiting"] dd').textContent())?.trim();
          assert(/^\d+$/.test(waiting ?? ''), `operations waiting for a slot: ${JSON.stringify(waiting)}`);
          log(`    ${(await table.locator('tbody').innerText()).replace(/\s+/g, ' ')}; waiting ${waiting}`);
        },
      ],
      [
        'the admin creates an API key for each of two users (each shown once)',
        async () => {
          await page.getByRole('button', { name: 'API keys' }).click();
          await page.getByRole('heading', { name: 'API keys' }).waitFor();
          state.danaKey = await createKeyInUi(page, { userId: 'dana', role: 'user', name: 'dana e2e' });
          state.erinKey = await createKeyInUi(page, { userId: 'erin', role: 'user', name: 'erin e2e' });
          await page.getByRole('button', { name: 'Stores' }).click();
          await page.locator('tr[data-store="shop-ok"]').waitFor();
        },
      ],
      [
        'sign out returns to the sign-in screen and forgets the key',
        async () => {
          await signOut(page);
          await page.getByLabel('API key').waitFor();
          assert((await page.locator('tr[data-store]').count()) === 0, 'store rows still on screen after sign out');
          const left = await page.evaluate(() => sessionStorage.length);
          assert(left === 0, `sessionStorage still holds ${left} item(s) after sign out`);
        },
      ],
      [
        'a user signs in with their key, creates a store (no owner field) and sees only their own',
        async () => {
          await signInWithKey(page, state.danaKey, 'dana (user)');
          assert((await page.getByLabel('User id').count()) === 0, 'a user is offered the User id field');
          await createStore(page, { name: 'dana-shop' });
          await waitForStatus(page, 'dana-shop', 'Ready');
          const names = await storeNames(page);
          assert(names.length === 1 && names[0] === 'dana-shop', `dana sees ${JSON.stringify(names)}`);
          await signOut(page);
          await page.getByLabel('API key').waitFor();
        },
      ],
      [
        "another user never sees that store",
        async () => {
          await signInWithKey(page, state.erinKey, 'erin (user)');
          await page.getByText('No stores yet.').waitFor();
          await page.waitForTimeout(1500); // a few polls: nothing of dana's shows up
          const names = await storeNames(page);
          assert(names.length === 0, `erin sees ${JSON.stringify(names)}`);
          const activity = (await page.locator('.activity').textContent()) ?? '';
          assert(!activity.includes('dana-shop'), 'erin sees dana-shop in the activity feed');
          await signOut(page);
          await signInWithKey(page, adminKey, 'admin (admin)');
          await page.locator('tr[data-store="dana-shop"]').waitFor();
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

    await runSteps(steps, { page, log, failureScreenshotPath, results });
  });
}


/**
 * The OIDC run against a real provider (oauth2-mock-server, whose /authorize approves at once): the
 * user logs in through the provider with code + PKCE, creates a store, does not see `hiddenStore`
 * (another user's, seeded by the runner), and signs out through the provider's end-session endpoint.
 * opts: { baseUrl, provider: { issuer, signInAs }, hiddenStore, failureScreenshotPath, log }
 */
export async function runOidcScenario({ baseUrl, provider, hiddenStore, failureScreenshotPath, log = console.log }) {
  return withBrowser(log, async (page, results) => {
    const tokenRequests = [];
    page.on('request', (req) => {
      if (req.url().startsWith(`${provider.issuer}/token`)) tokenRequests.push(req.postData() ?? '');
    });
    const steps = [
      [
        'OIDC: the sign-in screen offers the provider login, no API key field',
        async () => {
          await page.goto(baseUrl, { waitUntil: 'domcontentloaded' });
          await page.getByRole('button', { name: 'Sign in' }).waitFor();
          assert((await page.getByLabel('API key').count()) === 0, 'an API key field in OIDC mode');
        },
      ],
      [
        'OIDC: login through the provider (authorization code + PKCE) signs the user in',
        async () => {
          provider.signInAs('olivia', ['user']);
          await page.getByRole('button', { name: 'Sign in' }).click();
          await page.getByText('signed in as olivia (user)').waitFor();
          const exchange = tokenRequests.find((b) => b.includes('grant_type=authorization_code'));
          assert(exchange, 'no authorization code exchange at the provider');
          assert(/code_verifier=[A-Za-z0-9._~-]{43,}/.test(exchange), `the code exchange carries no PKCE verifier: ${exchange}`);
          assert(!page.url().includes('code='), `the code stayed in the address bar: ${page.url()}`);
          const traces = await persistentTraces(page);
          assert(traces.local === '{}', `OIDC state in localStorage: ${traces.local}`);
        },
      ],
      [
        'OIDC: the user creates a store and sees only their own',
        async () => {
          assert((await page.getByLabel('User id').count()) === 0, 'a user is offered the User id field');
          await createStore(page, { name: 'olivia-shop' });
          await waitForStatus(page, 'olivia-shop', 'Ready');
          const names = await storeNames(page);
          assert(!names.includes(hiddenStore), `olivia sees ${hiddenStore}, another user's store`);
          assert(names.length === 1, `olivia sees ${JSON.stringify(names)}`);
        },
      ],
      [
        'OIDC: sign out ends the session at the provider and returns to the sign-in screen',
        async () => {
          await signOut(page);
          await page.getByRole('button', { name: 'Sign in' }).waitFor();
          assert((await page.locator('tr[data-store]').count()) === 0, 'store rows still on screen after sign out');
          const users = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('oidc.user:')));
          assert(users.length === 0, `the signed-in user is still stored: ${users}`);
        },
      ],
    ];
    await runSteps(steps, { page, log, failureScreenshotPath, results });
  });
}

/**
 * scripts/demo.sh as a newcomer sees it: sign in with the key the demo printed (kept in its state folder) and find
 * the seeded stores, the failing one with its reason.
 * opts: { baseUrl, adminKey, stores: [{ name, status }], failing, failureScreenshotPath, screenshotPath, log }
 */
export async function runDemoScenario({ baseUrl, adminKey, stores, failing, failureScreenshotPath, screenshotPath, log = console.log }) {
  return withBrowser(log, async (page, results) => {
    const steps = [
      [
        'demo: the dashboard is served and signs in with the demo admin key',
        async () => {
          await page.goto(baseUrl, { waitUntil: 'domcontentloaded' });
          await signInWithKey(page, adminKey, 'admin (admin)');
        },
      ],
      [
        'demo: the seeded stores are listed, the failing one with its reason',
        async () => {
          // The demo seeds three stores at once and runs two at a time: the third waits for a slot.
          for (const { name, status } of stores) await waitForStatus(page, name, status, 2 * STORE_TIMEOUT);
          const reason = (await page.locator(`tr[data-store="${failing.name}"] .failure-reason`).textContent())?.replace('Failure reason:', '').trim() ?? '';
          assert(failing.reason.test(reason), `${failing.name}'s reason ${JSON.stringify(reason)} does not match ${failing.reason}`);
          log(`    ${failing.name}: ${reason}`);
          if (screenshotPath) await page.screenshot({ path: screenshotPath, fullPage: true });
        },
      ],
    ];
    await runSteps(steps, { page, log, failureScreenshotPath, results });
  });
}

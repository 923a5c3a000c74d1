import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumAvailable, CHROMIUM, expectAccessible, launchBrowser, newPage, screenshot } from './browser';
import { startPlatform, type Platform } from './platform';

// Prepare trains for real; a test-only cap on epochs keeps it short (the same code path as a user's Prepare).
process.env['LEPTON_SCENARIO_MAX_EPOCHS'] ??= '2';

const inCi = Boolean(process.env['CI']);
const suite = chromiumAvailable() || inCi ? describe : describe.skip;
/** Training the PneumoniaMNIST CNN on the CPU backend takes minutes: LEPTON_E2E_MEDICAL=0 leaves it out. */
const medical = process.env['LEPTON_E2E_MEDICAL'] === '0' ? it.skip : it;

const PREPARE_TIMEOUT_MS = 15 * 60_000;

suite('scenario demos in a real browser against the real platform', { timeout: PREPARE_TIMEOUT_MS }, () => {
  let platform: Platform;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let base: string;

  async function check(name: string): Promise<void> {
    await expectAccessible(page, name);
    await screenshot(page, name);
    expect(problems, `browser errors on ${name}`).toEqual([]);
  }

  /** Clicks Prepare and waits until the live steps say the scenario is ready; returns how long it took. */
  async function prepare(segment: string): Promise<number> {
    await page.goto(`${base}/p/default/scenarios/${segment}`);
    const started = Date.now();
    await page.getByRole('button', { name: 'Prepare', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('scenario-state').textContent(), { timeout: 60_000 })
      .toMatch(/preparing|ready/);
    await page
      .getByTestId('scenario-state')
      .filter({ hasText: 'ready' })
      .waitFor({ timeout: PREPARE_TIMEOUT_MS - 60_000 });
    return Date.now() - started;
  }

  beforeAll(async () => {
    if (!chromiumAvailable())
      throw new Error(`Chromium is missing at ${CHROMIUM}: apt-get install -y chromium (or set LEPTON_CHROMIUM)`);
    platform = await startPlatform({ scenarios: true, bestBackend: true });
    base = platform.dashboardUrl;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    ({ page, problems } = await newPage(context));
    await page.goto(`${base}/sign-in`);
    await page.fill('#token', platform.api.adminToken);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/p/default`);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await platform?.close();
  }, 120_000);

  it('lists the three scenarios, none prepared yet', async () => {
    await page.goto(`${base}/p/default/scenarios`);
    for (const segment of ['medical', 'security', 'finance'])
      await expect.poll(() => page.getByTestId(`scenario-card-${segment}`).textContent()).toMatch(/not prepared/);
    await page.getByRole('link', { name: 'Scenarios' }).first().waitFor();
    await check('scenarios');

    await page.getByRole('link', { name: 'Credit risk control' }).click();
    await page.waitForURL(`${base}/p/default/scenarios/finance`);
    await page.getByRole('button', { name: 'Prepare', exact: true }).waitFor();
    expect(await page.getByTestId('scenario-caveats').textContent()).not.toBe('');
    await page.getByRole('link', { name: 'CC BY 4.0' }).first().waitFor();
    await check('scenario-finance-unprepared');
  });

  it('prepares security to a deployed model, with live steps; a second Prepare reuses it', async () => {
    const elapsed = await prepare('security');
    console.log(`[scenarios e2e] security Prepare took ${(elapsed / 1000).toFixed(0)} s`);
    for (const step of ['IMPORT', 'TRAIN', 'EVALUATE', 'DEPLOY'])
      expect(await page.getByTestId(`step-phishing-${step}`).textContent()).toMatch(/done/);
    await page.getByTestId('demo-phishing').waitFor();
    await check('scenario-security');

    await page.getByRole('button', { name: 'Prepare again (reuses what exists)' }).click();
    await expect.poll(() => page.getByTestId('scenario-state').textContent(), { timeout: 60_000 }).toBe('ready');
    const { data } = await platform.api.gql<{
      datasets: { edges: { node: { name: string; versions: { edges: unknown[] } } }[] };
    }>('{ datasets(first: 10) { edges { node { name versions(first: 10) { edges { cursor } } } } } }');
    expect(data!.datasets.edges.map(({ node }) => [node.name, node.versions.edges.length])).toEqual([
      [expect.any(String), 1],
    ]);
  });

  it('the threshold slider changes precision, recall and alert volume, all from the stored curve', async () => {
    const read = async () =>
      Promise.all(
        ['precision', 'recall', 'alerts'].map((what) => page.getByTestId(`demo-phishing-${what}`).textContent()),
      );
    const atHalf = await read();
    await page
      .getByLabel(/Decision threshold/)
      .first()
      .fill('0.9');
    await expect
      .poll(() => page.getByTestId('demo-phishing-threshold-value').textContent(), { timeout: 30_000 })
      .toBe('0.90');
    const atHigh = await read();
    expect(atHigh).not.toEqual(atHalf);
    await page
      .getByLabel(/Decision threshold/)
      .first()
      .fill('0.1');
    await expect
      .poll(() => page.getByTestId('demo-phishing-threshold-value').textContent(), { timeout: 30_000 })
      .toBe('0.10');
    const atLow = await read();
    // Fewer alerts at a higher threshold.
    const alerts = (text: string | null) => Number(/^([\d,]+)/.exec(text ?? '')![1]!.replace(/,/g, ''));
    expect(alerts(atLow[2]!)).toBeGreaterThan(alerts(atHigh[2]!));
    await page
      .getByLabel(/Decision threshold/)
      .first()
      .fill('0.5');
  });

  it('scores one site from the live deployment and says which revision answered', async () => {
    const fill = page.getByLabel('Fill from a held-out example');
    const firstSample = await fill.locator('option').nth(1).getAttribute('value');
    await fill.selectOption(firstSample!);
    await page.getByRole('form', { name: 'Score one site' }).getByRole('button', { name: 'Score' }).click();
    await page.getByTestId('demo-phishing-probability').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('demo-phishing-probability').textContent()).toMatch(/^\d+\.\d{2}%$/);
    expect(await page.getByTestId('demo-phishing-served-by').textContent()).toMatch(/revision 1 \(model version 1\)/);
    expect(await page.getByTestId('demo-phishing-answers').textContent()).toContain('form');

    await page.getByRole('button', { name: 'Start the live feed' }).click();
    await expect
      .poll(() => page.getByTestId('demo-phishing-feed-status').textContent(), { timeout: 30_000 })
      .toMatch(/^([1-9]\d*) sites scored/);
    await page.getByRole('button', { name: 'Pause the feed' }).click();
    await check('scenario-security-served');
  });

  it('retrains with other hyperparameters, rolls out a canary, and answers name the revision that served', async () => {
    const form = page.getByRole('form', { name: 'Retrain with other hyperparameters' });
    await form.getByLabel('Epochs').fill('1');
    await form.getByLabel('Hidden layers').fill('16');
    await form.getByLabel('Canary weight (%)').fill('50');
    await form.getByRole('button', { name: 'Retrain and roll out as a canary' }).click();
    await page.getByTestId('demo-phishing-retraining').waitFor({ timeout: 60_000 });
    // The new version arrives as a canary with half the traffic, live over deploymentUpdated.
    await expect
      .poll(() => page.getByTestId('demo-phishing-traffic').textContent(), { timeout: 300_000, interval: 1000 })
      .toMatch(/2 \(canary\)v2\s*50%/);
    await page.getByRole('button', { name: 'Start the live feed' }).click();
    // Once serving has loaded the canary, some answers come from revision 2 (model version 2).
    await expect
      .poll(() => page.locator('[data-testid="demo-phishing-answers"] tr[data-revision="2"]').count(), {
        timeout: 180_000,
        interval: 1000,
      })
      .toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Pause the feed' }).click();
    expect(await page.getByTestId('demo-phishing-answers').textContent()).toMatch(/v2/);
    await check('scenario-security-canary');
  });

  it('finance: editable costs move the cost-optimal threshold; a CSV of applicants comes back scored', async () => {
    const elapsed = await prepare('finance');
    console.log(`[scenarios e2e] finance Prepare took ${(elapsed / 1000).toFixed(0)} s`);
    const optimal = () => page.getByTestId('demo-credit-default-optimal').textContent();
    const before = await optimal();
    const threshold = Number(/threshold: ([\d.]+)/.exec(before!)![1]);
    // A missed default now costs far more than a refused customer: the optimum cannot rise.
    await page.getByLabel('Cost of a missed default').fill('50');
    await expect.poll(optimal, { timeout: 30_000 }).not.toBe(before);
    expect(Number(/threshold: ([\d.]+)/.exec((await optimal())!)![1])).toBeLessThanOrEqual(threshold);
    await page.getByRole('button', { name: 'Use the cost-optimal threshold' }).click();
    expect(await page.getByTestId('demo-credit-default-threshold-value').textContent()).toBe(
      /threshold: ([\d.]+)/.exec((await optimal())!)![1],
    );

    // Thirty held-out applicants as a CSV with an id column in front, as a user would export them.
    const { data } = await platform.api.gql<{
      scenario: {
        demos: { features: { name: string }[]; samples: { id: string; features: Record<string, unknown> }[] }[];
      };
    }>('{ scenario(key: FINANCE) { demos { features { name } samples(first: 30) { id features } } } }');
    const [demo] = data!.scenario.demos;
    const features = demo!.features.map((feature) => feature.name);
    expect(demo!.samples).toHaveLength(30);
    const rows = [['applicant', ...features].join(',')];
    for (const sample of demo!.samples)
      rows.push([sample.id, ...features.map((name) => String(sample.features[name] ?? ''))].join(','));
    await page.setInputFiles('#demo-credit-default-batch', {
      name: 'applicants.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.join('\n') + '\n'),
    });
    await page.getByTestId('demo-credit-default-batch-result').waitFor({ timeout: 60_000 });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Download applicants-scored.csv/ }).click(),
    ]);
    const scored = (await readFile((await download.path())!, 'utf8')).trim().split('\n');
    expect(scored).toHaveLength(31);
    expect(scored[0]).toMatch(/^applicant,.*,probability_default,decision$/);
    for (const line of scored.slice(1)) expect(line).toMatch(/^test-\d+,.*,[01]\.\d{6},(default|no default)$/);
    await check('scenario-finance');
  });

  medical('prepares medical and predicts pneumonia from an uploaded X-ray PNG', async () => {
    const elapsed = await prepare('medical');
    console.log(`[scenarios e2e] medical Prepare took ${(elapsed / 1000).toFixed(0)} s`);
    await page.getByTestId('demo-pneumonia').waitFor();
    // A held-out X-ray scaled up to 140×140 by the browser's canvas: a real PNG file larger than the
    // model's input, uploaded as a user would; the server fits it back to 28×28 grayscale.
    const png = await page.evaluate(() => {
      const source = document.querySelector<HTMLImageElement>('[data-testid="demo-pneumonia-samples"] img')!;
      const canvas = document.createElement('canvas');
      canvas.width = 140;
      canvas.height = 140;
      canvas.getContext('2d')!.drawImage(source, 0, 0, 140, 140);
      return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
    });
    await page.setInputFiles('#demo-pneumonia-upload', {
      name: 'xray.png',
      mimeType: 'image/png',
      buffer: Buffer.from(png, 'base64'),
    });
    await page.getByTestId('demo-pneumonia-fitted').waitFor({ timeout: 60_000 });
    await page.getByTestId('demo-pneumonia-probability').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('demo-pneumonia-decision').textContent()).toMatch(/pneumonia|normal/);

    const sensitivity = await page.getByTestId('demo-pneumonia-sensitivity').textContent();
    await page
      .getByLabel(/Decision threshold/)
      .first()
      .fill('0.95');
    await expect
      .poll(() => page.getByTestId('demo-pneumonia-sensitivity').textContent(), { timeout: 30_000 })
      .not.toBe(sensitivity);

    // The heart-disease form of the same scenario answers from its own deployment.
    const heart = page.getByTestId('demo-heart-disease');
    const fill = heart.getByLabel('Fill from a held-out example');
    await fill.selectOption((await fill.locator('option').nth(1).getAttribute('value'))!);
    await heart.getByRole('button', { name: 'Score' }).click();
    await page.getByTestId('demo-heart-disease-probability').waitFor({ timeout: 60_000 });
    await check('scenario-medical');
  });
});

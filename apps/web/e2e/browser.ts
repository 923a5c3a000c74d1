import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium (`.ci/run` installs it); LEPTON_CHROMIUM points elsewhere. */
export const CHROMIUM = process.env['LEPTON_CHROMIUM'] ?? '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(__dirname, '../test-results');
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(path.join(ARTIFACTS, 'screenshots'), { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
}

/** A page that fails the test on any Content-Security-Policy violation or uncaught page error. */
export async function newPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text()))
      problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return { page, problems };
}

/**
 * axe-core, evaluated through DevTools (page CSP does not apply to it): no serious or critical
 * violation is allowed.
 */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const violations = await page.evaluate(async (source) => {
    if (!(window as unknown as { axe?: unknown }).axe) (0, eval)(source);
    const axe = (
      window as unknown as {
        axe: {
          run: (
            context: Document,
            options: object,
          ) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) =>
          `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes
            .map((node) => node.target.join(' '))
            .slice(0, 3)
            .join(', ')})`,
      );
  }, AXE_SOURCE);
  expect(violations, `accessibility of ${name}`).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, 'screenshots', `${name}.png`), fullPage: true });
}

/** Every page of the test also proves planted XSS payloads stayed text. */
export async function expectNoInjectedScript(page: Page): Promise<void> {
  const injected = await page.evaluate(() => ({
    flag: (window as unknown as { __xss?: unknown }).__xss ?? null,
    images: document.querySelectorAll('img[src="x"]').length,
  }));
  expect(injected).toEqual({ flag: null, images: 0 });
}

export function writeArtifact(name: string, content: string): void {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(path.join(ARTIFACTS, name), content);
}

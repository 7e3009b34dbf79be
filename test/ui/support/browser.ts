import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { ensureChromium } from '../../../src/infra/tools';
import { PROJECT_ROOT } from '../../../src/infra/tools/tool-paths';

export interface UsedBrowser {
  /** A fresh page in its own context (own cookies); closed with the browser. */
  newPage: () => Promise<Page>;
}

/**
 * Debian's Chromium driven by playwright-core, provisioned like the other tools (apt-get when
 * missing; docs/ui.md, "Tests"). Only a machine without apt-get skips the browser tests, and says why.
 */
export const chromiumStatus = await ensureChromium((message) => console.log(`[tools] ${message}`));
if (!chromiumStatus.available) console.warn(`[ui tests] skipped: ${chromiumStatus.reason}`);

export const useBrowser = (): UsedBrowser => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!chromiumStatus.available) return;
    // Root in a container: Chromium's sandbox needs user namespaces it may not have.
    browser = await chromium.launch({ executablePath: chromiumStatus.executablePath, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    newPage: async () => {
      if (!browser) throw new Error('the browser starts in beforeAll');
      const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
      return context.newPage();
    },
  };
};

const ARTEFACTS = path.join(PROJECT_ROOT, '.data', 'ui-screenshots');
const DOCS = path.join(PROJECT_ROOT, 'docs', 'screenshots');

/**
 * Saves a full-page screenshot as a test artefact (.data/ui-screenshots/); with
 * UPDATE_SCREENSHOTS=1 also over the committed copy in docs/screenshots/ that the README shows.
 */
export const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(ARTEFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTEFACTS, `${name}.png`), fullPage: true });
  if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: path.join(DOCS, `${name}.png`), fullPage: true });
};

// Starts headless Chromium the way every Kino browser test does (flags from shared/BROWSER.md).

import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const BASE_URL = process.env.KINO_URL ?? 'http://127.0.0.1:8080';
const ARTIFACTS = process.env.KINO_E2E_ARTIFACTS ?? join(tmpdir(), 'kino-e2e');

const BASE_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/**
 * Opens a fresh browser profile. With `webgpu` (the default) Chromium exposes its software
 * WebGPU adapter (SwiftShader); without it, the page sees no adapter.
 */
export async function openBrowser({ webgpu = true } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'kino-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.KINO_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1100, height: 900 },
    args: [...BASE_FLAGS, ...(webgpu ? ['--enable-unsafe-webgpu'] : [])],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return {
    page,
    /** Uncaught errors and console errors seen so far. */
    problems,
    async screenshot(name) {
      mkdirSync(ARTIFACTS, { recursive: true });
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

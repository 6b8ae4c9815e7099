// A visitor checks where a video came from on /verify, and a tampered copy is called out.

import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';

import { BASE_URL, openBrowser } from './browser.mjs';
import { exportedSample } from './samples.mjs';

test('/verify reads all three marks of an export and calls a changed file tampered', { timeout: 900_000 }, async () => {
  const sample = exportedSample(128, 2);
  const browser = await openBrowser({ webgpu: false });
  const { page } = browser;
  try {
    await page.goto(BASE_URL);
    await page.getByRole('link', { name: 'Verify' }).click();
    await page.getByLabel('Video file (MP4)').setInputFiles(sample.path);
    await page.locator('#verify-result').waitFor({ timeout: 60_000 });
    // Signed by the example's own chain, not this server's: intact but from an unknown signer.
    assert.equal(await page.locator('#verify-c2pa').getAttribute('data-state'), 'valid');
    assert.match(await page.locator('#verify-watermark').innerText(), /^found: id [0-9a-f]{16}, not a video of this Kino$/);
    assert.equal(await page.locator('#verify-visible').innerText(), 'present');
    await browser.screenshot('verify');

    const bytes = readFileSync(sample.path);
    bytes[Math.floor(bytes.length / 2)] ^= 0x40;
    const tampered = `${sample.path}.tampered.mp4`;
    writeFileSync(tampered, bytes);
    await page.getByLabel('Video file (MP4)').setInputFiles(tampered);
    await page.locator('#verify-c2pa').filter({ hasText: 'TAMPERED' }).waitFor({ timeout: 60_000 });
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
    sample.cleanup();
  }
});

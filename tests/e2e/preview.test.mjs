// The in-browser preview: a person types a prompt, presses Preview, and the clip is made in
// their own browser (kino-preview's wasm in a Web Worker, the model's files fetched from the
// server, checked against their hashes and cached): frames on a canvas, sound that is not
// silent, another take from another seed, and the weights read back from the browser's cache
// the next time; "Keep" has the server make that same take, signed, into the library.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { BASE_URL, openBrowser } from './browser.mjs';
import { operatorAccount, signIn } from './operator.mjs';

const MINUTES = 60_000;

/** Waits for the preview to be shown and returns the player's frame 0 and frame 12 as data URLs. */
async function shownFrames(page) {
  const status = page.locator('#preview-status');
  await page.locator('#preview-status[data-stage="ready"], #preview-status[data-stage="failed"]').waitFor({ timeout: 5 * MINUTES });
  assert.equal(await status.getAttribute('data-stage'), 'ready', await status.innerText());
  const player = page.locator('#preview-player');
  await page.locator('#preview-play', { hasText: 'Pause' }).click();
  const frames = [];
  for (const index of ['0', '12']) {
    // Dragging the slider: Playwright cannot fill a range input, so set it as the drag would.
    await page.locator('#preview-frame').evaluate((slider, value) => {
      slider.value = value;
      slider.dispatchEvent(new Event('input', { bubbles: true }));
    }, index);
    await page.locator('#preview-frame-number').filter({ hasText: `frame ${Number(index) + 1} of` }).waitFor();
    frames.push(await page.evaluate(() => document.querySelector('#preview-canvas').toDataURL()));
  }
  return { seed: await player.getAttribute('data-seed'), frames: Number(await player.getAttribute('data-frames')), pictures: frames };
}

test('Preview makes the clip in the browser, with sound, another take, and cached weights', async () => {
  const { email } = operatorAccount('pia');
  const browser = await openBrowser({ webgpu: false });
  const { page } = browser;
  try {
    await signIn(page, email);
    await page.getByRole('link', { name: 'Create' }).click();
    const preview = page.locator('#create-preview');
    // Nothing understood yet, nothing to preview.
    assert.equal(await preview.isDisabled(), true);

    await page.getByLabel('Describe your video').fill('a red rubber ball bounces twice on a wooden floor');
    await page.locator('#create-understood-text').filter({ hasText: 'red' }).waitFor();
    await preview.click();
    await page.locator('#preview-status[data-stage="loading"], #preview-status[data-stage="making"], #preview-status[data-stage="ready"]').waitFor();
    const first = await shownFrames(page);
    assert.equal(first.frames, 24, 'two seconds at 12 fps');
    const info = await page.locator('#preview-info').innerText();
    assert.match(info, /24 frames at 12 fps \(2\.0 s\), 64x64, sound peak -?\d+\.\d dB/);
    assert.match(await page.locator('#preview-status').innerText(), /weights downloaded and checked/);
    // The ball moves: the middle of the clip is not its first frame.
    assert.notEqual(first.pictures[0], first.pictures[1]);
    await browser.screenshot('preview-first-take');

    // Keep: the server makes this take (no pixels sent), with the marks and a signed manifest;
    // the take shown, even after the prompt was edited.
    await page.getByLabel('Describe your video').fill('a green rubber ball bounces twice on a wooden floor');
    await page.locator('#create-understood-text').filter({ hasText: 'green' }).waitFor();
    await page.getByRole('button', { name: 'Keep this take' }).click();
    const result = page.locator('#create-result');
    await result.locator('[data-status="completed"] video.player').waitFor({ timeout: 5 * MINUTES });
    assert.match(await result.locator('#create-result-understood').innerText(), /red rubber ball/);
    assert.match(await result.innerText(), /a red rubber ball bounces twice on a wooden floor/);
    const keptId = await result.getAttribute('data-video-id');
    await browser.screenshot('preview-kept');
    const mp4 = await page.request.get(`${BASE_URL}/api/v1/videos/${keptId}/content`);
    assert.equal(mp4.status(), 200);
    const dir = mkdtempSync(join(tmpdir(), 'kino-kept-'));
    try {
      const file = join(dir, 'kept.mp4');
      writeFileSync(file, await mp4.body());
      await page.getByRole('link', { name: 'Library' }).click();
      await page.locator(`.library-item[data-video-id="${keptId}"]`).waitFor();
      await page.getByRole('link', { name: 'Verify' }).click();
      await page.getByLabel('Video file (MP4)').setInputFiles(file);
      await page.locator('#verify-result').waitFor({ timeout: MINUTES });
      assert.equal(await page.locator('#verify-c2pa').getAttribute('data-state'), 'trusted');
      assert.equal(await page.locator('#verify-watermark').innerText(), `found: video ${keptId} of this Kino`);
      await browser.screenshot('preview-kept-verified');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await page.getByRole('link', { name: 'Create' }).click();
    await page.getByLabel('Describe your video').fill('a red rubber ball bounces twice on a wooden floor');
    await page.locator('#create-understood-text').filter({ hasText: 'red' }).waitFor();
    await preview.click();
    await shownFrames(page);

    await page.getByRole('button', { name: 'Preview another take' }).click();
    const second = await shownFrames(page);
    assert.notEqual(second.seed, first.seed);
    assert.notEqual(second.pictures[0], first.pictures[0], 'another seed draws another clip');
    await browser.screenshot('preview-second-take');

    // A new visit loads the engine again, its weights from the browser's cache.
    await page.reload();
    await page.getByLabel('Describe your video').fill('a blue rubber ball bounces twice on a wooden floor');
    await page.locator('#create-understood-text').filter({ hasText: 'blue' }).waitFor();
    await page.locator('#create-preview').click();
    await shownFrames(page);
    assert.match(await page.locator('#preview-status').innerText(), /weights from this browser's cache/);
    await browser.screenshot('preview-cached');
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});

// Exported videos play in the browser: an MP4 from kino-media (H.264 + Opus, fast start) loads
// in a <video> element in headless Chromium with the right duration and size, and its sound
// track decodes.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { openBrowser } from './browser.mjs';
import { exportedSample } from './samples.mjs';

const SECONDS = 2;
const SIZE = 128;
// Clips smaller than this are exported upscaled (kino-media's MIN_EXPORT_SIDE).
const EXPORTED_SIZE = 512;

test('an exported MP4 plays in <video> with its sound track', { timeout: 900_000 }, async () => {
  const sample = exportedSample(SIZE, SECONDS);
  const browser = await openBrowser({ webgpu: false });
  const { page } = browser;
  try {
    const base64 = readFileSync(sample.path).toString('base64');
    await page.setContent('<!doctype html><title>media</title><video id="v" muted playsinline></video>');
    const result = await page.evaluate(async (data) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const url = URL.createObjectURL(new Blob([bytes], { type: 'video/mp4' }));
      const video = document.getElementById('v');
      const canPlay = video.canPlayType('video/mp4; codecs="avc1.42E01E, opus"');
      await new Promise((resolve, reject) => {
        video.onloadedmetadata = resolve;
        video.onerror = () => reject(new Error(`video error ${video.error?.code}: ${video.error?.message}`));
        video.src = url;
      });
      await video.play();
      await new Promise((resolve) => setTimeout(resolve, 1200));
      video.pause();
      // The sound track on its own, through Web Audio's decoder.
      const audio = await new AudioContext().decodeAudioData(bytes.buffer.slice(0));
      return {
        canPlay,
        duration: video.duration,
        width: video.videoWidth,
        height: video.videoHeight,
        currentTime: video.currentTime,
        videoBytes: video.webkitVideoDecodedByteCount,
        audioBytes: video.webkitAudioDecodedByteCount,
        audioDuration: audio.duration,
        audioChannels: audio.numberOfChannels,
      };
    }, base64);
    assert.notEqual(result.canPlay, '', 'Chromium says it cannot play H.264 + Opus in MP4');
    assert.ok(Math.abs(result.duration - SECONDS) < 0.1, `duration ${result.duration}`);
    assert.equal(result.width, EXPORTED_SIZE);
    assert.equal(result.height, EXPORTED_SIZE);
    assert.ok(result.currentTime > 0.3, `playback did not advance: ${result.currentTime}`);
    assert.ok(result.videoBytes > 0, 'no video decoded');
    assert.ok(result.audioBytes > 0, 'no audio decoded while playing');
    assert.ok(Math.abs(result.audioDuration - SECONDS) < 0.15, `audio duration ${result.audioDuration}`);
    assert.equal(result.audioChannels >= 1, true);
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
    sample.cleanup();
  }
});

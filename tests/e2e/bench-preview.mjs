// `cargo xtask bench preview`, its browser rows: the preview engine as the studio runs it
// (www/preview-worker.js in a Web Worker, kino-preview's SIMD wasm) in headless Chromium:
// loading with a download and from the browser's cache, and a 2 s clip at the preview's steps
// and at the full render's. Prints markdown rows for the table the native rows start.

import { statSync } from 'node:fs';
import { join } from 'node:path';

import { openBrowser } from './browser.mjs';
import { operatorAccount, signIn } from './operator.mjs';

const PROMPT = 'a red rubber ball bounces twice on a wooden floor';

/** In the page: starts the worker, loads kino-2 and times `runs` clips at each of `steps`. */
async function timeEngine(page, slots, steps, runs) {
  return page.evaluate(
    async ({ slots, steps, runs }) => {
      const worker = new Worker('/preview-worker.js', { type: 'module' });
      const next = (type) =>
        new Promise((resolve, reject) => {
          worker.onmessage = (event) => {
            if (event.data.type === 'error') reject(new Error(event.data.message));
            else if (event.data.type === type) resolve(event.data);
          };
        });
      let started = performance.now();
      const loaded = next('loaded');
      worker.postMessage({ type: 'load', manifest: '/api/v1/models/kino-2/preview' });
      const info = await loaded;
      const load = (performance.now() - started) / 1000;
      const times = {};
      let id = 0;
      for (const count of steps) {
        times[count] = [];
        for (let run = 0; run <= runs; run += 1) {
          id += 1;
          const clip = next('clip');
          started = performance.now();
          worker.postMessage({ type: 'generate', id, slots: JSON.stringify(slots), seed: id, steps: count });
          await clip;
          // The first clip warms the engine up.
          if (run > 0) times[count].push((performance.now() - started) / 1000);
        }
      }
      worker.terminate();
      return { load, cached: info.cached, times };
    },
    { slots, steps, runs },
  );
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const { email } = operatorAccount('bench');
const browser = await openBrowser({ webgpu: false });
try {
  const { page } = browser;
  await signIn(page, email);
  const reading = await page.evaluate(async (prompt) => {
    const response = await fetch('/api/v1/understand', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt, model: 'kino-2' }) });
    return response.json();
  }, PROMPT);
  if (!reading.slots) throw new Error(`the reader did not understand the prompt: ${JSON.stringify(reading)}`);
  const first = await timeEngine(page, reading.slots, [4, 16], 3);
  const again = await timeEngine(page, reading.slots, [], 0);
  const where = 'headless Chromium, wasm SIMD, 1 thread';
  console.log(`| kino-2 engine load, weights downloaded and checked | ${where} | ${first.load.toFixed(2)} s |`);
  console.log(`| kino-2 engine load, weights from the browser's cache (${again.cached ? 'all cached' : 'NOT cached'}) | ${where} | ${again.load.toFixed(2)} s |`);
  for (const [steps, times] of Object.entries(first.times)) {
    console.log(`| kino-2, 2 s preview at ${steps} steps (64x64, with sound; median of ${times.length}) | ${where} | ${median(times).toFixed(2)} s |`);
  }
  const studio = process.env.KINO_STUDIO;
  if (studio) {
    const size = (path) => (statSync(join(studio, path)).size / 1e3).toFixed(0);
    console.log(`| first page load: the studio's wasm + JS, gzipped | — | ${size('pkg/kino_studio_bg.wasm.gz')} KB + ${size('pkg/kino_studio.js.gz')} KB |`);
    console.log(`| the preview engine, loaded on the first Preview: wasm + JS, gzipped | — | ${size('preview/kino_preview_bg.wasm.gz')} KB + ${size('preview/kino_preview.js.gz')} KB |`);
  }
  console.log('| WebGPU (burn wgpu) in the page | — | not built yet: the engine runs on the CPU path only |');
} finally {
  await browser.close();
}

// The preview engine's Web Worker: loads kino-preview's wasm and a model's files off the page's
// thread, then makes clips on request. The studio starts it only when a preview is asked for, so
// the first page load carries none of this.
//
// Messages in:  {type: 'load', manifest: URL}       a model's preview manifest (its files and
//                                                    their sha256)
//               {type: 'generate', id, slots, seed, steps?}  slots: JSON of the reader's ClipSlots;
//                                                    steps: the manifest's when absent
// Messages out: {type: 'loading', fraction}         bytes of the files so far
//               {type: 'loaded', model, seconds, cached}
//               {type: 'progress', id, fraction}
//               {type: 'clip', id, seed, steps, width, height, fps, frames, rgba, audio, sampleRate,
//                seconds}
//               {type: 'error', id, message}

import init, { PreviewEngine } from './preview/kino_preview.js';

const CACHE = 'kino-preview-weights';
let engine = null;
let previewSteps = 4;
// The engine's loading, which every clip asked for meanwhile waits on (and fails with).
let loading = null;

self.onmessage = async (event) => {
  const message = event.data;
  try {
    if (message.type === 'load') {
      loading = load(message.manifest);
      await loading;
    } else if (message.type === 'generate') {
      if (!loading) throw new Error('the preview engine was not asked to load a model');
      await loading;
      generate(message);
    }
  } catch (error) {
    self.postMessage({ type: 'error', id: message.id ?? null, message: String(error?.message ?? error) });
  }
};

async function load(manifestUrl) {
  const started = performance.now();
  await init({ module_or_path: new URL('./preview/kino_preview_bg.wasm', import.meta.url) });
  const base = new URL(manifestUrl, self.location.href);
  const manifest = await (await fetch(base)).json();
  if (!manifest.files) throw new Error(manifest.error?.message ?? `no preview manifest at ${manifestUrl}`);
  const total = manifest.files.reduce((sum, f) => sum + f.size, 0);
  let done = 0;
  let cached = true;
  const bytes = [];
  for (const file of manifest.files) {
    const { data, fromCache } = await fetchChecked(new URL(file.url, base), file.sha256);
    cached &&= fromCache;
    bytes.push(data);
    done += file.size;
    self.postMessage({ type: 'loading', fraction: total ? done / total : 1 });
  }
  previewSteps = manifest.steps;
  engine = new PreviewEngine(manifest.config, manifest.files.map((f) => f.name), bytes);
  self.postMessage({ type: 'loaded', model: engine.model, seconds: (performance.now() - started) / 1000, cached });
}

// A file's bytes, from the browser's cache when a copy with the same hash is there, else from
// the server (then cached). Either way the bytes are checked against the hash.
async function fetchChecked(url, sha256) {
  const key = `${url.pathname}?sha256=${sha256}`;
  const cache = await caches.open(CACHE).catch(() => null);
  const hit = cache ? await cache.match(key) : undefined;
  if (hit) {
    const data = new Uint8Array(await hit.arrayBuffer());
    if ((await hex(data)) === sha256) return { data, fromCache: true };
    await cache.delete(key);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: ${response.status} ${response.statusText}`);
  const data = new Uint8Array(await response.arrayBuffer());
  const got = await hex(data);
  if (got !== sha256) throw new Error(`${url.pathname} arrived damaged (sha256 ${got}, expected ${sha256})`);
  // A full disk or a private window only costs the next visit a download.
  await cache?.put(key, new Response(data)).catch(() => {});
  return { data, fromCache: false };
}

async function hex(data) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

function generate({ id, slots, seed, steps = previewSteps }) {
  const started = performance.now();
  const clip = engine.generate(slots, BigInt(seed), steps, (fraction) => self.postMessage({ type: 'progress', id, fraction }));
  const rgba = clip.rgba();
  const audio = clip.audio();
  self.postMessage(
    {
      type: 'clip',
      id,
      seed,
      steps,
      width: clip.width,
      height: clip.height,
      fps: clip.fps,
      frames: clip.frames,
      rgba,
      audio,
      sampleRate: clip.sample_rate,
      seconds: (performance.now() - started) / 1000,
    },
    [rgba.buffer, audio.buffer],
  );
  clip.free();
}

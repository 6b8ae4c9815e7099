// Test material: a real MP4 made by kino-media's export (H.264 + Opus, watermarked, signed by
// the example's own C2PA chain), from KINO_MEDIA_SAMPLE when set or made on the spot.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function exportedSample(size, seconds) {
  if (process.env.KINO_MEDIA_SAMPLE) return { path: process.env.KINO_MEDIA_SAMPLE, cleanup() {} };
  const dir = mkdtempSync(join(tmpdir(), 'kino-media-'));
  execFileSync(process.env.CARGO ?? 'cargo', ['run', '-q', '-p', 'kino-media', '--example', 'export_demo', '--', dir, `${size}`, `${size}`, `${seconds}`], {
    cwd: join(import.meta.dirname, '..', '..'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { path: join(dir, 'clip.mp4'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

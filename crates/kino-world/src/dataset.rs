//! Streaming many clips into shard files, and reading them back.
//!
//! A shard (`shard-00000.kws`) is a sequence of records, each:
//! `b"KWCLIP01"`, a little-endian `u32` JSON length and the JSON ([`ClipMeta`]: scene,
//! captions, labels), then `frames * height * width * 3` RGB bytes, then `samples` 16-bit
//! PCM samples (little-endian). `index.json` lists the shards and their seeds. Clips are
//! written as they are made, so memory stays flat however many are asked for.

use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use kino_core::scene::Scene;
use serde::{Deserialize, Serialize};

use crate::error::WorldError;
use crate::labels::Labels;
use crate::render::Frame;
use crate::sample::{Distribution, sample};
use crate::{Clip, RenderSettings, render_clip};

const MAGIC: &[u8; 8] = b"KWCLIP01";

/// Everything about a stored clip except its pixels and samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClipMeta {
    pub seed: u64,
    pub width: u32,
    pub height: u32,
    pub frames: usize,
    pub samples: usize,
    pub scene: Scene,
    pub captions: Vec<String>,
    pub labels: Labels,
}

/// One shard's entry in `index.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardEntry {
    pub file: String,
    pub clips: usize,
    pub first_seed: u64,
}

/// `index.json`: how a dataset was made and where its clips are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatasetIndex {
    pub clips: usize,
    pub settings: RenderSettings,
    pub distribution: Distribution,
    pub shards: Vec<ShardEntry>,
}

/// Options for [`write_dataset`].
#[derive(Debug, Clone)]
pub struct DatasetOptions {
    pub count: usize,
    pub first_seed: u64,
    pub clips_per_shard: usize,
    pub settings: RenderSettings,
    pub distribution: Distribution,
    /// Show an indicatif progress bar on stderr.
    pub progress: bool,
}

/// Append one clip record to `w`.
pub fn write_record(w: &mut impl Write, seed: u64, clip: &Clip) -> std::io::Result<()> {
    let (width, height) = clip.frames.first().map_or((0, 0), |f| (f.width, f.height));
    let meta = ClipMeta {
        seed,
        width,
        height,
        frames: clip.frames.len(),
        samples: clip.audio.len(),
        scene: clip.scene.clone(),
        captions: clip.captions.clone(),
        labels: clip.labels.clone(),
    };
    let json = serde_json::to_vec(&meta)?;
    w.write_all(MAGIC)?;
    w.write_all(&(json.len() as u32).to_le_bytes())?;
    w.write_all(&json)?;
    for f in &clip.frames {
        w.write_all(&f.rgb)?;
    }
    let mut pcm = Vec::with_capacity(clip.audio.len() * 2);
    for s in &clip.audio {
        pcm.extend_from_slice(&((s.clamp(-1.0, 1.0) * 32767.0).round() as i16).to_le_bytes());
    }
    w.write_all(&pcm)
}

/// Make `opts.count` clips from consecutive seeds and write them into `dir`.
pub fn write_dataset(dir: &Path, opts: &DatasetOptions) -> Result<DatasetIndex, WorldError> {
    fs::create_dir_all(dir).map_err(|e| WorldError::io(dir, e))?;
    let per = opts.clips_per_shard.max(1);
    let bar = if opts.progress { ProgressBar::new(opts.count as u64) } else { ProgressBar::hidden() };
    if let Ok(style) = ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} clips ({per_sec}, eta {eta})") {
        bar.set_style(style);
    }
    let mut index = DatasetIndex { clips: 0, settings: opts.settings, distribution: opts.distribution.clone(), shards: Vec::new() };
    let mut writer: Option<(PathBuf, BufWriter<File>)> = None;
    for k in 0..opts.count {
        let seed = opts.first_seed.wrapping_add(k as u64);
        if k % per == 0 {
            if let Some((path, mut w)) = writer.take() {
                w.flush().map_err(|e| WorldError::io(&path, e))?;
            }
            let name = format!("shard-{:05}.kws", k / per);
            let path = dir.join(&name);
            let file = File::create(&path).map_err(|e| WorldError::io(&path, e))?;
            writer = Some((path, BufWriter::new(file)));
            index.shards.push(ShardEntry { file: name, clips: 0, first_seed: seed });
        }
        let scene = sample(seed, &opts.distribution);
        let clip = render_clip(&scene, &opts.settings)?;
        if let Some((path, w)) = writer.as_mut() {
            write_record(w, seed, &clip).map_err(|e| WorldError::io(&*path, e))?;
        }
        if let Some(s) = index.shards.last_mut() {
            s.clips += 1;
        }
        index.clips += 1;
        bar.inc(1);
    }
    if let Some((path, mut w)) = writer.take() {
        w.flush().map_err(|e| WorldError::io(&path, e))?;
    }
    bar.finish();
    let p = dir.join("index.json");
    fs::write(&p, serde_json::to_vec_pretty(&index)?).map_err(|e| WorldError::io(&p, e))?;
    Ok(index)
}

/// Reads the clips of one shard in order.
pub struct ShardReader {
    path: PathBuf,
    r: BufReader<File>,
}

impl ShardReader {
    pub fn open(path: &Path) -> Result<Self, WorldError> {
        let f = File::open(path).map_err(|e| WorldError::io(path, e))?;
        Ok(ShardReader { path: path.to_path_buf(), r: BufReader::new(f) })
    }

    fn bad(&self, reason: impl Into<String>) -> WorldError {
        WorldError::Shard { path: self.path.display().to_string(), reason: reason.into() }
    }

    /// The next clip, or `None` at the end of the shard.
    pub fn next_clip(&mut self) -> Result<Option<(ClipMeta, Clip)>, WorldError> {
        let mut magic = [0u8; 8];
        match self.r.read_exact(&mut magic) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
            Err(e) => return Err(WorldError::io(&self.path, e)),
        }
        if &magic != MAGIC {
            return Err(self.bad("record does not start with KWCLIP01"));
        }
        let mut len = [0u8; 4];
        self.r.read_exact(&mut len).map_err(|e| WorldError::io(&self.path, e))?;
        let mut json = vec![0u8; u32::from_le_bytes(len) as usize];
        self.r.read_exact(&mut json).map_err(|e| WorldError::io(&self.path, e))?;
        let meta: ClipMeta = serde_json::from_slice(&json).map_err(|e| self.bad(format!("metadata: {e}")))?;
        let frame_len = meta.width as usize * meta.height as usize * 3;
        let mut frames = Vec::with_capacity(meta.frames);
        for _ in 0..meta.frames {
            let mut rgb = vec![0u8; frame_len];
            self.r.read_exact(&mut rgb).map_err(|e| WorldError::io(&self.path, e))?;
            frames.push(Frame { width: meta.width, height: meta.height, rgb });
        }
        let mut pcm = vec![0u8; meta.samples * 2];
        self.r.read_exact(&mut pcm).map_err(|e| WorldError::io(&self.path, e))?;
        let audio = pcm.chunks_exact(2).map(|b| f32::from(i16::from_le_bytes([b[0], b[1]])) / 32767.0).collect();
        // Slots are read off the simulation again, so shards written before slots existed hold them too.
        let sim = crate::physics::simulate(&meta.scene, meta.frames as f64 / f64::from(meta.labels.fps));
        let slots = crate::slots::slots(&meta.scene, &sim);
        let clip = Clip { scene: meta.scene.clone(), frames, audio, captions: meta.captions.clone(), labels: meta.labels.clone(), slots };
        Ok(Some((meta, clip)))
    }
}

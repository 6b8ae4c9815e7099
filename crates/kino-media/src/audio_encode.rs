//! Opus encoding with a pure-Rust encoder (opus-rs, a port of libopus): mono PCM in, one packet
//! per 20 ms out. Chromium plays Opus from MP4 (see shared/BROWSER.md), and Opus at 32 kbit/s
//! is transparent enough for 16 kHz generated sound.

use opus_rs::{Application, OpusEncoder};

use crate::MediaError;

/// Milliseconds of sound per packet.
pub const PACKET_MS: u32 = 20;
/// Bits per second.
pub const BITRATE: i32 = 32_000;

/// One Opus packet and where it starts, in seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioPacket {
    pub pts: f64,
    pub data: Vec<u8>,
}

/// Encodes `samples` (mono, `sample_rate` Hz) to exactly `duration_s` seconds of Opus, padding
/// with silence or cutting as needed.
pub fn encode_opus(samples: &[f32], sample_rate: u32, duration_s: f64) -> Result<Vec<AudioPacket>, MediaError> {
    let rate = i32::try_from(sample_rate).map_err(|_| MediaError::Audio(format!("sample rate {sample_rate} is out of range")))?;
    let mut encoder = OpusEncoder::new(rate, 1, Application::Audio).map_err(|e| MediaError::Audio(e.to_string()))?;
    encoder.bitrate_bps = BITRATE;
    encoder.use_cbr = false;
    let frame = (sample_rate * PACKET_MS / 1000) as usize;
    let total = (duration_s * f64::from(sample_rate)).round() as usize;
    let packets = total.div_ceil(frame).max(1);
    let mut out = Vec::with_capacity(packets);
    let mut pcm = vec![0f32; frame];
    let mut buf = vec![0u8; 4000];
    for p in 0..packets {
        for (i, s) in pcm.iter_mut().enumerate() {
            let n = p * frame + i;
            *s = if n < total { samples.get(n).copied().unwrap_or(0.0).clamp(-1.0, 1.0) } else { 0.0 };
        }
        let len = encoder.encode(&pcm, frame, &mut buf).map_err(|e| MediaError::Audio(e.to_string()))?;
        if len == 0 {
            return Err(MediaError::Audio("the encoder produced an empty packet".into()));
        }
        out.push(AudioPacket { pts: (p * frame) as f64 / f64::from(sample_rate), data: buf[..len].to_vec() });
    }
    Ok(out)
}

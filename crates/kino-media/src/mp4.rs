//! Writing the MP4: H.264 video and Opus audio muxed with `muxide`, `moov` before `mdat`
//! ("fast start") so a browser can start playing before the whole file has arrived.

use muxide::api::{AudioCodec, Metadata, MuxerBuilder, VideoCodec};

use crate::MediaError;
use crate::audio_encode::AudioPacket;
use crate::video_encode::EncodedFrame;

/// Muxes coded video (at `fps`) and Opus packets into an MP4 held in memory.
pub fn mux(width: u32, height: u32, fps: f32, video: &[EncodedFrame], audio: &[AudioPacket], title: &str) -> Result<Vec<u8>, MediaError> {
    let err = |e: muxide::api::MuxerError| MediaError::Container(e.to_string());
    let mut out = Vec::new();
    let mut builder = MuxerBuilder::new(&mut out)
        .video(VideoCodec::H264, width, height, f64::from(fps))
        .with_fast_start(true)
        .with_metadata(Metadata::new().with_title(title));
    if !audio.is_empty() {
        builder = builder.audio(AudioCodec::Opus, 48_000, 1);
    }
    let mut muxer = builder.build().map_err(err)?;
    // Interleave by time so a player reading front to back finds both streams together.
    let mut a = audio.iter().peekable();
    for (i, frame) in video.iter().enumerate() {
        let pts = i as f64 / f64::from(fps);
        muxer.write_video(pts, &frame.data, frame.keyframe).map_err(err)?;
        let next = (i + 1) as f64 / f64::from(fps);
        while let Some(p) = a.next_if(|p| p.pts < next || i + 1 == video.len()) {
            muxer.write_audio(p.pts, &p.data).map_err(err)?;
        }
    }
    muxer.finish().map_err(err)?;
    Ok(out)
}

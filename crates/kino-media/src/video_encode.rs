//! H.264 encoding with OpenH264 (built from its bundled source): YUV 4:2:0 pictures in, one
//! Annex B access unit per picture out. Constrained Baseline profile, which every browser plays.

use openh264::OpenH264API;
use openh264::encoder::{BitRate, Complexity, Encoder, EncoderConfig, FrameRate, FrameType, IntraFramePeriod, QpRange, RateControlMode, UsageType};
use openh264::formats::YUVBuffer;

use crate::MediaError;
use crate::frame::Yuv420;

/// How hard to compress.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VideoSettings {
    /// Quantiser range (0 best to 51 worst) the rate control may use.
    pub qp_min: u8,
    pub qp_max: u8,
    /// Target bits per pixel per frame (the bitrate follows the frame size and rate).
    pub bits_per_pixel: f32,
    /// A keyframe at least this often, in seconds (seeking and scrubbing start at keyframes).
    pub keyframe_interval_s: f32,
}

impl VideoSettings {
    /// Kino's export quality: visually clean at 64x64 and at 1080p.
    pub const EXPORT: VideoSettings = VideoSettings { qp_min: 14, qp_max: 26, bits_per_pixel: 0.25, keyframe_interval_s: 2.0 };
    /// A deliberately poor re-encode, as a sharing site squeezing bandwidth would make.
    pub const LOW: VideoSettings = VideoSettings { qp_min: 34, qp_max: 42, bits_per_pixel: 0.03, keyframe_interval_s: 4.0 };
}

/// One coded picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedFrame {
    /// Annex B bytes (start-code prefixed NAL units; keyframes carry SPS and PPS).
    pub data: Vec<u8>,
    pub keyframe: bool,
}

/// An encoder for one stream of pictures of one size.
pub struct VideoEncoder {
    encoder: Encoder,
}

impl std::fmt::Debug for VideoEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VideoEncoder")
    }
}

impl VideoEncoder {
    /// An encoder for `width x height` (even) pictures at `fps`.
    pub fn new(width: usize, height: usize, fps: f32, settings: VideoSettings) -> Result<VideoEncoder, MediaError> {
        if settings.qp_min > settings.qp_max || settings.qp_max > 51 {
            return Err(MediaError::InvalidOptions(format!("quantiser range {}..{} must lie in 0..=51", settings.qp_min, settings.qp_max)));
        }
        let bps = (width as f32 * height as f32 * fps * settings.bits_per_pixel).clamp(50_000.0, 50_000_000.0) as u32;
        let gop = (settings.keyframe_interval_s * fps).round().max(1.0) as u32;
        let config = EncoderConfig::new()
            .bitrate(BitRate::from_bps(bps))
            .max_frame_rate(FrameRate::from_hz(fps))
            .rate_control_mode(RateControlMode::Bitrate)
            .skip_frames(false)
            .usage_type(UsageType::CameraVideoRealTime)
            .complexity(Complexity::Medium)
            .qp(QpRange::new(settings.qp_min, settings.qp_max))
            .intra_frame_period(IntraFramePeriod::from_num_frames(gop))
            .scene_change_detect(false)
            .background_detection(false)
            .num_threads(1);
        let encoder = Encoder::with_api_config(OpenH264API::from_source(), config).map_err(|e| MediaError::Video(e.to_string()))?;
        Ok(VideoEncoder { encoder })
    }

    /// Codes one picture.
    pub fn encode(&mut self, picture: &Yuv420) -> Result<EncodedFrame, MediaError> {
        let buffer = YUVBuffer::from_vec(picture.to_i420(), picture.width, picture.height);
        let stream = self.encoder.encode(&buffer).map_err(|e| MediaError::Video(e.to_string()))?;
        let keyframe = matches!(stream.frame_type(), FrameType::IDR | FrameType::I);
        let data = stream.to_vec();
        if data.is_empty() {
            return Err(MediaError::Video("the encoder skipped a frame".into()));
        }
        Ok(EncodedFrame { data, keyframe })
    }
}

/// Codes a whole sequence.
pub fn encode_all(pictures: &[Yuv420], fps: f32, settings: VideoSettings) -> Result<Vec<EncodedFrame>, MediaError> {
    let Some(first) = pictures.first() else { return Ok(Vec::new()) };
    let mut enc = VideoEncoder::new(first.width, first.height, fps, settings)?;
    pictures.iter().map(|p| enc.encode(p)).collect()
}

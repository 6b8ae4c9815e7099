//! Reading an MP4 back: just enough ISO-BMFF parsing to find the H.264 track (its parameter
//! sets and sample positions) and whether there is a sound track. Every read is bounds-checked;
//! a damaged file gives an error, never a panic.

use crate::MediaError;

/// What the file holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Movie {
    /// The first H.264 track, if any.
    pub video: Option<VideoTrack>,
    /// Sample entry codes of the sound tracks (`Opus`, `mp4a`, ...).
    pub audio_codecs: Vec<String>,
}

/// An H.264 track.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct VideoTrack {
    pub width: u32,
    pub height: u32,
    pub timescale: u32,
    /// Total duration in `timescale` units.
    pub duration: u64,
    pub sps: Vec<Vec<u8>>,
    pub pps: Vec<Vec<u8>>,
    /// Bytes of each NAL length prefix (1, 2 or 4).
    pub length_size: usize,
    /// (file offset, size) of every sample, in decode order.
    pub samples: Vec<(u64, u32)>,
}

impl VideoTrack {
    /// Frames per second, from the duration.
    pub fn fps(&self) -> f32 {
        if self.duration == 0 || self.timescale == 0 { 0.0 } else { (self.samples.len() as f64 * f64::from(self.timescale) / self.duration as f64) as f32 }
    }

    /// Every sample as an Annex B access unit (parameter sets before the first).
    pub fn access_units(&self, file: &[u8]) -> Result<Vec<Vec<u8>>, MediaError> {
        let mut out = Vec::with_capacity(self.samples.len());
        for (i, &(offset, size)) in self.samples.iter().enumerate() {
            let start = usize::try_from(offset).map_err(|_| bad("sample offset"))?;
            let data = file.get(start..start + size as usize).ok_or_else(|| bad("sample outside the file"))?;
            let mut unit = Vec::with_capacity(data.len() + 64);
            if i == 0 {
                for ps in self.sps.iter().chain(&self.pps) {
                    unit.extend_from_slice(&[0, 0, 0, 1]);
                    unit.extend_from_slice(ps);
                }
            }
            let mut pos = 0;
            while pos + self.length_size <= data.len() {
                let len = data[pos..pos + self.length_size].iter().fold(0usize, |a, &b| (a << 8) | usize::from(b));
                pos += self.length_size;
                let nal = data.get(pos..pos + len).ok_or_else(|| bad("NAL unit longer than its sample"))?;
                unit.extend_from_slice(&[0, 0, 0, 1]);
                unit.extend_from_slice(nal);
                pos += len;
            }
            out.push(unit);
        }
        Ok(out)
    }
}

fn bad(what: &str) -> MediaError {
    MediaError::Container(format!("damaged MP4: {what}"))
}

/// One box: its type and payload range in the buffer.
struct BoxRef<'a> {
    kind: [u8; 4],
    body: &'a [u8],
    /// Offset of `body` in the whole file.
    at: usize,
}

fn boxes(buf: &[u8], base: usize) -> Result<Vec<BoxRef<'_>>, MediaError> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    while pos + 8 <= buf.len() {
        let size32 = u32::from_be_bytes([buf[pos], buf[pos + 1], buf[pos + 2], buf[pos + 3]]) as usize;
        let kind = [buf[pos + 4], buf[pos + 5], buf[pos + 6], buf[pos + 7]];
        let (header, size) = match size32 {
            0 => (8, buf.len() - pos),
            1 => {
                let b = buf.get(pos + 8..pos + 16).ok_or_else(|| bad("truncated box header"))?;
                let s = u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
                (16, usize::try_from(s).map_err(|_| bad("box too large"))?)
            }
            s => (8, s),
        };
        if size < header || pos + size > buf.len() {
            return Err(bad("box runs past its parent"));
        }
        out.push(BoxRef { kind, body: &buf[pos + header..pos + size], at: base + pos + header });
        pos += size;
    }
    Ok(out)
}

fn child<'a>(list: &'a [BoxRef<'a>], kind: &[u8; 4]) -> Option<&'a BoxRef<'a>> {
    list.iter().find(|b| &b.kind == kind)
}

fn u16_at(b: &[u8], i: usize) -> Result<u16, MediaError> {
    b.get(i..i + 2).map(|s| u16::from_be_bytes([s[0], s[1]])).ok_or_else(|| bad("short field"))
}

fn u32_at(b: &[u8], i: usize) -> Result<u32, MediaError> {
    b.get(i..i + 4).map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]])).ok_or_else(|| bad("short field"))
}

fn u64_at(b: &[u8], i: usize) -> Result<u64, MediaError> {
    Ok((u64::from(u32_at(b, i)?) << 32) | u64::from(u32_at(b, i + 4)?))
}

/// Parses the file's `moov`.
pub fn parse(file: &[u8]) -> Result<Movie, MediaError> {
    let top = boxes(file, 0)?;
    let moov = child(&top, b"moov").ok_or_else(|| bad("no moov box"))?;
    let mut movie = Movie::default();
    for trak in boxes(moov.body, moov.at)?.iter().filter(|b| &b.kind == b"trak") {
        let trak_children = boxes(trak.body, trak.at)?;
        let Some(mdia) = child(&trak_children, b"mdia") else { continue };
        let mdia_children = boxes(mdia.body, mdia.at)?;
        let handler = child(&mdia_children, b"hdlr").and_then(|h| h.body.get(8..12)).map(|s| [s[0], s[1], s[2], s[3]]);
        let (timescale, duration) = match child(&mdia_children, b"mdhd") {
            Some(m) if m.body.first() == Some(&1) => (u32_at(m.body, 20)?, u64_at(m.body, 24)?),
            Some(m) => (u32_at(m.body, 12)?, u64::from(u32_at(m.body, 16)?)),
            None => (0, 0),
        };
        let Some(minf) = child(&mdia_children, b"minf") else { continue };
        let minf_children = boxes(minf.body, minf.at)?;
        let Some(stbl) = child(&minf_children, b"stbl") else { continue };
        let stbl_children = boxes(stbl.body, stbl.at)?;
        let Some(stsd) = child(&stbl_children, b"stsd") else { continue };
        let entries = boxes(stsd.body.get(8..).ok_or_else(|| bad("short stsd"))?, stsd.at + 8)?;
        let Some(entry) = entries.first() else { continue };
        match handler.as_ref() {
            Some(b"soun") => movie.audio_codecs.push(String::from_utf8_lossy(&entry.kind).into_owned()),
            Some(b"vide") if &entry.kind == b"avc1" && movie.video.is_none() => {
                let mut track = VideoTrack { timescale, duration, ..VideoTrack::default() };
                track.width = u32::from(u16_at(entry.body, 24)?);
                track.height = u32::from(u16_at(entry.body, 26)?);
                let inner = boxes(entry.body.get(78..).ok_or_else(|| bad("short avc1"))?, entry.at + 78)?;
                let avcc = child(&inner, b"avcC").ok_or_else(|| bad("avc1 without avcC"))?;
                parse_avcc(avcc.body, &mut track)?;
                track.samples = sample_table(&stbl_children)?;
                movie.video = Some(track);
            }
            _ => {}
        }
    }
    Ok(movie)
}

fn parse_avcc(b: &[u8], track: &mut VideoTrack) -> Result<(), MediaError> {
    track.length_size = usize::from(b.get(4).ok_or_else(|| bad("short avcC"))? & 3) + 1;
    let mut pos = 5;
    let count = usize::from(b.get(pos).ok_or_else(|| bad("short avcC"))? & 0x1f);
    pos += 1;
    for _ in 0..count {
        let len = usize::from(u16_at(b, pos)?);
        track.sps.push(b.get(pos + 2..pos + 2 + len).ok_or_else(|| bad("short SPS"))?.to_vec());
        pos += 2 + len;
    }
    let count = usize::from(*b.get(pos).ok_or_else(|| bad("short avcC"))?);
    pos += 1;
    for _ in 0..count {
        let len = usize::from(u16_at(b, pos)?);
        track.pps.push(b.get(pos + 2..pos + 2 + len).ok_or_else(|| bad("short PPS"))?.to_vec());
        pos += 2 + len;
    }
    Ok(())
}

fn sample_table(stbl: &[BoxRef<'_>]) -> Result<Vec<(u64, u32)>, MediaError> {
    let stsz = child(stbl, b"stsz").ok_or_else(|| bad("no stsz"))?.body;
    let fixed = u32_at(stsz, 4)?;
    let count = u32_at(stsz, 8)? as usize;
    if count > 10_000_000 {
        return Err(bad("too many samples"));
    }
    let sizes: Vec<u32> = if fixed != 0 { vec![fixed; count] } else { (0..count).map(|i| u32_at(stsz, 12 + 4 * i)).collect::<Result<_, _>>()? };
    let chunks: Vec<u64> = if let Some(stco) = child(stbl, b"stco") {
        let n = u32_at(stco.body, 4)? as usize;
        (0..n).map(|i| u32_at(stco.body, 8 + 4 * i).map(u64::from)).collect::<Result<_, _>>()?
    } else if let Some(co64) = child(stbl, b"co64") {
        let n = u32_at(co64.body, 4)? as usize;
        (0..n).map(|i| u64_at(co64.body, 8 + 8 * i)).collect::<Result<_, _>>()?
    } else {
        return Err(bad("no chunk offsets"));
    };
    let stsc = child(stbl, b"stsc").ok_or_else(|| bad("no stsc"))?.body;
    let runs: Vec<(u32, u32)> =
        (0..u32_at(stsc, 4)? as usize).map(|i| Ok((u32_at(stsc, 8 + 12 * i)?, u32_at(stsc, 12 + 12 * i)?))).collect::<Result<_, MediaError>>()?;
    let mut out = Vec::with_capacity(count);
    let mut sample = 0usize;
    for (c, &chunk_offset) in chunks.iter().enumerate() {
        let chunk_no = c as u32 + 1;
        let per_chunk = runs.iter().rev().find(|r| r.0 <= chunk_no).map_or(0, |r| r.1);
        let mut offset = chunk_offset;
        for _ in 0..per_chunk {
            let Some(&size) = sizes.get(sample) else { break };
            out.push((offset, size));
            offset += u64::from(size);
            sample += 1;
        }
    }
    Ok(out)
}

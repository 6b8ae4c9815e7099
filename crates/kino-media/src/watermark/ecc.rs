//! Error correction for the 64-bit payload: a CRC-24 (OpenPGP polynomial) says whether a
//! decode is right, and a rate-1/2, constraint-length-7 convolutional code (the 171/133 code of
//! Voyager and 802.11) with a soft-decision Viterbi decoder corrects the bits noise flipped.
//!
//! 64 payload bits + 24 CRC bits + 6 tail bits = 94 inputs, 188 coded bits.

/// Payload bits.
pub const PAYLOAD_BITS: usize = 64;
/// CRC bits appended to the payload.
pub const CRC_BITS: usize = 24;
const K: usize = 7;
const TAIL: usize = K - 1;
const INPUT_BITS: usize = PAYLOAD_BITS + CRC_BITS + TAIL;
/// Coded bits per message.
pub const CODED_BITS: usize = INPUT_BITS * 2;
const G0: u32 = 0o171;
const G1: u32 = 0o133;
const STATES: usize = 1 << (K - 1);

/// CRC-24/OpenPGP of the 64-bit payload (big-endian bytes).
pub fn crc24(payload: u64) -> u32 {
    let mut crc: u32 = 0x00B7_04CE;
    for byte in payload.to_be_bytes() {
        crc ^= u32::from(byte) << 16;
        for _ in 0..8 {
            crc <<= 1;
            if crc & 0x0100_0000 != 0 {
                crc ^= 0x0186_4CFB;
            }
        }
    }
    crc & 0x00FF_FFFF
}

fn message_bits(payload: u64) -> Vec<u8> {
    let crc = crc24(payload);
    let mut bits = Vec::with_capacity(INPUT_BITS);
    bits.extend((0..PAYLOAD_BITS).rev().map(|i| ((payload >> i) & 1) as u8));
    bits.extend((0..CRC_BITS).rev().map(|i| ((crc >> i) & 1) as u8));
    bits.extend(std::iter::repeat_n(0, TAIL));
    bits
}

fn parity(v: u32) -> u8 {
    (v.count_ones() & 1) as u8
}

/// The 188 coded bits (0 or 1) for `payload`.
pub fn encode(payload: u64) -> Vec<u8> {
    let mut reg: u32 = 0;
    let mut out = Vec::with_capacity(CODED_BITS);
    for b in message_bits(payload) {
        reg = ((reg << 1) | u32::from(b)) & ((1 << K) - 1);
        out.push(parity(reg & G0));
        out.push(parity(reg & G1));
    }
    out
}

/// What the decoder made of the soft bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decoded {
    /// The most likely payload, right or wrong.
    pub payload: u64,
    /// Whether the decoded CRC matches the decoded payload.
    pub crc_ok: bool,
}

/// Soft-decision Viterbi: `soft[i] > 0` means coded bit `i` is more likely 1, and its size says
/// how sure. `soft` must hold [`CODED_BITS`] values.
pub fn decode(soft: &[f32]) -> Decoded {
    let steps = soft.len().min(CODED_BITS) / 2;
    let mut metric = [f32::NEG_INFINITY; STATES];
    metric[0] = 0.0;
    // survivors[t][state] = previous state
    let mut survivors = vec![[0u8; STATES]; steps];
    let mut inputs = vec![[0u8; STATES]; steps];
    for t in 0..steps {
        let (s0, s1) = (soft[2 * t], soft[2 * t + 1]);
        let mut next = [f32::NEG_INFINITY; STATES];
        for (state, &m) in metric.iter().enumerate() {
            if m == f32::NEG_INFINITY {
                continue;
            }
            let inputs_allowed: &[u32] = if t >= PAYLOAD_BITS + CRC_BITS { &[0] } else { &[0, 1] };
            for &bit in inputs_allowed {
                let reg = ((state as u32) << 1) | bit;
                let c0 = f32::from(parity(reg & G0)) * 2.0 - 1.0;
                let c1 = f32::from(parity(reg & G1)) * 2.0 - 1.0;
                let ns = (reg as usize) & (STATES - 1);
                let cand = m + c0 * s0 + c1 * s1;
                if cand > next[ns] {
                    next[ns] = cand;
                    survivors[t][ns] = state as u8;
                    inputs[t][ns] = bit as u8;
                }
            }
        }
        metric = next;
    }
    // Trace back from the best state (state 0 after a full tail).
    let mut state = if steps == INPUT_BITS { 0 } else { metric.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map_or(0, |(i, _)| i) };
    let mut bits = vec![0u8; steps];
    for t in (0..steps).rev() {
        bits[t] = inputs[t][state];
        state = usize::from(survivors[t][state]);
    }
    let word = |range: std::ops::Range<usize>| bits[range].iter().fold(0u64, |acc, &b| (acc << 1) | u64::from(b));
    let payload = word(0..PAYLOAD_BITS.min(steps));
    let crc_ok = steps >= PAYLOAD_BITS + CRC_BITS && word(PAYLOAD_BITS..PAYLOAD_BITS + CRC_BITS) == u64::from(crc24(payload));
    Decoded { payload, crc_ok }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn soft(bits: &[u8]) -> Vec<f32> {
        bits.iter().map(|&b| if b == 1 { 1.0 } else { -1.0 }).collect()
    }

    #[test]
    fn clean_round_trip() {
        for p in [0u64, u64::MAX, 0x0123_4567_89AB_CDEF] {
            let coded = encode(p);
            assert_eq!(coded.len(), CODED_BITS);
            assert_eq!(decode(&soft(&coded)), Decoded { payload: p, crc_ok: true });
        }
    }

    #[test]
    fn corrects_scattered_errors() {
        let p = 0xDEAD_BEEF_F00D_CAFE;
        let mut s = soft(&encode(p));
        for i in (3..CODED_BITS).step_by(11) {
            s[i] = -s[i];
        }
        assert_eq!(decode(&s), Decoded { payload: p, crc_ok: true });
    }

    #[test]
    fn noise_fails_the_crc() {
        let s: Vec<f32> = (0..CODED_BITS).map(|i| ((i * 7919) % 13) as f32 - 6.0).collect();
        assert!(!decode(&s).crc_ok);
    }
}

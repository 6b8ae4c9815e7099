//! Where things sit in the 16x16 tile: which cells synchronise and with which sign, and which
//! coded bit every other cell carries with which sign. All of it comes from the key.

use super::GRID;
use super::ecc::CODED_BITS;
use super::key::WatermarkKey;

/// Synchronisation cells per tile.
pub const SYNC_CELLS: usize = 64;

/// The role of one cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    /// Always `sign`.
    Sync { sign: f32 },
    /// `sign` times (+1 for a 1 bit, -1 for a 0 bit) of coded bit `bit`.
    Data { bit: usize, sign: f32 },
}

/// The tile layout, row-major, `GRID * GRID` cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub cells: Vec<Cell>,
}

impl Layout {
    /// The layout for `key`.
    pub fn new(key: &WatermarkKey) -> Layout {
        let n = GRID * GRID;
        let mut order: Vec<usize> = (0..n).collect();
        let mut rng = key.stream("layout");
        for i in (1..n).rev() {
            let j = rng.below(i + 1);
            order.swap(i, j);
        }
        let mut cells = vec![Cell::Sync { sign: 1.0 }; n];
        for (rank, &cell) in order.iter().enumerate() {
            let sign = rng.sign();
            cells[cell] = if rank < SYNC_CELLS { Cell::Sync { sign } } else { Cell::Data { bit: (rank - SYNC_CELLS) % CODED_BITS, sign } };
        }
        Layout { cells }
    }

    /// Cell values (+1 or -1) that carry `coded` bits.
    pub fn values(&self, coded: &[u8]) -> Vec<f32> {
        self.cells
            .iter()
            .map(|c| match *c {
                Cell::Sync { sign } => sign,
                Cell::Data { bit, sign } => sign * if coded.get(bit) == Some(&1) { 1.0 } else { -1.0 },
            })
            .collect()
    }
}

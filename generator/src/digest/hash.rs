//! A fast, deterministic 128-bit hash for change detection, with no dependencies: the generator
//! and its build script (which includes this file with `#[path]`) share it.
//!
//! Two 64-bit lanes each absorb one little-endian word of every 16-byte block through a folded
//! 128-bit multiplication (the mixing step of wyhash), the lanes are crossed after every block,
//! and the length is mixed in at the end. It runs at several GB/s, so hashing every generated file of a
//! large crate costs little beside reading it. It detects accidental change (an edited file, a
//! different input); it is not meant to resist someone crafting a collision.

/// Odd constants with well-spread bits (from wyhash).
const K0: u64 = 0xa076_1d64_78bd_642f;
const K1: u64 = 0xe703_7ed1_a0b4_28db;
const K2: u64 = 0x8ebc_6af0_9c88_c6e3;
const K3: u64 = 0x5899_65cc_7537_4cc3;

/// The high and low halves of the 128-bit product, xored.
fn fold(x: u64, k: u64) -> u64 {
    let p = u128::from(x) * u128::from(k);
    (p as u64) ^ ((p >> 64) as u64)
}

/// A streaming 128-bit hasher; [`Hasher128::finish`] gives the same value however the input
/// was split across [`Hasher128::write`] calls.
#[derive(Clone)]
pub struct Hasher128 {
    a: u64,
    b: u64,
    len: u64,
    buf: [u8; 16],
    buffered: usize,
}

impl Default for Hasher128 {
    fn default() -> Self {
        Hasher128 { a: K2, b: K3, len: 0, buf: [0; 16], buffered: 0 }
    }
}

impl Hasher128 {
    /// Absorbs `bytes`.
    pub fn write(&mut self, mut bytes: &[u8]) {
        self.len = self.len.wrapping_add(bytes.len() as u64);
        if self.buffered > 0 {
            let take = (16 - self.buffered).min(bytes.len());
            self.buf[self.buffered..self.buffered + take].copy_from_slice(&bytes[..take]);
            self.buffered += take;
            bytes = &bytes[take..];
            if self.buffered < 16 {
                return;
            }
            let block = self.buf;
            self.block(&block);
            self.buffered = 0;
        }
        let mut blocks = bytes.chunks_exact(16);
        for block in &mut blocks {
            self.block(block);
        }
        let rest = blocks.remainder();
        self.buf[..rest.len()].copy_from_slice(rest);
        self.buffered = rest.len();
    }

    fn block(&mut self, block: &[u8]) {
        let mut w0 = [0; 8];
        let mut w1 = [0; 8];
        w0.copy_from_slice(&block[..8]);
        w1.copy_from_slice(&block[8..16]);
        let a = fold(self.a ^ u64::from_le_bytes(w0), K0);
        let b = fold(self.b ^ u64::from_le_bytes(w1), K1);
        // Crossed every block, so that a difference in either lane reaches both.
        self.a = a ^ b.rotate_left(29);
        self.b = b.wrapping_add(a);
    }

    /// The hash of everything written.
    pub fn finish(&self) -> u128 {
        let mut h = self.clone();
        // Zero padding is told apart from written zeros by the length, mixed in below.
        let mut block = [0; 16];
        block[..h.buffered].copy_from_slice(&h.buf[..h.buffered]);
        if h.buffered > 0 {
            h.block(&block);
        }
        let a = fold(h.a ^ h.len, K2) ^ h.b.rotate_left(23);
        let b = fold(h.b ^ a, K3) ^ h.a.rotate_left(41);
        let a = fold(a ^ b, K0);
        let b = fold(b ^ a, K1);
        (u128::from(a) << 64) | u128::from(b)
    }
}

/// The hash of `bytes`.
pub fn hash128(bytes: &[u8]) -> u128 {
    let mut h = Hasher128::default();
    h.write(bytes);
    h.finish()
}

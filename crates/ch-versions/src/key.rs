//! Byte keys: versions encoded so that byte-wise order is the scheme's order.

use std::fmt;

/// Bytes stored inline up to [`ByteKey::INLINE`] (typical version keys), else on
/// the heap. Ordered and compared as byte strings.
#[derive(Clone)]
pub(crate) enum ByteKey {
    Inline {
        len: u8,
        bytes: [u8; ByteKey::INLINE],
    },
    Heap(Box<[u8]>),
}

impl ByteKey {
    /// 38 bytes inline keep the type at 40 bytes, the size of a SemVer version.
    pub(crate) const INLINE: usize = 38;

    pub(crate) fn from_slice(b: &[u8]) -> ByteKey {
        match u8::try_from(b.len()) {
            Ok(len) if b.len() <= Self::INLINE => {
                let mut bytes = [0u8; Self::INLINE];
                bytes[..b.len()].copy_from_slice(b);
                ByteKey::Inline { len, bytes }
            }
            _ => ByteKey::Heap(b.into()),
        }
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        match self {
            ByteKey::Inline { len, bytes } => &bytes[..usize::from(*len)],
            ByteKey::Heap(b) => b,
        }
    }
}

impl PartialEq for ByteKey {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for ByteKey {}

impl PartialOrd for ByteKey {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for ByteKey {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_slice().cmp(other.as_slice())
    }
}

impl fmt::Debug for ByteKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ByteKey({:02x?})", self.as_slice())
    }
}

/// Where an encoder writes a key.
pub(crate) trait KeyWriter {
    fn push(&mut self, b: u8);
    fn extend_from_slice(&mut self, b: &[u8]);
}

impl KeyWriter for Vec<u8> {
    fn push(&mut self, b: u8) {
        Vec::push(self, b);
    }
    fn extend_from_slice(&mut self, b: &[u8]) {
        Vec::extend_from_slice(self, b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_heap_keys_order_as_bytes() {
        let short = ByteKey::from_slice(b"abc");
        let long = ByteKey::from_slice(&[b'a'; 50]);
        let exactly = ByteKey::from_slice(&[b'b'; ByteKey::INLINE]);
        assert!(matches!(short, ByteKey::Inline { .. }));
        assert!(matches!(exactly, ByteKey::Inline { .. }));
        assert!(matches!(long, ByteKey::Heap(_)));
        assert_eq!(long.as_slice().len(), 50);
        assert!(long < short && short < exactly);
        assert_eq!(ByteKey::from_slice(b"abc"), short);
        assert_eq!(std::mem::size_of::<ByteKey>(), 40);
    }
}

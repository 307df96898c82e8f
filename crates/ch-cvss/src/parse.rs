//! The parsing every version shares: `METRIC:VALUE` components separated by `/`, each
//! metric at most once, values from the metric's list, mandatory metrics present.
//!
//! Keys and values are compared as packed integers (bytes plus length), and the next
//! metric is looked for first where the specification's order puts it: vectors are
//! parsed millions of times per second when a whole database is scored.

use crate::Error;
use std::fmt;

const MAX_VALUES: usize = 8;

/// One metric of a version's vector: its abbreviation and its values, in the order the
/// specification lists them (a vector holds the index of its value, plus one; 0 = absent).
pub(crate) struct Metric {
    pub(crate) key: &'static str,
    pub(crate) values: &'static [&'static str],
    pub(crate) mandatory: bool,
    key_packed: u64,
    values_packed: [u64; MAX_VALUES],
}

/// Up to 7 bytes and their length in one integer; longer inputs match nothing.
const fn pack(b: &[u8]) -> u64 {
    if b.len() > 7 {
        return u64::MAX;
    }
    let mut x = (b.len() as u64) << 56;
    let mut i = 0;
    while i < b.len() {
        x |= (b[i] as u64) << (8 * i);
        i += 1;
    }
    x
}

const fn metric(key: &'static str, values: &'static [&'static str], mandatory: bool) -> Metric {
    assert!(values.len() <= MAX_VALUES && key.len() <= 7);
    // Unused slots hold a pattern no `pack` result has (length byte 0xFF, not u64::MAX).
    let mut values_packed = [u64::MAX - 1; MAX_VALUES];
    let mut i = 0;
    while i < values.len() {
        assert!(values[i].len() <= 7);
        values_packed[i] = pack(values[i].as_bytes());
        i += 1;
    }
    Metric {
        key,
        values,
        mandatory,
        key_packed: pack(key.as_bytes()),
        values_packed,
    }
}

pub(crate) const fn m(key: &'static str, values: &'static [&'static str]) -> Metric {
    metric(key, values, false)
}

pub(crate) const fn mandatory(key: &'static str, values: &'static [&'static str]) -> Metric {
    metric(key, values, true)
}

/// Reads bytes from `b[*i..]` up to (not including) the next `/` (or `:` when
/// `colon_stops`) or the end, packed as by [`pack`].
#[inline(always)]
fn read_packed(b: &[u8], i: &mut usize, colon_stops: bool) -> u64 {
    let start = *i;
    let mut x = 0u64;
    while *i < b.len() {
        let c = b[*i];
        if c == b'/' || (colon_stops && c == b':') {
            break;
        }
        let n = *i - start;
        if n < 7 {
            x |= u64::from(c) << (8 * n);
        }
        *i += 1;
    }
    let n = *i - start;
    if n > 7 {
        u64::MAX
    } else {
        x | (n as u64) << 56
    }
}

/// Parses `body` against `table`. Returns, for each metric of the table, the index of
/// its value plus one, or 0 where the vector does not give the metric.
pub(crate) fn metrics<const N: usize>(
    version: &'static str,
    body: &str,
    table: &[Metric; N],
) -> Result<[u8; N], Error> {
    let mut out = [0u8; N];
    let b = body.as_bytes();
    let mut i = 0;
    let mut hint = 0;
    loop {
        let start = i;
        let component = |from: usize| {
            let end = b[from..]
                .iter()
                .position(|&c| c == b'/')
                .map_or(b.len(), |p| from + p);
            &body[start..end]
        };
        let key_packed = read_packed(b, &mut i, true);
        let key_end = i;
        if i == b.len() || b[i] != b':' {
            return Err(Error::Malformed {
                version,
                component: component(i).to_owned(),
            });
        }
        i += 1;
        let value_start = i;
        let value_packed = read_packed(b, &mut i, false);
        let metric_index = if hint < N && table[hint].key_packed == key_packed {
            hint
        } else {
            match table.iter().position(|m| m.key_packed == key_packed) {
                Some(k) => k,
                None if key_end == start || i == value_start => {
                    return Err(Error::Malformed {
                        version,
                        component: component(start).to_owned(),
                    })
                }
                None => {
                    return Err(Error::UnknownMetric {
                        version,
                        metric: body[start..key_end].to_owned(),
                    })
                }
            }
        };
        hint = metric_index + 1;
        let metric = &table[metric_index];
        if out[metric_index] != 0 {
            return Err(Error::Duplicate {
                version,
                metric: metric.key,
            });
        }
        let Some(v) = metric.values_packed.iter().position(|&p| p == value_packed) else {
            return Err(Error::Value {
                version,
                metric: metric.key,
                value: body[value_start..i].to_owned(),
                expected: metric.values.join(", "),
            });
        };
        // At most MAX_VALUES values per metric.
        out[metric_index] = v as u8 + 1;
        if i == b.len() {
            break;
        }
        i += 1; // the '/'
    }
    if let Some(k) = (0..N).find(|&k| table[k].mandatory && out[k] == 0) {
        return Err(Error::Missing {
            version,
            metric: table[k].key,
        });
    }
    Ok(out)
}

/// Writes the metrics a vector gives, in the table's (the specification's) order.
pub(crate) fn write<const N: usize>(
    f: &mut fmt::Formatter<'_>,
    table: &[Metric; N],
    values: &[u8; N],
) -> fmt::Result {
    let mut first = true;
    for (metric, &v) in table.iter().zip(values) {
        if v == 0 {
            continue;
        }
        if !first {
            f.write_str("/")?;
        }
        first = false;
        write!(f, "{}:{}", metric.key, metric.values[usize::from(v - 1)])?;
    }
    Ok(())
}

//! FIRST EPSS scores: `epss_scores-YYYY-MM-DD.csv[.gz]`, an optional first line
//! `#model_version:v2025.03.14,score_date:2025-09-24T12:55:00Z`, the header
//! `cve,epss,percentile`, then one row per CVE.

use std::io::Read;

use crate::ThreatError;

/// One score.
#[derive(Debug, Clone, PartialEq)]
pub struct EpssScore {
    pub cve: String,
    /// Probability of exploitation activity in the next 30 days, 0–1.
    pub score: f64,
    pub percentile: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EpssSet {
    pub model_version: Option<String>,
    pub score_date: Option<String>,
    pub scores: Vec<EpssScore>,
}

/// Decompressed input is capped (the full EPSS file is about 15 MB uncompressed).
pub const MAX_BYTES: u64 = 512 * 1024 * 1024;

/// Whether `bytes` (gzipped or not) start like an EPSS file.
pub fn looks_like(bytes: &[u8]) -> bool {
    let text = match gunzip_prefix(bytes) {
        Some(t) => t,
        None => bytes[..bytes.len().min(256)].to_vec(),
    };
    text.starts_with(b"#model_version") || text.starts_with(b"cve,epss,percentile")
}

fn gunzip_prefix(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return None;
    }
    let mut out = vec![0u8; 256];
    let mut d = flate2::read::GzDecoder::new(bytes);
    let mut n = 0;
    while n < out.len() {
        match d.read(&mut out[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    out.truncate(n);
    Some(out)
}

/// Parses a score file, gzipped or not.
pub fn parse(file: &str, bytes: &[u8]) -> Result<EpssSet, ThreatError> {
    let owned;
    let data: &[u8] = if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .take(MAX_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| ThreatError::new(file, None, format!("not a readable gzip file: {e}")))?;
        if out.len() as u64 > MAX_BYTES {
            return Err(ThreatError::new(
                file,
                None,
                format!("decompresses to more than {MAX_BYTES} bytes; refused"),
            ));
        }
        owned = out;
        &owned
    } else {
        bytes
    };
    let text = std::str::from_utf8(data)
        .map_err(|e| ThreatError::new(file, None, format!("not UTF-8 text: {e}")))?;
    let mut set = EpssSet {
        model_version: None,
        score_date: None,
        scores: Vec::new(),
    };
    let mut header_seen = false;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let err = |m: String| ThreatError::new(file, Some(n), m);
        let line = line.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        if let Some(meta) = line.strip_prefix('#') {
            if header_seen || n != 1 {
                return Err(err("a `#` line is allowed only first".into()));
            }
            for part in meta.split(',') {
                match part.split_once(':') {
                    Some(("model_version", v)) => set.model_version = Some(v.to_owned()),
                    Some(("score_date", v)) => set.score_date = Some(v.to_owned()),
                    _ => {}
                }
            }
            continue;
        }
        if !header_seen {
            if line != "cve,epss,percentile" {
                return Err(err(format!(
                    "expected the header `cve,epss,percentile`, found `{line}`"
                )));
            }
            header_seen = true;
            continue;
        }
        let mut fields = line.split(',');
        let (Some(cve), Some(score), Some(percentile), None) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            return Err(err(format!(
                "expected `cve,epss,percentile`, found `{line}`"
            )));
        };
        if !crate::is_cve(cve) {
            return Err(err(format!("`{cve}` is not a CVE id")));
        }
        let number = |what: &str, v: &str| -> Result<f64, ThreatError> {
            v.parse::<f64>()
                .ok()
                .filter(|x| (0.0..=1.0).contains(x))
                .ok_or_else(|| err(format!("{what} `{v}` is not a number from 0 to 1")))
        };
        set.scores.push(EpssScore {
            cve: cve.to_owned(),
            score: number("epss", score)?,
            percentile: number("percentile", percentile)?,
        });
    }
    if !header_seen {
        return Err(ThreatError::new(
            file,
            None,
            "no `cve,epss,percentile` header: not an EPSS file",
        ));
    }
    Ok(set)
}

//! The OSV record (schema 1.7) as serde types.
//!
//! Every object keeps the fields it does not know in an `extra` map, so a record
//! read and written back is unchanged (a test checks this on every record of the
//! shared data). Lists are `Option<Vec<_>>` so that a list written empty and a list
//! left out stay apart on the way back; accessor methods give plain slices.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// A record that cannot be read as OSV.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OsvError {
    /// Not JSON, or JSON of the wrong shape; the message names the field and position.
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    /// A required field is missing or empty.
    #[error("field `{0}` is required")]
    Missing(&'static str),
    /// A timestamp that is not RFC 3339.
    #[error("field `{field}`: expected an RFC 3339 timestamp, found `{value}`")]
    Timestamp {
        /// The field holding it.
        field: &'static str,
        /// The value found.
        value: String,
    },
}

/// One OSV record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    /// Schema version; absent means 1.0.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
    /// `<DB>-<ENTRYID>`.
    pub id: String,
    /// RFC 3339 time of the last change.
    pub modified: String,
    /// RFC 3339 time of first publication.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// RFC 3339 time from which the record is withdrawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    /// Ids of the same vulnerability in other databases (symmetric, transitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aliases: Option<Vec<String>>,
    /// Ids of upstream vulnerabilities (transitive, not symmetric).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upstream: Option<Vec<String>>,
    /// Ids of related but different vulnerabilities.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related: Option<Vec<String>>,
    /// One-line summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// CommonMark details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// Severity scores (`CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Vec<Severity>>,
    /// The affected packages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affected: Option<Vec<Affected>>,
    /// References.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub references: Option<Vec<Reference>>,
    /// Credits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<Vec<Credit>>,
    /// Database-defined data; no effect on evaluation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
    /// Fields this model does not know, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A severity score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Severity {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`, or another type.
    #[serde(rename = "type")]
    pub kind: String,
    /// The vector or value.
    pub score: String,
    /// Fields this model does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A package and the versions of it that are affected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    /// The package; absent only in records that describe commits alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<Package>,
    /// Per-package severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Vec<Severity>>,
    /// Version ranges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranges: Option<Vec<Range>>,
    /// Enumerated affected versions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub versions: Option<Vec<String>>,
    /// Ecosystem-defined data (e.g. Go symbols).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ecosystem_specific: Option<Value>,
    /// Database-defined data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
    /// Fields this model does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A package identity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Package {
    /// Ecosystem string, possibly with a suffix (`Debian:12`).
    pub ecosystem: String,
    /// Name as the ecosystem writes it.
    pub name: String,
    /// purl without version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// Fields this model does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The type of a range.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RangeType {
    /// SemVer 2.0.0 ordering.
    Semver,
    /// The ecosystem's own ordering.
    Ecosystem,
    /// Git commit ancestry.
    Git,
    /// A type this model does not know; such ranges never match.
    Other(String),
}

impl RangeType {
    /// As OSV writes it.
    pub fn as_str(&self) -> &str {
        match self {
            RangeType::Semver => "SEMVER",
            RangeType::Ecosystem => "ECOSYSTEM",
            RangeType::Git => "GIT",
            RangeType::Other(s) => s,
        }
    }
}

impl Serialize for RangeType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RangeType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(match s.as_str() {
            "SEMVER" => RangeType::Semver,
            "ECOSYSTEM" => RangeType::Ecosystem,
            "GIT" => RangeType::Git,
            _ => RangeType::Other(s),
        })
    }
}

/// A range of affected versions or commits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Range {
    /// How to order the events.
    #[serde(rename = "type")]
    pub kind: RangeType,
    /// The repository, for `GIT` ranges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    /// The events, in any order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<Event>>,
    /// Database-defined data; no effect on evaluation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<Value>,
    /// Fields this model does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// What an event marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// The first affected version (`"0"`: before all versions).
    Introduced,
    /// The first unaffected version after an introduced one (exclusive end).
    Fixed,
    /// The last affected version (inclusive end).
    LastAffected,
    /// An upper limit on the range (`"*"`: none).
    Limit,
}

impl EventKind {
    /// The JSON key.
    pub fn key(self) -> &'static str {
        match self {
            EventKind::Introduced => "introduced",
            EventKind::Fixed => "fixed",
            EventKind::LastAffected => "last_affected",
            EventKind::Limit => "limit",
        }
    }
}

/// A range event: exactly one of `introduced`, `fixed`, `last_affected`, `limit`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Which key.
    pub kind: EventKind,
    /// The version or commit.
    pub value: String,
    /// Other keys on the event object, kept verbatim.
    pub extra: Map<String, Value>,
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = Map::with_capacity(1 + self.extra.len());
        map.insert(
            self.kind.key().to_owned(),
            Value::String(self.value.clone()),
        );
        for (k, v) in &self.extra {
            map.insert(k.clone(), v.clone());
        }
        map.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Event {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut map = Map::deserialize(d)?;
        let mut found: Option<(EventKind, String)> = None;
        for kind in [
            EventKind::Introduced,
            EventKind::Fixed,
            EventKind::LastAffected,
            EventKind::Limit,
        ] {
            if let Some(v) = map.remove(kind.key()) {
                let Value::String(value) = v else {
                    return Err(D::Error::custom(format!(
                        "event `{}` must be a string",
                        kind.key()
                    )));
                };
                if found.is_some() {
                    return Err(D::Error::custom(
                        "an event must have exactly one of `introduced`, `fixed`, `last_affected`, `limit`",
                    ));
                }
                found = Some((kind, value));
            }
        }
        let (kind, value) = found.ok_or_else(|| {
            D::Error::custom(
                "an event must have one of `introduced`, `fixed`, `last_affected`, `limit`",
            )
        })?;
        Ok(Event {
            kind,
            value,
            extra: map,
        })
    }
}

/// A reference.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// `ADVISORY`, `ARTICLE`, `FIX`, `WEB`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The URL.
    pub url: String,
    /// Fields this model does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A credit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Credit {
    /// Who.
    pub name: String,
    /// How to reach them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Vec<String>>,
    /// `FINDER`, `REPORTER`, …
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Fields this model does not know.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Parses an RFC 3339 timestamp into Unix microseconds (what the database orders by).
pub fn parse_timestamp(field: &'static str, value: &str) -> Result<i64, OsvError> {
    let t = OffsetDateTime::parse(value, &Rfc3339).map_err(|_| OsvError::Timestamp {
        field,
        value: value.to_owned(),
    })?;
    Ok((t.unix_timestamp_nanos() / 1000) as i64)
}

impl Advisory {
    /// Parses one record from JSON bytes and checks what evaluation relies on:
    /// a non-empty `id` and an RFC 3339 `modified`.
    pub fn from_json(bytes: &[u8]) -> Result<Self, OsvError> {
        let advisory: Advisory = serde_json::from_slice(bytes)?;
        advisory.validate()?;
        Ok(advisory)
    }

    /// Checks the fields evaluation relies on.
    pub fn validate(&self) -> Result<(), OsvError> {
        if self.id.trim().is_empty() {
            return Err(OsvError::Missing("id"));
        }
        parse_timestamp("modified", &self.modified)?;
        if let Some(w) = &self.withdrawn {
            parse_timestamp("withdrawn", w)?;
        }
        Ok(())
    }

    /// `modified` in Unix microseconds.
    pub fn modified_micros(&self) -> i64 {
        parse_timestamp("modified", &self.modified).unwrap_or(i64::MIN)
    }

    /// Whether the record is withdrawn (has a `withdrawn` time). A withdrawn record
    /// affects nothing.
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn.is_some()
    }
}

macro_rules! slices {
    ($ty:ty { $($field:ident: $item:ty),* $(,)? }) => {
        impl $ty {
            $(
                #[doc = concat!("`", stringify!($field), "`, empty when absent.")]
                pub fn $field(&self) -> &[$item] {
                    self.$field.as_deref().unwrap_or(&[])
                }
            )*
        }
    };
}

slices!(Advisory {
    aliases: String,
    upstream: String,
    related: String,
    severity: Severity,
    affected: Affected,
    references: Reference,
    credits: Credit
});
slices!(Affected {
    severity: Severity,
    ranges: Range,
    versions: String
});
slices!(Range { events: Event });

//! Classification markings on suites, tasks, results and reports.
//!
//! A [`Marking`] is a level (UNCLASSIFIED < CUI < CONFIDENTIAL < SECRET < TOP SECRET)
//! and a set of controls (compartments and dissemination controls: `SI`, `TK`,
//! `NOFORN`, `PROPIN`, …), written as banners are: `TOP SECRET//SI/TK//NOFORN`.
//!
//! * Aggregation takes the **high-water mark** ([`Marking::join`]): the highest level
//!   and every control of the parts. A result is marked at least as high as anything
//!   it contains.
//! * A place to write to is accredited for a marking; writing is allowed only when the
//!   place's marking **dominates** the record's ([`Marking::dominates`],
//!   [`check_write`]): a level at least as high and every control.
//! * Release lists (`REL TO USA, GBR`), which intersect rather than unite, are not
//!   modelled yet and are refused when parsed, never mishandled.
//!
//! The harness enforces markings; it does not decide classification: the authority
//! that supplies a suite marks it.

use std::collections::BTreeSet;
mod locations;

pub use locations::{Location, Locations, LocationsError};

use std::fmt;
use std::str::FromStr;

/// Classification levels, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Unclassified,
    Cui,
    Confidential,
    Secret,
    TopSecret,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Unclassified => "UNCLASSIFIED",
            Level::Cui => "CUI",
            Level::Confidential => "CONFIDENTIAL",
            Level::Secret => "SECRET",
            Level::TopSecret => "TOP SECRET",
        }
    }

    fn parse(s: &str) -> Option<Level> {
        match s {
            "UNCLASSIFIED" | "U" => Some(Level::Unclassified),
            "CUI" | "CONTROLLED UNCLASSIFIED INFORMATION" => Some(Level::Cui),
            "CONFIDENTIAL" | "C" => Some(Level::Confidential),
            "SECRET" | "S" => Some(Level::Secret),
            "TOP SECRET" | "TS" => Some(Level::TopSecret),
            _ => None,
        }
    }
}

/// A marking: a level and its controls.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Marking {
    pub level: Level,
    pub controls: BTreeSet<String>,
}

/// Why a marking was refused, or a write was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkingError {
    #[error("empty marking: expected a level such as UNCLASSIFIED, CUI, SECRET or TOP SECRET")]
    Empty,
    #[error("unknown classification level `{0}` (expected UNCLASSIFIED, CUI, CONFIDENTIAL, SECRET or TOP SECRET)")]
    Level(String),
    #[error("malformed control `{0}` in a marking: controls are letters, digits, `-` and `_`")]
    Control(String),
    #[error("release lists (`{0}`) are not supported yet: mark without REL TO")]
    ReleaseList(String),
    #[error("refused: a {record} record cannot be written to a place accredited for {place}")]
    WriteDown { record: Marking, place: Marking },
}

impl Marking {
    pub fn new(level: Level) -> Self {
        Marking {
            level,
            controls: BTreeSet::new(),
        }
    }

    pub fn unclassified() -> Self {
        Marking::new(Level::Unclassified)
    }

    /// The high-water mark of two markings: the higher level, every control.
    pub fn join(&self, other: &Marking) -> Marking {
        Marking {
            level: self.level.max(other.level),
            controls: self.controls.union(&other.controls).cloned().collect(),
        }
    }

    /// The high-water mark of many (UNCLASSIFIED for none).
    pub fn join_all<'a>(markings: impl IntoIterator<Item = &'a Marking>) -> Marking {
        markings
            .into_iter()
            .fold(Marking::unclassified(), |acc, m| acc.join(m))
    }

    /// Whether this marking is at least as high as `other`: level and every control.
    pub fn dominates(&self, other: &Marking) -> bool {
        self.level >= other.level && self.controls.is_superset(&other.controls)
    }

    /// The banner line a report prints at top and bottom.
    pub fn banner(&self) -> String {
        self.to_string()
    }
}

/// Allows writing a `record` to a place accredited for `place` only when the place
/// dominates the record.
pub fn check_write(record: &Marking, place: &Marking) -> Result<(), MarkingError> {
    if place.dominates(record) {
        Ok(())
    } else {
        Err(MarkingError::WriteDown {
            record: record.clone(),
            place: place.clone(),
        })
    }
}

impl fmt::Display for Marking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.level.as_str())?;
        if !self.controls.is_empty() {
            f.write_str("//")?;
            let list: Vec<&str> = self.controls.iter().map(String::as_str).collect();
            f.write_str(&list.join("/"))?;
        }
        Ok(())
    }
}

impl FromStr for Marking {
    type Err = MarkingError;

    /// `SECRET`, `TOP SECRET//SI/TK//NOFORN`, `CUI//PROPIN`; case-insensitive, with
    /// the usual abbreviations (U, C, S, TS).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let upper = s.trim().to_ascii_uppercase();
        if upper.is_empty() {
            return Err(MarkingError::Empty);
        }
        let mut parts = upper.split("//");
        let level_text = parts.next().unwrap_or_default().trim();
        let level =
            Level::parse(level_text).ok_or_else(|| MarkingError::Level(level_text.to_owned()))?;
        let mut controls = BTreeSet::new();
        for part in parts {
            for control in part.split('/') {
                let control = control.trim();
                if control.starts_with("REL TO") || control.starts_with("REL ") {
                    return Err(MarkingError::ReleaseList(control.to_owned()));
                }
                if control.is_empty()
                    || !control
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
                {
                    return Err(MarkingError::Control(control.to_owned()));
                }
                controls.insert(control.to_owned());
            }
        }
        Ok(Marking { level, controls })
    }
}

impl serde::Serialize for Marking {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Marking {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(s: &str) -> Marking {
        s.parse().unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn parses_and_prints_banners() {
        assert_eq!(m("secret").to_string(), "SECRET");
        assert_eq!(
            m("TS//TK/SI//NOFORN").to_string(),
            "TOP SECRET//NOFORN/SI/TK"
        );
        assert_eq!(m("CUI//PROPIN").level, Level::Cui);
        assert_eq!(m(" U ").to_string(), "UNCLASSIFIED");
        assert_eq!("".parse::<Marking>(), Err(MarkingError::Empty));
        assert_eq!(
            "SEKRET".parse::<Marking>().unwrap_err().to_string(),
            "unknown classification level `SEKRET` (expected UNCLASSIFIED, CUI, CONFIDENTIAL, SECRET or TOP SECRET)"
        );
        assert!(matches!(
            "SECRET//REL TO USA, GBR".parse::<Marking>(),
            Err(MarkingError::ReleaseList(_))
        ));
        assert!(matches!(
            "SECRET//NO FORN".parse::<Marking>(),
            Err(MarkingError::Control(_))
        ));
        assert!(matches!(
            "SECRET//".parse::<Marking>(),
            Err(MarkingError::Control(_))
        ));
        let json = serde_json::to_string(&m("S//NOFORN")).unwrap_or_default();
        assert_eq!(json, "\"SECRET//NOFORN\"");
        let back: Marking = serde_json::from_str(&json).unwrap_or_else(|_| Marking::unclassified());
        assert_eq!(back, m("S//NOFORN"));
    }

    #[test]
    fn results_are_marked_at_least_as_high_as_their_parts() {
        let parts = [m("CUI//PROPIN"), m("SECRET"), m("UNCLASSIFIED")];
        let result = Marking::join_all(&parts);
        assert_eq!(result.to_string(), "SECRET//PROPIN");
        assert!(parts.iter().all(|p| result.dominates(p)));
        assert_eq!(Marking::join_all(&[]), Marking::unclassified());
    }

    #[test]
    fn writes_go_only_where_the_place_dominates() {
        assert!(check_write(&m("SECRET"), &m("TOP SECRET")).is_ok());
        assert!(
            check_write(&m("SECRET//NOFORN"), &m("TOP SECRET")).is_err(),
            "a control missing"
        );
        let e = check_write(&m("SECRET"), &m("CUI")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "refused: a SECRET record cannot be written to a place accredited for CUI"
        );
    }

    fn marking() -> impl Strategy<Value = Marking> {
        let level = prop_oneof![
            Just(Level::Unclassified),
            Just(Level::Cui),
            Just(Level::Confidential),
            Just(Level::Secret),
            Just(Level::TopSecret)
        ];
        let controls = proptest::collection::btree_set(
            prop_oneof![
                Just("NOFORN"),
                Just("SI"),
                Just("TK"),
                Just("PROPIN"),
                Just("ORCON")
            ]
            .prop_map(str::to_owned),
            0..4,
        );
        (level, controls).prop_map(|(level, controls)| Marking { level, controls })
    }

    proptest! {
        #[test]
        fn join_is_the_least_upper_bound(a in marking(), b in marking(), c in marking()) {
            let j = a.join(&b);
            prop_assert!(j.dominates(&a) && j.dominates(&b));
            // Anything above both is above the join.
            if c.dominates(&a) && c.dominates(&b) {
                prop_assert!(c.dominates(&j));
            }
            prop_assert_eq!(a.join(&b), b.join(&a));
            prop_assert_eq!(m(&a.to_string()), a);
        }
    }
}

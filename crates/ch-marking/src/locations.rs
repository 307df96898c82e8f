//! Where marked records may be written: places (path prefixes) and the highest marking
//! each is accredited for. A path no place covers is accredited for UNCLASSIFIED only,
//! so a marked result can be written only where someone said it may.
//!
//! ```toml
//! [[location]]
//! path = "/srv/evaluations/secret"
//! marking = "SECRET//NOFORN"
//! ```

use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use crate::{check_write, Marking, MarkingError};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {message}")]
pub struct LocationsError {
    pub file: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub marking: Marking,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Locations {
    places: Vec<Location>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    location: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    path: String,
    marking: String,
}

impl Locations {
    /// Reads the configuration text of the file `label`.
    pub fn from_toml(label: &str, text: &str) -> Result<Locations, LocationsError> {
        let fail = |message: String| LocationsError {
            file: label.to_owned(),
            message,
        };
        let f: File = toml::from_str(text).map_err(|e| fail(e.message().trim().to_owned()))?;
        let mut places = Vec::new();
        for (i, e) in f.location.into_iter().enumerate() {
            let path = PathBuf::from(&e.path);
            if !path.is_absolute() || path.components().any(|c| matches!(c, Component::ParentDir)) {
                return Err(fail(format!(
                    "`location[{i}].path`: `{}` must be an absolute path without `..`",
                    e.path
                )));
            }
            let marking = e
                .marking
                .parse::<Marking>()
                .map_err(|m| fail(format!("`location[{i}].marking`: {m}")))?;
            places.push(Location { path, marking });
        }
        Ok(Locations { places })
    }

    /// The accreditation of `path` (absolute, links resolved by the caller): the most
    /// specific place that contains it, else UNCLASSIFIED.
    pub fn accreditation(&self, path: &Path) -> Marking {
        self.places
            .iter()
            .filter(|l| path.starts_with(&l.path))
            .max_by_key(|l| l.path.components().count())
            .map_or_else(Marking::unclassified, |l| l.marking.clone())
    }

    /// Refuses to write a `record` to `path` unless its place dominates the record.
    pub fn check(&self, record: &Marking, path: &Path) -> Result<(), MarkingError> {
        check_write(record, &self.accreditation(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_specific_place_decides_and_unlisted_places_are_unclassified() {
        let l = Locations::from_toml(
            "locations.toml",
            "[[location]]\npath = \"/srv/eval\"\nmarking = \"CUI\"\n[[location]]\npath = \"/srv/eval/secret\"\nmarking = \"SECRET//NOFORN\"\n",
        )
        .unwrap_or_default();
        let secret: Marking = "SECRET//NOFORN"
            .parse()
            .unwrap_or_else(|_| Marking::unclassified());
        assert_eq!(
            l.accreditation(Path::new("/srv/eval/secret/run.jsonl")),
            secret
        );
        assert_eq!(
            l.accreditation(Path::new("/srv/eval/run.jsonl"))
                .to_string(),
            "CUI"
        );
        assert_eq!(
            l.accreditation(Path::new("/srv/evaluation/x")).to_string(),
            "UNCLASSIFIED",
            "components, not string prefixes"
        );
        assert!(l.check(&secret, Path::new("/srv/eval/secret/a")).is_ok());
        let refused = l
            .check(&secret, Path::new("/tmp/a"))
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            refused.as_deref(),
            Some("refused: a SECRET//NOFORN record cannot be written to a place accredited for UNCLASSIFIED")
        );
        assert!(l
            .check(&Marking::unclassified(), Path::new("/tmp/a"))
            .is_ok());
    }

    #[test]
    fn bad_configurations_name_the_field() {
        let e =
            Locations::from_toml("l.toml", "[[location]]\npath = \"rel\"\nmarking = \"U\"\n").err();
        assert_eq!(
            e.map(|e| e.to_string()).as_deref(),
            Some("l.toml: `location[0].path`: `rel` must be an absolute path without `..`")
        );
        let e = Locations::from_toml(
            "l.toml",
            "[[location]]\npath = \"/x\"\nmarking = \"SEKRET\"\n",
        )
        .err();
        assert!(e.is_some_and(|e| e
            .to_string()
            .starts_with("l.toml: `location[0].marking`: unknown classification level")));
        assert!(Locations::from_toml("l.toml", "[[place]]\n").is_err());
    }
}

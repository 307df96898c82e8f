//! renv's `renv.lock`, for R projects.
//!
//! `Packages` maps each package's name to its record, with its `Package`,
//! `Version` and `Source`. A package whose `Source` is `Repository` comes from the
//! `Repository` it names, by name or URL; when it is one of the lockfile's
//! `R.Repositories`, that entry's URL is read too. CRAN, or a repository serving
//! CRAN (named `CRAN`, `RSPM`, `PPM` or `P3M`; a URL on `r-project.org`, a
//! `cran.` host or a `/cran/` path, or Posit Package Manager's `all` snapshots),
//! gives CRAN packages; a Bioconductor repository (named `BioC…`, or a URL on
//! `bioconductor`) and the `Source` `Bioconductor` give Bioconductor packages;
//! older files' `Source: "CRAN"` gives CRAN packages. Packages from any other
//! repository (an r-universe, a company's own), GitHub, GitLab, Bitbucket, git,
//! a URL or a local folder are listed without an ecosystem: their versions are not
//! those repositories' releases. A package without a `Version` is skipped with a
//! warning. The file does not record which packages the project loads directly.
//! The line is that of the package's key.

use ch_types::EcosystemKind;
use serde_json::{Map, Value};

use crate::lines::JsonCursor;
use crate::{InventoryError, Parsed, Source};

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let obj = crate::parse_json_object(file, text, "an renv.lock")?;

    let mut cursor = JsonCursor::new(text);
    let repositories: Vec<(&str, &str)> = obj
        .get("R")
        .and_then(|r| r.get("Repositories"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| {
            Some((
                r.get("Name")?.as_str()?,
                r.get("URL").and_then(Value::as_str).unwrap_or(""),
            ))
        })
        .collect();
    let mut parsed = Parsed::default();
    let packages = match obj.get("Packages") {
        None => return Ok(parsed),
        Some(Value::Object(p)) => p,
        Some(_) => {
            return Err(InventoryError::new(
                file,
                cursor.find("Packages", ":"),
                "expected `Packages` to be an object",
            ))
        }
    };
    cursor.find("Packages", ":");
    for (key, record) in packages {
        let line = cursor.find_key_with(key, '{');
        let Some(record) = record.as_object() else {
            return Err(InventoryError::new(
                file,
                line.or_else(|| cursor.find(key, ":")),
                format!("expected `Packages.{key}` to be an object"),
            ));
        };
        let name = record.get("Package").and_then(Value::as_str).unwrap_or(key);
        let Some(version) = record.get("Version").and_then(Value::as_str) else {
            parsed.warnings.push(format!(
                "{}: `{name}` has no `Version`; skipped",
                crate::place(file, line)
            ));
            continue;
        };
        let source = Source {
            file: file.to_owned(),
            line,
        };
        parsed
            .packages
            .push(match ecosystem(record, &repositories) {
                Some(kind) => crate::package(kind, name, version, source, None),
                None => crate::unidentified(name, version, source, None),
            });
    }
    Ok(parsed)
}

/// Where a record's package comes from, when that is CRAN or Bioconductor.
fn ecosystem(record: &Map<String, Value>, repositories: &[(&str, &str)]) -> Option<EcosystemKind> {
    match record.get("Source").and_then(Value::as_str)? {
        "Bioconductor" => Some(EcosystemKind::Bioconductor),
        "CRAN" => Some(EcosystemKind::Cran),
        "Repository" => {
            let named = record.get("Repository").and_then(Value::as_str)?;
            let url = repositories
                .iter()
                .find(|(name, _)| *name == named)
                .map_or("", |(_, url)| *url);
            let is = |test: fn(&str) -> bool| test(named) || test(url);
            if is(serves_cran) {
                Some(EcosystemKind::Cran)
            } else if is(serves_bioconductor) {
                Some(EcosystemKind::Bioconductor)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A repository name or URL that serves CRAN.
fn serves_cran(name_or_url: &str) -> bool {
    let s = name_or_url.to_ascii_lowercase();
    let s = s.trim_end_matches('/');
    matches!(s, "cran" | "rspm" | "ppm" | "p3m")
        || s.contains("r-project.org")
        || s.contains("://cran.")
        || s.contains("/cran/")
        || s.ends_with("/cran")
        || s.contains("packagemanager.posit.co/all/")
        || s.contains("packagemanager.rstudio.com/all/")
}

/// A repository name or URL that serves Bioconductor.
fn serves_bioconductor(name_or_url: &str) -> bool {
    let s = name_or_url.to_ascii_lowercase();
    s.starts_with("bioc") || s.contains("bioconductor")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{read, rows, Format};

    const LOCK: &str = r#"{
  "R": {
    "Version": "4.3.1",
    "Repositories": [
      {
        "Name": "CRAN",
        "URL": "https://cloud.r-project.org"
      },
      {
        "Name": "posit",
        "URL": "https://packagemanager.posit.co/cran/2023-10-01"
      },
      {
        "Name": "acme",
        "URL": "https://acme.r-universe.dev"
      }
    ]
  },
  "Bioconductor": {
    "Version": "3.17"
  },
  "Packages": {
    "BiocGenerics": {
      "Package": "BiocGenerics",
      "Version": "0.46.0",
      "Source": "Bioconductor",
      "git_url": "https://git.bioconductor.org/packages/BiocGenerics",
      "git_branch": "RELEASE_3_17",
      "Requirements": ["R", "methods", "utils"]
    },
    "R6": {
      "Package": "R6",
      "Version": "2.5.1",
      "Source": "Repository",
      "Repository": "CRAN",
      "Hash": "470851b6d5d0ac559e9d01bb352b4021"
    },
    "S4Vectors": {
      "Package": "S4Vectors",
      "Version": "0.38.1",
      "Source": "Repository",
      "Repository": "BioCsoft",
      "Requirements": ["BiocGenerics", "R"]
    },
    "acmeviz": {
      "Package": "acmeviz",
      "Version": "0.3.2",
      "Source": "Repository",
      "Repository": "acme"
    },
    "dplyr": {
      "Package": "dplyr",
      "Version": "1.1.3",
      "Source": "Repository",
      "Repository": "posit",
      "Requirements": ["R6", "generics", "glue"]
    },
    "ggsignif": {
      "Package": "ggsignif",
      "Version": "0.6.4",
      "Source": "GitHub",
      "RemoteType": "github",
      "RemoteHost": "api.github.com",
      "RemoteUsername": "const-ae",
      "RemoteRepo": "ggsignif",
      "RemoteSha": "9e8e6f1e5f2d3c4b5a69788796a5b4c3d2e1f0a9"
    },
    "glue": {
      "Package": "glue",
      "Version": "1.6.2",
      "Source": "CRAN"
    },
    "labtools": {
      "Package": "labtools",
      "Version": "0.0.9",
      "Source": "Local",
      "RemoteType": "local",
      "RemoteUrl": "~/src/labtools"
    }
  }
}
"#;

    #[test]
    fn reads_cran_cran_like_bioconductor_and_other_sources() {
        let parsed = read(Format::RenvLock, "renv.lock", LOCK.as_bytes()).unwrap();
        let cran = Some("CRAN".to_owned());
        let bioc = Some("Bioconductor".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (bioc.clone(), "BiocGenerics", "0.46.0", Some(23), None),
                (cran.clone(), "R6", "2.5.1", Some(31), None),
                (bioc.clone(), "S4Vectors", "0.38.1", Some(38), None),
                (None, "acmeviz", "0.3.2", Some(45), None),
                (cran.clone(), "dplyr", "1.1.3", Some(51), None),
                (None, "ggsignif", "0.6.4", Some(58), None),
                (cran.clone(), "glue", "1.6.2", Some(68), None),
                (None, "labtools", "0.0.9", Some(73), None),
            ]
        );
        assert_eq!(
            parsed.packages[1].purl.as_deref(),
            Some("pkg:cran/R6@2.5.1")
        );
    }

    #[test]
    fn malformed_lockfiles_are_errors_and_versionless_packages_warnings() {
        let e = read(
            Format::RenvLock,
            "renv.lock",
            b"{\n  \"Packages\": {\n    \"R6\": \"2.5.1\"\n  }\n}",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "renv.lock:3: expected `Packages.R6` to be an object"
        );
        let e = read(Format::RenvLock, "renv.lock", b"{\n  \"Packages\": []\n}").unwrap_err();
        assert_eq!(
            e.to_string(),
            "renv.lock:2: expected `Packages` to be an object"
        );
        let parsed = read(
            Format::RenvLock,
            "renv.lock",
            b"{\n  \"Packages\": {\n    \"R6\": {\"Package\": \"R6\", \"Source\": \"Repository\"}\n  }\n}",
        )
        .unwrap();
        assert!(parsed.packages.is_empty());
        assert_eq!(
            parsed.warnings,
            vec!["renv.lock:3: `R6` has no `Version`; skipped"]
        );
    }
}

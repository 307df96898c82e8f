//! NuGet's `packages.lock.json`, versions 1 and 2.
//!
//! `dependencies` maps each target framework (`net8.0`, and a runtime-specific
//! `net8.0/linux-x64`) to the packages restored for it, each with its `type` and
//! its `resolved` version. `Direct` packages are the project's own references;
//! `Transitive` ones, and `CentralTransitive` ones (transitive packages whose
//! version central package management pins), are not direct. Both are NuGet
//! packages. `Project` entries are references to other projects of the solution:
//! they are the solution's own code, listed without an ecosystem and not as
//! direct dependencies, at their `resolved` version where the file gives one. A
//! package restored for several frameworks at one version is listed once, at its
//! first entry, and is direct if any framework has it as direct. A package without
//! a `resolved` version is skipped with a warning. The line is that of the entry's
//! name.

use std::collections::HashMap;

use ch_types::EcosystemKind;
use serde_json::Value;

use crate::lines::JsonCursor;
use crate::{InventoryError, Parsed, Source};

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let obj = crate::parse_json_object(file, text, "a packages.lock.json")?;

    let mut cursor = JsonCursor::new(text);
    if let Some(v) = obj
        .get("version")
        .and_then(Value::as_u64)
        .filter(|v| *v > 2)
    {
        return Err(InventoryError::new(
            file,
            cursor.find("version", ":"),
            format!("version {v} is not supported (1 and 2 are)"),
        ));
    }
    let mut parsed = Parsed::default();
    let frameworks = match obj.get("dependencies") {
        None => return Ok(parsed),
        Some(Value::Object(f)) => f,
        Some(_) => {
            return Err(InventoryError::new(
                file,
                cursor.find("dependencies", ":"),
                "expected `dependencies` to be an object",
            ))
        }
    };
    // (lower-cased name, version, project) → index in `parsed.packages`.
    let mut seen: HashMap<(String, String, bool), usize> = HashMap::new();
    for (framework, packages) in frameworks {
        let framework_line = cursor.find_key_with(framework, '{');
        let Some(packages) = packages.as_object() else {
            return Err(InventoryError::new(
                file,
                framework_line.or_else(|| cursor.find(framework, ":")),
                format!("expected `dependencies.{framework}` to be an object"),
            ));
        };
        for (name, entry) in packages {
            let line = cursor.find_key_with(name, '{');
            let Some(entry) = entry.as_object() else {
                return Err(InventoryError::new(
                    file,
                    line.or_else(|| cursor.find(name, ":")),
                    format!("expected `dependencies.{framework}.{name}` to be an object"),
                ));
            };
            let kind = entry.get("type").and_then(Value::as_str);
            let project = kind == Some("Project");
            let resolved = entry.get("resolved").and_then(Value::as_str);
            let version = match (resolved, project) {
                (Some(v), _) => v,
                (None, true) => "",
                (None, false) => {
                    parsed.warnings.push(format!(
                        "{}: `{name}` ({framework}) has no `resolved` version; skipped",
                        crate::place(file, line)
                    ));
                    continue;
                }
            };
            let direct = match kind {
                Some("Direct") => Some(true),
                Some("Transitive" | "CentralTransitive" | "Project") => Some(false),
                _ => None,
            };
            let key = (name.to_lowercase(), version.to_owned(), project);
            if let Some(&i) = seen.get(&key) {
                if let Some(p) = parsed.packages.get_mut(i) {
                    if direct == Some(true) || p.direct.is_none() {
                        p.direct = direct.or(p.direct);
                    }
                }
                continue;
            }
            seen.insert(key, parsed.packages.len());
            let source = Source {
                file: file.to_owned(),
                line,
            };
            parsed.packages.push(if project {
                crate::unidentified(name, version, source, direct)
            } else {
                crate::package(EcosystemKind::NuGet, name, version, source, direct)
            });
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{read, rows, Format};

    const LOCK: &str = r#"{
  "version": 2,
  "dependencies": {
    "net6.0": {
      "Microsoft.Extensions.Logging": {
        "type": "CentralTransitive",
        "requested": "[7.0.0, )",
        "resolved": "7.0.0",
        "contentHash": "Nw2muoNrOG5U5qa2ZekXwudUn2BJcD41e65zwmDHb1fQegTX66UokLWZkJRpqSSHXDOWZ5V0iqhbxOgjQtv8kw=="
      },
      "Newtonsoft.Json": {
        "type": "Transitive",
        "resolved": "13.0.1",
        "contentHash": "ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzjpdAHRFfZe0Dw9HmA0+za13IdyrgJwpkDTDA9fHaxOrt20A=="
      },
      "Acme.Orders.Core": {
        "type": "Project",
        "dependencies": {
          "Newtonsoft.Json": "[13.0.3, )"
        }
      }
    },
    "net8.0": {
      "Acme.Orders.Core": {
        "type": "Project",
        "dependencies": {
          "Newtonsoft.Json": "[13.0.3, )"
        }
      },
      "Newtonsoft.Json": {
        "type": "Direct",
        "requested": "[13.0.3, )",
        "resolved": "13.0.3",
        "contentHash": "HrC5BXdl00IP9zeV+0Z848QWPAoCr9P3bDEZguI+gkLcBKAOxix/tLEAAHC+UvDNPv4a2d18lOReHMOagPa+zQ=="
      },
      "Serilog": {
        "type": "Direct",
        "requested": "[3.0.1, )",
        "resolved": "3.0.1",
        "contentHash": "E4UmOQ++eNJll1pNrharoQN5RzkcqvlfFQ4+Yx2Tm1j0jCX5jEBq6cT5lYUT3wRYiqQZiVdmMSuW1YTzwBS6Dg=="
      },
      "Microsoft.Extensions.Logging": {
        "type": "Direct",
        "requested": "[7.0.0, )",
        "resolved": "7.0.0",
        "contentHash": "Nw2muoNrOG5U5qa2ZekXwudUn2BJcD41e65zwmDHb1fQegTX66UokLWZkJRpqSSHXDOWZ5V0iqhbxOgjQtv8kw=="
      }
    },
    "net8.0/linux-x64": {
      "Serilog": {
        "type": "Direct",
        "requested": "[3.0.1, )",
        "resolved": "3.0.1",
        "contentHash": "E4UmOQ++eNJll1pNrharoQN5RzkcqvlfFQ4+Yx2Tm1j0jCX5jEBq6cT5lYUT3wRYiqQZiVdmMSuW1YTzwBS6Dg=="
      }
    }
  }
}
"#;

    #[test]
    fn reads_frameworks_once_per_version_with_projects_and_directness() {
        let parsed = read(Format::NuGetLock, "packages.lock.json", LOCK.as_bytes()).unwrap();
        let nuget = Some("NuGet".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (
                    nuget.clone(),
                    "Microsoft.Extensions.Logging",
                    "7.0.0",
                    Some(5),
                    Some(true)
                ),
                (
                    nuget.clone(),
                    "Newtonsoft.Json",
                    "13.0.1",
                    Some(11),
                    Some(false)
                ),
                (None, "Acme.Orders.Core", "", Some(16), Some(false)),
                (
                    nuget.clone(),
                    "Newtonsoft.Json",
                    "13.0.3",
                    Some(30),
                    Some(true)
                ),
                (nuget.clone(), "Serilog", "3.0.1", Some(36), Some(true)),
            ]
        );
        assert_eq!(
            parsed.packages[4].purl.as_deref(),
            Some("pkg:nuget/Serilog@3.0.1")
        );
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    }

    #[test]
    fn malformed_lockfiles_are_errors_and_unresolved_packages_warnings() {
        let e = read(
            Format::NuGetLock,
            "packages.lock.json",
            b"{\n  \"version\": 1,\n  \"dependencies\": {\n    \"net8.0\": []\n  }\n}",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "packages.lock.json:4: expected `dependencies.net8.0` to be an object"
        );
        let e = read(
            Format::NuGetLock,
            "packages.lock.json",
            b"{\n  \"version\": 3,\n  \"dependencies\": {}\n}",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "packages.lock.json:2: version 3 is not supported (1 and 2 are)"
        );
        let parsed = read(
            Format::NuGetLock,
            "packages.lock.json",
            b"{\n  \"version\": 1,\n  \"dependencies\": {\n    \"net8.0\": {\n      \"Serilog\": {\"type\": \"Direct\"}\n    }\n  }\n}",
        )
        .unwrap();
        assert!(parsed.packages.is_empty());
        assert_eq!(
            parsed.warnings,
            vec!["packages.lock.json:5: `Serilog` (net8.0) has no `resolved` version; skipped"]
        );
    }
}

//! SPDX 2.2 and 2.3 documents, JSON.
//!
//! Every package is listed; its ecosystem, name and version come from a purl in
//! its `externalRefs` (`referenceType: purl`), else it is listed by `name` and
//! `versionInfo` without an ecosystem. SPDX 3 (JSON-LD) is a different model and is
//! refused with a clear error.

use serde_json::Value;

use crate::lines::JsonCursor;
use crate::{InventoryError, Parsed, Source};

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let obj = crate::parse_json_object(file, text, "an SPDX document")?;
    let mut cursor = JsonCursor::new(text);

    let mut parsed = Parsed::default();
    match obj.get("spdxVersion").and_then(Value::as_str) {
        Some("SPDX-2.2" | "SPDX-2.3") => {}
        Some(v) => parsed.warnings.push(format!(
            "{file}: `spdxVersion` {v} is not SPDX-2.2 or SPDX-2.3; read as 2.3"
        )),
        None if obj.contains_key("@context") => {
            return Err(InventoryError::new(
                file,
                None,
                "an SPDX 3 (JSON-LD) document; SPDX 2.2 and 2.3 JSON are supported",
            ))
        }
        None => {
            return Err(InventoryError::new(
                file,
                None,
                "no `spdxVersion` field; an SPDX 2 document has `\"spdxVersion\": \"SPDX-2.3\"`",
            ))
        }
    }
    let packages = match obj.get("packages") {
        None => return Ok(parsed),
        Some(Value::Array(p)) => p,
        Some(_) => {
            return Err(InventoryError::new(
                file,
                cursor.find("packages", ":"),
                "`packages` is not an array",
            ))
        }
    };
    for (i, p) in packages.iter().enumerate() {
        let here = format!("packages[{i}]");
        let Some(p) = p.as_object() else {
            parsed
                .warnings
                .push(format!("{file}: `{here}` is not an object; skipped"));
            continue;
        };
        let name = p.get("name").and_then(Value::as_str);
        let id = p.get("SPDXID").and_then(Value::as_str);
        let line = id
            .and_then(|id| cursor.find(id, ""))
            .or_else(|| name.and_then(|n| cursor.find(n, "")));
        let at = match line {
            Some(l) => format!("{file}:{l}"),
            None => file.to_owned(),
        };
        let purl = p
            .get("externalRefs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|r| r.get("referenceType").and_then(Value::as_str) == Some("purl"))
            .and_then(|r| r.get("referenceLocator"))
            .and_then(Value::as_str);
        let version = p.get("versionInfo").and_then(Value::as_str);
        let source = Source {
            file: file.to_owned(),
            line,
        };
        let (package, purl_error) = crate::sbom_package(name, version, purl, source, None);
        if let Some(e) = purl_error {
            parsed.warnings.push(format!("{at}: `{here}` purl: {e}"));
        }
        match package {
            Some(package) => parsed.packages.push(package),
            None => parsed
                .warnings
                .push(format!("{at}: `{here}` has no `name`; skipped")),
        }
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{read, Format};

    #[test]
    fn reads_packages_by_purl() {
        let text = r#"{
  "spdxVersion": "SPDX-2.3",
  "SPDXID": "SPDXRef-DOCUMENT",
  "packages": [
    { "SPDXID": "SPDXRef-app", "name": "app", "versionInfo": "1.0" },
    { "SPDXID": "SPDXRef-log4j", "name": "log4j-core", "versionInfo": "2.14.1",
      "externalRefs": [ { "referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
        "referenceLocator": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" } ] },
    { "SPDXID": "SPDXRef-bad", "name": "bad", "externalRefs": [ { "referenceType": "purl", "referenceLocator": "nonsense" } ] }
  ]
}"#;
        let parsed = read(Format::SpdxJson, "sbom.spdx.json", text.as_bytes()).unwrap();
        let got: Vec<_> = parsed
            .packages
            .iter()
            .map(|p| {
                (
                    p.ecosystem.as_ref().map(ToString::to_string),
                    p.name.as_str(),
                    p.version.as_str(),
                    p.source.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (None, "app", "1.0", Some(5)),
                (
                    Some("Maven".into()),
                    "org.apache.logging.log4j:log4j-core",
                    "2.14.1",
                    Some(6)
                ),
                (None, "bad", "", Some(9)),
            ]
        );
        assert_eq!(parsed.warnings.len(), 1);
        assert!(
            parsed.warnings[0]
                .starts_with("sbom.spdx.json:9: `packages[2]` purl: invalid purl `nonsense`"),
            "{:?}",
            parsed.warnings
        );
    }

    #[test]
    fn spdx3_and_non_spdx_are_errors() {
        let e = read(
            Format::SpdxJson,
            "x.json",
            br#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("SPDX 3"), "{e}");
        let e = read(Format::SpdxJson, "x.json", b"{}").unwrap_err();
        assert!(e.to_string().starts_with("x.json: no `spdxVersion`"), "{e}");
    }
}

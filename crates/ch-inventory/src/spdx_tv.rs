//! SPDX 2.2 and 2.3 documents, tag-value.
//!
//! The document is `Tag: value` lines; blank lines and lines starting `#` are
//! passed over, and a value that starts `<text>` runs to the next `</text>`, over
//! as many lines as it takes (what those lines hold, `PackageName:` included, is
//! that value's text, not tags). A line that is none of these is an error, as is a
//! document without an `SPDXVersion:` tag, or an unclosed `<text>`.
//!
//! `PackageName:` starts a package, which runs until the next `PackageName:`, or a
//! file (`FileName:`), snippet (`SnippetSPDXID:`) or licence (`LicenseID:`) starts.
//! Every package is listed, as the JSON reader lists them: its ecosystem, name and
//! version come from its first purl (`ExternalRef: PACKAGE-MANAGER purl pkg:…`, any
//! category, `PACKAGE_MANAGER` included), its version from the purl else
//! `PackageVersion:`; without a purl that names an ecosystem it is listed by its
//! name and `PackageVersion:` without one. The line is that of `PackageName:`.
//! Direct dependencies are not recorded.
//!
//! An `SPDXVersion` other than `SPDX-2.2` or `SPDX-2.3` is read as 2.3, with a
//! warning; a purl that does not parse, or an `ExternalRef` without a category,
//! type and locator, is a warning naming its line.

use crate::{InventoryError, Parsed, Source};

/// A package as the document writes it.
struct Entry {
    line: u32,
    name: String,
    version: Option<String>,
    /// The first purl, with its line.
    purl: Option<(String, u32)>,
}

/// Whether the text's first line other than blank lines and comments starts
/// `SPDXVersion:`.
pub(crate) fn starts_like_spdx(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| l.starts_with("SPDXVersion:"))
}

/// `Tag: value` → the tag and the value (untrimmed); `None` when the line is not
/// one.
fn tag_value(line: &str) -> Option<(&str, &str)> {
    let (tag, value) = line.trim_start().split_once(':')?;
    let mut chars = tag.chars();
    let well_formed = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    well_formed.then_some((tag, value))
}

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    // Warnings with their lines, to be given in line order.
    let mut warnings: Vec<(u32, String)> = Vec::new();
    let mut packages = Vec::new();
    let mut version: Option<(String, u32)> = None;
    let mut entries: Vec<Entry> = Vec::new();
    // Whether the last `PackageName:` is still the element being described.
    let mut in_package = false;
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, line)| (u32::try_from(i + 1).unwrap_or(u32::MAX), line));
    while let Some((n, line)) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((tag, value)) = tag_value(line) else {
            let message = if version.is_none() {
                "expected an SPDX 2 tag-value document, which starts `SPDXVersion: SPDX-2.3`"
            } else {
                "expected `Tag: value` (or a comment, starting `#`)"
            };
            return Err(InventoryError::new(file, Some(n), message));
        };
        let value = value.trim();
        let value = match value.strip_prefix("<text>") {
            None => value.to_owned(),
            Some(rest) => match rest.find("</text>") {
                Some(end) => rest.get(..end).unwrap_or_default().to_owned(),
                None => {
                    let mut value = rest.to_owned();
                    loop {
                        let Some((_, next)) = lines.next() else {
                            return Err(InventoryError::new(
                                file,
                                Some(n),
                                format!("the `{tag}` value's `<text>` is not closed by `</text>`"),
                            ));
                        };
                        value.push('\n');
                        if let Some(end) = next.find("</text>") {
                            value.push_str(next.get(..end).unwrap_or_default());
                            break;
                        }
                        value.push_str(next);
                    }
                    value
                }
            },
        };
        let value = value.trim();
        match tag {
            "SPDXVersion" => {
                version.get_or_insert((value.to_owned(), n));
            }
            "PackageName" => {
                entries.push(Entry {
                    line: n,
                    name: value.to_owned(),
                    version: None,
                    purl: None,
                });
                in_package = true;
            }
            "FileName" | "SnippetSPDXID" | "LicenseID" => in_package = false,
            "PackageVersion" if in_package => {
                if let Some(entry) = entries.last_mut() {
                    entry.version.get_or_insert(value.to_owned());
                }
            }
            "ExternalRef" if in_package => {
                let fields: Vec<&str> = value.split_whitespace().collect();
                match fields.as_slice() {
                    [_category, "purl", locator] => {
                        if let Some(entry) = entries.last_mut() {
                            entry.purl.get_or_insert(((*locator).to_owned(), n));
                        }
                    }
                    [_, _, _] => {}
                    _ => warnings.push((
                        n,
                        format!(
                            "{file}:{n}: `ExternalRef` expects a category, a type and a locator; skipped"
                        ),
                    )),
                }
            }
            _ => {}
        }
    }
    match version {
        None => return Err(InventoryError::new(
            file,
            None,
            "no `SPDXVersion:` tag; an SPDX 2 tag-value document starts `SPDXVersion: SPDX-2.3`",
        )),
        Some((v, _)) if v == "SPDX-2.2" || v == "SPDX-2.3" => {}
        Some((v, line)) => warnings.push((
            line,
            format!("{file}:{line}: `SPDXVersion` {v} is not SPDX-2.2 or SPDX-2.3; read as 2.3"),
        )),
    }
    for entry in entries {
        let source = Source {
            file: file.to_owned(),
            line: Some(entry.line),
        };
        let name = Some(entry.name.as_str()).filter(|n| !n.is_empty());
        let purl = entry.purl.as_ref().map(|(p, _)| p.as_str());
        let (package, purl_error) =
            crate::sbom_package(name, entry.version.as_deref(), purl, source, None);
        if let (Some(e), Some((_, line))) = (purl_error, &entry.purl) {
            warnings.push((*line, format!("{file}:{line}: `ExternalRef` purl: {e}")));
        }
        match package {
            Some(package) => packages.push(package),
            None => warnings.push((
                entry.line,
                format!(
                    "{file}:{}: `PackageName` is empty and there is no usable purl; skipped",
                    entry.line
                ),
            )),
        }
    }
    warnings.sort_by_key(|(line, _)| *line);
    Ok(Parsed {
        packages,
        warnings: warnings.into_iter().map(|(_, w)| w).collect(),
        includes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{read, rows, Format};

    const DOC: &str = "## A document
SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: example
DocumentComment: <text>Lines that look like tags are text here:
PackageName: not-a-package
PackageVersion: 6.6.6
</text>

PackageName: app
SPDXID: SPDXRef-app
PackageVersion: 1.0
PackageDescription: <text>The application.
ExternalRef: PACKAGE-MANAGER purl pkg:npm/decoy@0.0.1
</text>
FilesAnalyzed: false

FileName: ./src/main.c
SPDXID: SPDXRef-main
FileComment: <text>one line</text>
PackageVersion: 9.9
Relationship: SPDXRef-app CONTAINS SPDXRef-main

PackageName: log4j-core
SPDXID: SPDXRef-log4j
PackageVersion: 2.14.0
ExternalRef: SECURITY cpe23Type cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*
ExternalRef: PACKAGE-MANAGER purl pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1
ExternalRef: PACKAGE-MANAGER purl pkg:maven/org.apache.logging.log4j/log4j-api@2.14.1

# packages of ecosystems, spelled both ways
PackageName: requests
SPDXID: SPDXRef-requests
PackageVersion: 2.31.0
ExternalRef: PACKAGE_MANAGER purl pkg:pypi/requests
PackageName: bad
PackageVersion: 1
ExternalRef: PACKAGE-MANAGER purl nonsense
ExternalRef: PACKAGE-MANAGER purl
PackageName:
SPDXID: SPDXRef-unnamed

LicenseID: LicenseRef-1
ExtractedText: <text>
PackageName: inside-a-licence
</text>
";

    #[test]
    fn reads_packages_skipping_text_values() {
        let parsed = read(Format::SpdxTagValue, "sbom.spdx", DOC.as_bytes()).unwrap();
        assert_eq!(
            rows(&parsed),
            vec![
                (None, "app", "1.0", Some(11), None),
                (
                    Some("Maven".into()),
                    "org.apache.logging.log4j:log4j-core",
                    "2.14.1",
                    Some(25),
                    None
                ),
                (Some("PyPI".into()), "requests", "2.31.0", Some(33), None),
                (None, "bad", "1", Some(37), None),
            ]
        );
        assert_eq!(
            parsed.packages[1].purl.as_deref(),
            Some("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1")
        );
        assert_eq!(
            parsed.warnings,
            vec![
                "sbom.spdx:39: `ExternalRef` purl: invalid purl `nonsense`: missing `pkg:` scheme",
                "sbom.spdx:40: `ExternalRef` expects a category, a type and a locator; skipped",
                "sbom.spdx:41: `PackageName` is empty and there is no usable purl; skipped",
            ]
        );
    }

    #[test]
    fn crlf_and_other_versions_are_read() {
        let text = "SPDXVersion: SPDX-2.1\r\nPackageName: zlib\r\nPackageVersion: 1.2.13\r\nExternalRef: PACKAGE-MANAGER purl pkg:generic/zlib@1.2.13\r\n";
        let parsed = read(Format::SpdxTagValue, "x.spdx", text.as_bytes()).unwrap();
        assert_eq!(rows(&parsed), vec![(None, "zlib", "1.2.13", Some(2), None)]);
        assert_eq!(
            parsed.warnings,
            ["x.spdx:1: `SPDXVersion` SPDX-2.1 is not SPDX-2.2 or SPDX-2.3; read as 2.3"]
        );
    }

    #[test]
    fn documents_that_are_not_spdx_tag_value_are_errors() {
        let e = |text: &str| {
            read(Format::SpdxTagValue, "x.spdx", text.as_bytes())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            e("{\n  \"spdxVersion\": \"SPDX-2.3\"\n}\n"),
            "x.spdx:1: expected an SPDX 2 tag-value document, which starts `SPDXVersion: SPDX-2.3`"
        );
        assert_eq!(
            e("DocumentName: x\nPackageName: y\n"),
            "x.spdx: no `SPDXVersion:` tag; an SPDX 2 tag-value document starts `SPDXVersion: SPDX-2.3`"
        );
        assert_eq!(
            e("SPDXVersion: SPDX-2.3\nPackageName: y\nthis is not a tag\n"),
            "x.spdx:3: expected `Tag: value` (or a comment, starting `#`)"
        );
        assert_eq!(
            e("SPDXVersion: SPDX-2.3\nPackageName: y\nPackageComment: <text>never\nclosed\n"),
            "x.spdx:3: the `PackageComment` value's `<text>` is not closed by `</text>`"
        );
        assert_eq!(e(""), "x.spdx: no `SPDXVersion:` tag; an SPDX 2 tag-value document starts `SPDXVersion: SPDX-2.3`");
    }

    #[test]
    fn spdx_tag_value_is_sniffed() {
        assert_eq!(Format::sniff(DOC.as_bytes()), Some(Format::SpdxTagValue));
        assert_eq!(
            Format::sniff(b"\n# c\nSPDXVersion: SPDX-2.2\n"),
            Some(Format::SpdxTagValue)
        );
        assert_eq!(
            Format::sniff(b"DocumentName: x\nSPDXVersion: SPDX-2.2\n"),
            None
        );
    }

    proptest::proptest! {
        /// Whatever is spliced into a document, the reader returns packages or an
        /// error.
        #[test]
        fn never_panics(at in 0..DOC.len(), junk in "[<>/a-zA-Z:#\n -]{0,24}") {
            let mut text = DOC.as_bytes()[..at].to_vec();
            text.extend_from_slice(junk.as_bytes());
            text.extend_from_slice(&DOC.as_bytes()[at..]);
            let _ = read(Format::SpdxTagValue, "x.spdx", &text);
            let _ = Format::sniff(&text);
        }
    }

    /// Every tag-value example in the shared data is read, with packages.
    #[test]
    fn shared_examples_are_read() {
        let Some(dir) = crate::tests::shared_examples("spdx") else {
            return;
        };
        let files = crate::tests::files_under(&dir, ".spdx");
        for path in &files {
            let name = path.display().to_string();
            let bytes = std::fs::read(path).unwrap();
            let parsed =
                read(Format::SpdxTagValue, &name, &bytes).unwrap_or_else(|e| panic!("{e}"));
            assert!(!parsed.packages.is_empty(), "{name}");
            assert!(parsed.warnings.is_empty(), "{name}: {:?}", parsed.warnings);
            assert_eq!(Format::sniff(&bytes), Some(Format::SpdxTagValue), "{name}");
            if name.ends_with("SPDXTagExample-v2.3.spdx") {
                assert_eq!(
                    rows(&parsed),
                    vec![
                        (None, "glibc", "2.11.1", Some(71), None),
                        (None, "Apache Commons Lang", "", Some(170), None),
                        (
                            Some("Maven".into()),
                            "org.apache.jena:apache-jena",
                            "3.12.0",
                            Some(180),
                            None
                        ),
                        (None, "Saxon", "8.8", Some(189), None),
                    ]
                );
            }
        }
    }
}

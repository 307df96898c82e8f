//! Composer's `composer.lock`.
//!
//! The `packages` and `packages-dev` arrays hold one object per installed package,
//! with its `name` (`vendor/package`) and `version`. Tagged releases are Packagist
//! packages; a leading `v` is dropped (`v5.4.0` → `5.4.0`), as Packagist advisories
//! write versions without it. Branch installs (`dev-main`, `2.x-dev`) and packages
//! from a local folder (`"dist": {"type": "path"}`) are listed without an ecosystem:
//! their versions are not releases. The line is that of the entry's `name`. The
//! file does not record which packages the project requires directly.

use ch_types::EcosystemKind;
use serde_json::Value;

use crate::lines::JsonCursor;
use crate::{InventoryError, Parsed, Source};

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let obj = crate::parse_json_object(file, text, "a composer.lock")?;

    let mut cursor = JsonCursor::new(text);
    let mut parsed = Parsed::default();
    for field in ["packages", "packages-dev"] {
        let Some(list) = obj.get(field) else {
            continue;
        };
        let field_line = cursor.find(field, ":");
        let Some(list) = list.as_array() else {
            return Err(InventoryError::new(
                file,
                field_line,
                format!("expected `{field}` to be an array"),
            ));
        };
        for (i, entry) in list.iter().enumerate() {
            let Some(name) = entry.get("name").and_then(Value::as_str) else {
                return Err(InventoryError::new(
                    file,
                    field_line,
                    format!("expected `{field}[{i}]` to be an object with a string `name`"),
                ));
            };
            let line = cursor.find(name, ",").or_else(|| cursor.find(name, "}"));
            let Some(version) = entry.get("version").and_then(Value::as_str) else {
                parsed.warnings.push(format!(
                    "{}: `{name}` has no version; skipped",
                    crate::place(file, line)
                ));
                continue;
            };
            let source = Source {
                file: file.to_owned(),
                line,
            };
            let from_folder = entry
                .pointer("/dist/type")
                .and_then(Value::as_str)
                .is_some_and(|t| t == "path");
            let branch = version.starts_with("dev-") || version.ends_with("-dev");
            parsed.packages.push(if from_folder || branch {
                crate::unidentified(name, version, source, None)
            } else {
                let version = match version.strip_prefix(['v', 'V']) {
                    Some(rest) if rest.starts_with(|c: char| c.is_ascii_digit()) => rest,
                    _ => version,
                };
                crate::package(EcosystemKind::Packagist, name, version, source, None)
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
    "_readme": [
        "This file locks the dependencies of your project to a known state"
    ],
    "content-hash": "0c3b5a3f9e1d2c4b6a8f7e9d1c3b5a7f",
    "packages": [
        {
            "name": "symfony/http-foundation",
            "version": "v5.4.21",
            "source": {
                "type": "git",
                "url": "https://github.com/symfony/http-foundation.git",
                "reference": "3f5e5c0cd3f0fd1f0e4ac6a2bbfa3f2e5d1c9b8a"
            },
            "require": {
                "php": ">=7.2.5",
                "symfony/polyfill-mbstring": "~1.1"
            },
            "type": "library"
        },
        {
            "name": "symfony/polyfill-mbstring",
            "version": "v1.27.0",
            "type": "library"
        },
        {
            "name": "guzzlehttp/psr7",
            "version": "2.4.3",
            "type": "library"
        },
        {
            "name": "acme/internal-tools",
            "version": "dev-main",
            "source": {
                "type": "git",
                "url": "git@git.example.com:acme/internal-tools.git",
                "reference": "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b"
            },
            "type": "library"
        },
        {
            "name": "acme/legacy-bridge",
            "version": "1.x-dev",
            "type": "library"
        },
        {
            "name": "acme/shared-kernel",
            "version": "1.0.0",
            "dist": {
                "type": "path",
                "url": "../shared-kernel",
                "reference": "1f2e3d4c"
            },
            "type": "library"
        }
    ],
    "packages-dev": [
        {
            "type": "library",
            "version": "9.6.7",
            "name": "phpunit/phpunit"
        },
        {
            "name": "vimeo/psalm",
            "version": "v5.9.0"
        }
    ],
    "aliases": [],
    "minimum-stability": "stable"
}"#;

    #[test]
    fn reads_packages_and_dev_packages_with_v_prefixes_branches_and_paths() {
        let parsed = read(Format::ComposerLock, "composer.lock", LOCK.as_bytes()).unwrap();
        let packagist = Some("Packagist".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (
                    packagist.clone(),
                    "symfony/http-foundation",
                    "5.4.21",
                    Some(8),
                    None
                ),
                (
                    packagist.clone(),
                    "symfony/polyfill-mbstring",
                    "1.27.0",
                    Some(22),
                    None
                ),
                (
                    packagist.clone(),
                    "guzzlehttp/psr7",
                    "2.4.3",
                    Some(27),
                    None
                ),
                (None, "acme/internal-tools", "dev-main", Some(32), None),
                (None, "acme/legacy-bridge", "1.x-dev", Some(42), None),
                (None, "acme/shared-kernel", "1.0.0", Some(47), None),
                (
                    packagist.clone(),
                    "phpunit/phpunit",
                    "9.6.7",
                    Some(61),
                    None
                ),
                (packagist.clone(), "vimeo/psalm", "5.9.0", Some(64), None),
            ]
        );
        assert_eq!(
            parsed.packages[0].purl.as_deref(),
            Some("pkg:composer/symfony/http-foundation@5.4.21")
        );
    }

    #[test]
    fn bad_shapes_are_errors_and_missing_versions_warnings() {
        let e = read(Format::ComposerLock, "composer.lock", b"[]").unwrap_err();
        assert_eq!(
            e.to_string(),
            "composer.lock:1: expected a JSON object (a composer.lock)"
        );
        let e = read(
            Format::ComposerLock,
            "composer.lock",
            b"{\n  \"content-hash\": \"x\",\n  \"packages\": {}\n}",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "composer.lock:3: expected `packages` to be an array"
        );
        let e = read(
            Format::ComposerLock,
            "composer.lock",
            b"{\n  \"packages\": [\n    {\"name\": \"a/b\", \"version\": \"1.0.0\"},\n    {\"version\": \"1.0.0\"}\n  ]\n}",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "composer.lock:2: expected `packages[1]` to be an object with a string `name`"
        );
        let parsed = read(
            Format::ComposerLock,
            "composer.lock",
            b"{\n  \"packages\": [\n    {\"name\": \"a/b\"}\n  ]\n}",
        )
        .unwrap();
        assert!(parsed.packages.is_empty());
        assert_eq!(
            parsed.warnings,
            vec!["composer.lock:3: `a/b` has no version; skipped"]
        );
    }
}

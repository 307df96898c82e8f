//! Bun's text lockfile, `bun.lock`.
//!
//! The file is JSONC: JSON that allows trailing commas and comments, which are
//! blanked out (outside strings, keeping every line where it was) before the JSON
//! is parsed. `packages` maps each installed package's path (`name`,
//! `@scope/name`, or `parent/name` for a copy nested under another) to an array
//! whose first element is `NAME@REFERENCE`, with the real name (an alias's key
//! names the alias). A reference that is a version (`react@18.2.0`) is an npm
//! release. Git (`git+…`, `github:…`), tarball URLs, folders (`file:`), links
//! (`link:`), the workspace's own packages (`workspace:`, with the version its
//! `workspaces` entry gives) and the root (`root:`) are listed without an ecosystem,
//! the reference as their version. Direct: a top-level key that a workspace (the
//! root is `workspaces[""]`) names in its `dependencies`, `devDependencies` or
//! `optionalDependencies`. The line is that of the entry's key.

use std::collections::HashSet;

use ch_types::EcosystemKind;
use serde_json::Value;

use crate::lines::JsonCursor;
use crate::{parse_json, InventoryError, Parsed, Source};

const DEPENDENCY_FIELDS: [&str; 3] = ["dependencies", "devDependencies", "optionalDependencies"];

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let json = strip_jsonc(text);
    let doc = parse_json(file, &json)?;
    let Some(obj) = doc.as_object() else {
        return Err(InventoryError::new(
            file,
            Some(1),
            "expected a JSON object (a bun.lock)",
        ));
    };
    let mut cursor = JsonCursor::new(&json);
    let mut parsed = Parsed::default();
    if let Some(v) = obj
        .get("lockfileVersion")
        .and_then(Value::as_u64)
        .filter(|v| *v > 1)
    {
        let line = cursor.find("lockfileVersion", ":").unwrap_or(1);
        parsed.warnings.push(format!(
            "{file}:{line}: lockfileVersion {v} is newer than those known (0 and 1); read as 1"
        ));
    }
    let workspaces = obj.get("workspaces").and_then(Value::as_object);
    let mut direct: HashSet<&str> = HashSet::new();
    for workspace in workspaces.into_iter().flat_map(|w| w.values()) {
        for field in DEPENDENCY_FIELDS {
            if let Some(deps) = workspace.get(field).and_then(Value::as_object) {
                direct.extend(deps.keys().map(String::as_str));
            }
        }
    }
    let packages = match obj.get("packages") {
        None => return Ok(parsed),
        Some(Value::Object(p)) => p,
        Some(_) => {
            return Err(InventoryError::new(
                file,
                cursor.find("packages", ":"),
                "expected `packages` to be an object",
            ))
        }
    };
    // Start after `"packages":`, so that a package's key is not found in the
    // workspaces' dependency maps written before it.
    cursor.find("packages", ":");
    for (key, entry) in packages {
        let line = cursor.find_key_with(key, '[');
        let ident = entry
            .as_array()
            .and_then(|a| a.first())
            .and_then(Value::as_str);
        let Some((name, reference)) = ident.and_then(split_name) else {
            return Err(InventoryError::new(
                file,
                line,
                format!("expected `packages.{key}` to be an array starting with `NAME@REFERENCE`"),
            ));
        };
        let source = Source {
            file: file.to_owned(),
            line,
        };
        let is_direct = Some(direct.contains(key.as_str()));
        if is_version(reference) {
            parsed.packages.push(crate::package(
                EcosystemKind::Npm,
                name,
                reference,
                source,
                is_direct,
            ));
            continue;
        }
        let version = reference
            .strip_prefix("workspace:")
            .and_then(|path| workspaces?.get(path)?.get("version")?.as_str())
            .unwrap_or(reference);
        parsed
            .packages
            .push(crate::unidentified(name, version, source, is_direct));
    }
    Ok(parsed)
}

/// `name@reference` or `@scope/name@reference` → (name, reference).
fn split_name(ident: &str) -> Option<(&str, &str)> {
    let at = ident.get(1..)?.find('@')? + 1;
    let name = ident.get(..at)?;
    let reference = ident.get(at + 1..)?;
    (!reference.is_empty()).then_some((name, reference))
}

/// A registry version (`1.2.3`, `2.0.0-rc.1`), not a URL, path or protocol.
fn is_version(reference: &str) -> bool {
    reference.starts_with(|c: char| c.is_ascii_digit()) && !reference.contains([':', '/'])
}

/// JSONC → JSON: comments and trailing commas outside strings become spaces (a
/// comment's line breaks are kept), so every byte stays on its line.
fn strip_jsonc(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut in_string = false;
    let mut pending_comma: Option<usize> = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        match (b, bytes.get(i + 1)) {
            (b'/', Some(b'/')) => {
                let end = text
                    .get(i..)
                    .and_then(|rest| rest.find('\n'))
                    .map_or(bytes.len(), |n| i + n);
                blank(&mut out, i, end);
                i = end;
                continue;
            }
            (b'/', Some(b'*')) => {
                let end = text
                    .get(i + 2..)
                    .and_then(|rest| rest.find("*/"))
                    .map_or(bytes.len(), |n| i + 2 + n + 2);
                blank(&mut out, i, end);
                i = end;
                continue;
            }
            (b'"', _) => {
                in_string = true;
                pending_comma = None;
            }
            (b',', _) => pending_comma = Some(i),
            (b'}' | b']', _) => {
                if let Some(comma) = pending_comma.take() {
                    blank(&mut out, comma, comma + 1);
                }
            }
            (b' ' | b'\t' | b'\n' | b'\r', _) => {}
            _ => pending_comma = None,
        }
        i += 1;
    }
    // Only whole comments and ASCII commas were replaced, by ASCII spaces.
    String::from_utf8(out).unwrap_or_else(|_| text.to_owned())
}

/// Replaces `out[from..to]` with spaces, keeping line breaks.
fn blank(out: &mut [u8], from: usize, to: usize) {
    for slot in out.iter_mut().take(to).skip(from) {
        if *slot != b'\n' && *slot != b'\r' {
            *slot = b' ';
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::strip_jsonc;
    use crate::{read, rows, Format};

    const LOCK: &str = r#"{
  "lockfileVersion": 1,
  "workspaces": {
    "": {
      "name": "storefront",
      "dependencies": {
        "@remix-run/react": "^2.9.0",
        "design-system": "workspace:*",
        "left-pad": "github:stevemao/left-pad#v1.3.0",
        "wrap-ansi-cjs": "npm:wrap-ansi@^7.0.0",
      },
      "devDependencies": {
        "typescript": "~5.4.5",
      },
      "optionalDependencies": {
        "fsevents": "2.3.3",
      },
    },
    "packages/design-system": {
      "name": "design-system",
      "version": "0.4.1",
      "dependencies": {
        "clsx": "^2.1.0",
      },
    },
  },
  "packages": {
    // Registry releases: [ident, registry, info, integrity].
    "@remix-run/react": ["@remix-run/react@2.9.2", "", { "dependencies": { "clsx": "^2.0.0", "react": "^18.2.0" } }, "sha512-fo3b3w5Xz4dyU1eN0t2LFR6AS4aR9KxgRmRZpgTq0yX6vT9QBbtWo8eCRgGxyCHgmzlQW2H8nO4Wz9sEm/h8kg=="],

    "clsx": ["clsx@2.1.1", "", {}, "sha512-eYm0QWBtUrBWZWG0d386OGAw16Z995PiOVo2B+Uda/clsx+rmUU1ay1qrfW0Wy8d3hQ4yMANgtMGqdHDAX5NEA=="],

    "design-system": ["design-system@workspace:packages/design-system"],

    "fsevents": ["fsevents@2.3.3", "", { "os": "darwin" }, "sha512-5xoDfX+fL7faATnagmWPpbFtwh/R77WmMMqqHGS65C3vvB0YHrgF+B1YmZ3441tMj5n63k0212XNoJwzlhffQw=="],

    "left-pad": ["left-pad@github:stevemao/left-pad#5e0c5c4", {}, "stevemao-left-pad-5e0c5c4"],

    "local-utils": ["local-utils@file:../local-utils", { "dependencies": { "clsx": "^2.1.0" } }],

    "typescript": ["typescript@5.4.5", "", { "bin": { "tsc": "bin/tsc", "tsserver": "bin/tsserver" } }, "sha512-vcI4UpRgg81oIRUFwR0WSIHKt11nJ7SAVlYNIu+QpqeyXP+gpQJy/Z4+F0aGxSE4MqwjyXvW/TzgkLAx2AGHwQ=="],

    "wrap-ansi-cjs": ["wrap-ansi@7.0.0", "", {}, "sha512-YVGIj2kamLSTxw6NsZjoBxfSwsn0ycdesmc4p+Q21c5zPuZ1pl+NfxVdxPtdHvmNVOQ6XSYG4AUtyt/Fi7D16Q=="],

    "@remix-run/react/react": ["react@18.2.0", "", {}, "sha512-/3IjMdb2L9QbBdWiW5e3P2/npwMBaU9mHCSCUzNln0ZCYbcfTsGbTJrU/kGemdH2IWmB2ioZ+zkxtmq6g09fGQ=="],
  }
}
"#;

    #[test]
    fn reads_registry_workspace_git_and_folder_packages_with_aliases_and_nesting() {
        let parsed = read(Format::BunLock, "bun.lock", LOCK.as_bytes()).unwrap();
        let npm = Some("npm".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (
                    npm.clone(),
                    "@remix-run/react",
                    "2.9.2",
                    Some(29),
                    Some(true)
                ),
                (npm.clone(), "clsx", "2.1.1", Some(31), Some(true)),
                (None, "design-system", "0.4.1", Some(33), Some(true)),
                (npm.clone(), "fsevents", "2.3.3", Some(35), Some(true)),
                (
                    None,
                    "left-pad",
                    "github:stevemao/left-pad#5e0c5c4",
                    Some(37),
                    Some(true)
                ),
                (
                    None,
                    "local-utils",
                    "file:../local-utils",
                    Some(39),
                    Some(false)
                ),
                (npm.clone(), "typescript", "5.4.5", Some(41), Some(true)),
                (npm.clone(), "wrap-ansi", "7.0.0", Some(43), Some(true)),
                (npm.clone(), "react", "18.2.0", Some(45), Some(false)),
            ]
        );
        assert_eq!(
            parsed.packages[0].purl.as_deref(),
            Some("pkg:npm/%40remix-run/react@2.9.2")
        );
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    }

    #[test]
    fn trailing_commas_and_comments_are_blanked_outside_strings_only() {
        let text =
            "{\"a\": \"x,}\", // c, ]\n \"b\": [1, 2,],\n /* multi\n line */ \"c\": \"//\",\n}";
        let json = strip_jsonc(text);
        assert_eq!(json.lines().count(), text.lines().count());
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            value,
            serde_json::json!({"a": "x,}", "b": [1, 2], "c": "//"})
        );
    }

    #[test]
    fn malformed_lockfiles_are_errors() {
        let e = read(
            Format::BunLock,
            "bun.lock",
            b"{\n  \"lockfileVersion\": 1,\n  \"packages\": {\n    \"clsx\": [\"clsx\"],\n  },\n}\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "bun.lock:4: expected `packages.clsx` to be an array starting with `NAME@REFERENCE`"
        );
        let e = read(
            Format::BunLock,
            "bun.lock",
            b"{\n  \"packages\": {\"a\" []}\n}",
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("bun.lock:2: invalid JSON"), "{e}");
        let e = read(Format::BunLock, "bun.lock", b"[]").unwrap_err();
        assert_eq!(
            e.to_string(),
            "bun.lock:1: expected a JSON object (a bun.lock)"
        );
    }
}

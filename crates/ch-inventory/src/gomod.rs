//! `go.mod`.
//!
//! Every `require`d module is a Go package, direct unless marked `// indirect`.
//! `replace` directives apply: a module replaced by another module version is
//! listed as that module and version; one replaced by a local folder is listed
//! without an ecosystem (local code is not a published version). The standard
//! library is listed as the package `stdlib` when the toolchain is pinned to a
//! release (`toolchain go1.22.3`, or a `go 1.22.3` directive with a patch number):
//! a `go 1.22` line only sets the language version, not the toolchain that builds.

use std::collections::HashMap;

use ch_types::EcosystemKind;

use crate::{InventoryError, Parsed, Source};

struct Require<'a> {
    path: &'a str,
    version: &'a str,
    line: u32,
    indirect: bool,
}

enum Target<'a> {
    Module(&'a str, &'a str),
    Local(&'a str),
}

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let mut requires: Vec<Require<'_>> = Vec::new();
    // (path, optional version) → target
    let mut replaces: HashMap<(&str, Option<&str>), Target<'_>> = HashMap::new();
    let mut toolchain: Option<(&str, u32)> = None;
    let mut go: Option<(&str, u32)> = None;
    let mut block: Option<&str> = None;
    for (i, raw) in text.lines().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let (code, comment) = match raw.find("//") {
            Some(j) => (&raw[..j], &raw[j + 2..]),
            None => (raw, ""),
        };
        let code = code.trim();
        if code.is_empty() {
            continue;
        }
        let (verb, args) = match block {
            Some(verb) if code == ")" => {
                let _ = verb;
                block = None;
                continue;
            }
            Some(verb) => (verb, code),
            None => {
                let (verb, args) = code.split_once(char::is_whitespace).unwrap_or((code, ""));
                let args = args.trim();
                if args == "(" {
                    block = Some(verb);
                    continue;
                }
                (verb, args)
            }
        };
        let err = |what: &str| InventoryError::new(file, Some(number), format!("expected {what}"));
        let words: Vec<&str> = args.split_whitespace().map(unquote).collect();
        match verb {
            "require" => {
                let [path, version] = words[..] else {
                    return Err(err("`require MODULE VERSION`"));
                };
                requires.push(Require {
                    path,
                    version,
                    line: number,
                    indirect: comment.trim() == "indirect"
                        || comment.trim().starts_with("indirect;"),
                });
            }
            "replace" => {
                let arrow = words
                    .iter()
                    .position(|w| *w == "=>")
                    .ok_or_else(|| err("`replace OLD [VERSION] => NEW [VERSION]`"))?;
                let old = match words[..arrow] {
                    [path] => (path, None),
                    [path, version] => (path, Some(version)),
                    _ => return Err(err("`replace OLD [VERSION] => NEW [VERSION]`")),
                };
                let target = match words[arrow + 1..] {
                    [path] => Target::Local(path),
                    [path, version] => Target::Module(path, version),
                    _ => return Err(err("`replace OLD [VERSION] => NEW [VERSION]`")),
                };
                replaces.insert(old, target);
            }
            "toolchain" => toolchain = words.first().map(|w| (*w, number)),
            "go" => go = words.first().map(|w| (*w, number)),
            "module" | "exclude" | "retract" | "godebug" | "tool" | "ignore" => {}
            other => {
                return Err(InventoryError::new(
                    file,
                    Some(number),
                    format!("unknown go.mod directive `{other}`"),
                ))
            }
        }
    }
    if let Some(verb) = block {
        return Err(InventoryError::new(
            file,
            None,
            format!("`{verb} (` block is not closed"),
        ));
    }
    let mut parsed = Parsed::default();
    let stdlib = toolchain
        .and_then(|(t, line)| t.strip_prefix("go").map(|v| (v, line)))
        .or(go.filter(|(v, _)| v.split('.').count() >= 3));
    if let Some((version, line)) = stdlib {
        parsed.packages.push(crate::package(
            EcosystemKind::Go,
            "stdlib",
            version,
            Source {
                file: file.to_owned(),
                line: Some(line),
            },
            None,
        ));
    }
    for r in requires {
        let source = Source {
            file: file.to_owned(),
            line: Some(r.line),
        };
        let direct = Some(!r.indirect);
        let target = replaces
            .get(&(r.path, Some(r.version)))
            .or_else(|| replaces.get(&(r.path, None)));
        parsed.packages.push(match target {
            None => crate::package(EcosystemKind::Go, r.path, r.version, source, direct),
            Some(Target::Module(path, version)) => {
                crate::package(EcosystemKind::Go, path, version, source, direct)
            }
            Some(Target::Local(folder)) => crate::unidentified(
                r.path,
                &format!("{} => {folder}", r.version),
                source,
                direct,
            ),
        });
    }
    Ok(parsed)
}

fn unquote(word: &str) -> &str {
    word.strip_prefix('"')
        .and_then(|w| w.strip_suffix('"'))
        .unwrap_or(word)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{read, Format};

    #[test]
    fn reads_requires_replaces_and_toolchain() {
        let text = "\
module example.com/app

go 1.22
toolchain go1.22.3

require (
\tgolang.org/x/net v0.17.0
\tgithub.com/gin-gonic/gin v1.6.0 // indirect
\tgithub.com/old/lib v1.0.0
\t\"example.com/local\" v0.0.0
)

require github.com/single/mod v2.0.0+incompatible

replace github.com/old/lib => github.com/new/lib v1.2.0
replace example.com/local v0.0.0 => ../local
";
        let parsed = read(Format::GoMod, "go.mod", text.as_bytes()).unwrap();
        let got: Vec<_> = parsed
            .packages
            .iter()
            .map(|p| {
                (
                    p.ecosystem.is_some(),
                    p.name.as_str(),
                    p.version.as_str(),
                    p.source.line,
                    p.direct,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (true, "stdlib", "1.22.3", Some(4), None),
                (true, "golang.org/x/net", "v0.17.0", Some(7), Some(true)),
                (
                    true,
                    "github.com/gin-gonic/gin",
                    "v1.6.0",
                    Some(8),
                    Some(false)
                ),
                (true, "github.com/new/lib", "v1.2.0", Some(9), Some(true)),
                (
                    false,
                    "example.com/local",
                    "v0.0.0 => ../local",
                    Some(10),
                    Some(true)
                ),
                (
                    true,
                    "github.com/single/mod",
                    "v2.0.0+incompatible",
                    Some(13),
                    Some(true)
                ),
            ]
        );
        assert_eq!(
            parsed.packages[1].purl.as_deref(),
            Some("pkg:golang/golang.org/x/net@v0.17.0")
        );
    }

    #[test]
    fn a_language_version_is_not_a_toolchain_and_bad_lines_are_errors() {
        let parsed = read(Format::GoMod, "go.mod", b"module m\ngo 1.21\n").unwrap();
        assert!(parsed.packages.is_empty());
        let e = read(Format::GoMod, "go.mod", b"module m\nrequire x\n").unwrap_err();
        assert_eq!(e.to_string(), "go.mod:2: expected `require MODULE VERSION`");
        let e = read(Format::GoMod, "go.mod", b"require (\nx v1\n").unwrap_err();
        assert_eq!(e.to_string(), "go.mod: `require (` block is not closed");
        let e = read(Format::GoMod, "go.mod", b"frobnicate x\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "go.mod:1: unknown go.mod directive `frobnicate`"
        );
    }
}

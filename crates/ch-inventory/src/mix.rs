//! Elixir's `mix.lock`.
//!
//! The file is one Elixir map, `%{"name": {…}, …}`, each entry (one a line as Mix
//! writes it) keyed by the dependency's name and holding a tuple whose first
//! element is its source. `{:hex, :package, "1.2.3", "checksum", [:mix],
//! [dependencies…], "hexpm", "checksum"}` is a Hex package, named by the tuple's
//! package atom (an aliased dependency's key names the alias), from the public
//! repository `hexpm` or an organisation's `hexpm:org` (older files write no
//! repository); a package from another Hex repository is listed without an
//! ecosystem. `{:git, "url", "revision", [options…]}` is listed without an
//! ecosystem, by its key, the revision as its version. Other sources are skipped
//! with a warning. The file does not record which dependencies `mix.exs` declares
//! directly. The line is that of the entry's key.

use ch_types::EcosystemKind;

use crate::lines::Lines;
use crate::{InventoryError, Parsed, Source};

/// Deeper nesting than Mix ever writes is refused rather than followed.
const MAX_DEPTH: usize = 32;

/// An Elixir term, as far as `mix.lock` needs.
#[derive(Debug)]
enum Term {
    Atom(String),
    Str(String),
    /// A tuple, list or map's items (a keyword pair is a two-item tuple).
    Items(Vec<Term>),
    /// A number, `true`, `nil`…
    Other,
}

struct Scanner<'a> {
    text: &'a str,
    at: usize,
    lines: Lines,
    file: &'a str,
}

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let mut s = Scanner {
        text,
        at: 0,
        lines: Lines::new(text),
        file,
    };
    let mut parsed = Parsed::default();
    s.skip_space();
    if s.rest().is_empty() {
        return Ok(parsed);
    }
    if !s.eat("%{") {
        return Err(s.error("expected `%{` opening the lock's map"));
    }
    loop {
        s.skip_space();
        if s.eat("}") {
            break;
        }
        let line = s.line();
        let Some(key) = s.string()? else {
            return Err(s.error("expected an entry `\"NAME\": {…}`"));
        };
        if !(s.eat(":") || {
            s.skip_space();
            s.eat("=>")
        }) {
            return Err(s.error("expected `:` after the entry's name"));
        }
        let value = s.term(0)?;
        entry(file, line, &key, &value, &mut parsed)?;
        s.skip_space();
        if !s.eat(",") {
            s.skip_space();
            if s.eat("}") {
                break;
            }
            return Err(s.error("expected `,` or `}` after an entry"));
        }
    }
    Ok(parsed)
}

fn entry(
    file: &str,
    line: u32,
    key: &str,
    value: &Term,
    parsed: &mut Parsed,
) -> Result<(), InventoryError> {
    let Term::Items(items) = value else {
        return Err(InventoryError::new(
            file,
            Some(line),
            format!("expected `{key}` to be a tuple `{{:hex, …}}` or `{{:git, …}}`"),
        ));
    };
    let source = Source {
        file: file.to_owned(),
        line: Some(line),
    };
    match items.as_slice() {
        [Term::Atom(kind), rest @ ..] if kind == "hex" => {
            let (Some(Term::Atom(name)), Some(Term::Str(version))) = (rest.first(), rest.get(1))
            else {
                return Err(InventoryError::new(
                    file,
                    Some(line),
                    format!("expected `{key}` to be `{{:hex, :NAME, \"VERSION\", …}}`"),
                ));
            };
            let public = match rest.get(5) {
                Some(Term::Str(repo)) => repo == "hexpm" || repo.starts_with("hexpm:"),
                _ => true,
            };
            parsed.packages.push(if public {
                crate::package(EcosystemKind::Hex, name, version, source, None)
            } else {
                crate::unidentified(name, version, source, None)
            });
        }
        [Term::Atom(kind), rest @ ..] if kind == "git" => {
            let (Some(Term::Str(_url)), Some(Term::Str(revision))) = (rest.first(), rest.get(1))
            else {
                return Err(InventoryError::new(
                    file,
                    Some(line),
                    format!("expected `{key}` to be `{{:git, \"URL\", \"REVISION\", …}}`"),
                ));
            };
            parsed
                .packages
                .push(crate::unidentified(key, revision, source, None));
        }
        [Term::Atom(kind), ..] => parsed.warnings.push(format!(
            "{file}:{line}: `{key}` comes from a `:{kind}` source, which is not read; skipped"
        )),
        _ => {
            return Err(InventoryError::new(
                file,
                Some(line),
                format!("expected `{key}` to be a tuple `{{:hex, …}}` or `{{:git, …}}`"),
            ))
        }
    }
    Ok(())
}

impl<'a> Scanner<'a> {
    fn rest(&self) -> &'a str {
        self.text.get(self.at..).unwrap_or("")
    }

    fn line(&self) -> u32 {
        self.lines.line_of(self.at)
    }

    fn error(&self, message: &str) -> InventoryError {
        InventoryError::new(self.file, Some(self.line()), message)
    }

    fn eat(&mut self, token: &str) -> bool {
        let found = self.rest().starts_with(token);
        if found {
            self.at += token.len();
        }
        found
    }

    /// Skips whitespace and `#` comments.
    fn skip_space(&mut self) {
        loop {
            let rest = self.rest();
            let trimmed = rest.trim_start();
            self.at += rest.len() - trimmed.len();
            if trimmed.starts_with('#') {
                self.at += trimmed.find('\n').unwrap_or(trimmed.len());
            } else {
                return;
            }
        }
    }

    /// A `"string"` here, if one starts here.
    fn string(&mut self) -> Result<Option<String>, InventoryError> {
        if !self.rest().starts_with('"') {
            return Ok(None);
        }
        let start = self.at;
        let mut out = String::new();
        let mut chars = self.rest().char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.at = start + i + 1;
                    return Ok(Some(out));
                }
                '\\' => match chars.next() {
                    Some((_, 'n')) => out.push('\n'),
                    Some((_, 't')) => out.push('\t'),
                    Some((_, escaped)) => out.push(escaped),
                    None => break,
                },
                _ => out.push(c),
            }
        }
        Err(self.error("expected the string to end with `\"`"))
    }

    fn term(&mut self, depth: usize) -> Result<Term, InventoryError> {
        if depth > MAX_DEPTH {
            return Err(self.error("expected terms nested less deeply"));
        }
        self.skip_space();
        if let Some(s) = self.string()? {
            return Ok(Term::Str(s));
        }
        if self.eat("%{") {
            return self.items("}", depth);
        }
        if self.eat("{") {
            return self.items("}", depth);
        }
        if self.eat("[") {
            return self.items("]", depth);
        }
        if self.eat(":") {
            if let Some(s) = self.string()? {
                return Ok(Term::Atom(s));
            }
            let word = self.word();
            if word.is_empty() {
                return Err(self.error("expected an atom after `:`"));
            }
            return Ok(Term::Atom(word.to_owned()));
        }
        if self.word().is_empty() {
            return Err(self.error("expected a term"));
        }
        Ok(Term::Other)
    }

    /// The items of a tuple, list or map up to `close`; `key: value` and
    /// `key => value` pairs become two-item tuples.
    fn items(&mut self, close: &str, depth: usize) -> Result<Term, InventoryError> {
        let mut items = Vec::new();
        loop {
            self.skip_space();
            if self.eat(close) {
                return Ok(Term::Items(items));
            }
            let start = self.at;
            let word = self.word().to_owned();
            let item = if !word.is_empty() && self.eat(":") {
                // A keyword pair `key: value`.
                let value = self.term(depth + 1)?;
                Term::Items(vec![Term::Atom(word), value])
            } else {
                self.at = start;
                let item = self.term(depth + 1)?;
                self.skip_space();
                if self.eat(":") || self.eat("=>") {
                    let value = self.term(depth + 1)?;
                    Term::Items(vec![item, value])
                } else {
                    item
                }
            };
            items.push(item);
            self.skip_space();
            if !self.eat(",") {
                self.skip_space();
                if self.eat(close) {
                    return Ok(Term::Items(items));
                }
                return Err(self.error(&format!("expected `,` or `{close}`")));
            }
        }
    }

    /// A run of identifier or number characters here.
    fn word(&mut self) -> &'a str {
        let start = self.at;
        let len = self
            .rest()
            .find(|c: char| !(c.is_alphanumeric() || "_@?!.+-".contains(c)))
            .unwrap_or(self.rest().len());
        self.at += len;
        self.text.get(start..self.at).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{read, rows, Format};

    const LOCK: &str = r#"%{
  "castore": {:hex, :castore, "1.0.3", "7130ba6d24c8424014194676d608cb989f62ef8039efd50ff4b3f33286d06db8", [:mix], [], "hexpm", "680ab01ef5d15b161ed6a95449fac5c6b8f60055677a8e79acf01b27baa4390b"},
  "decimal": {:hex, :decimal, "2.1.1", "5611dca5d4b2c3dd497dec8f68751f1f1a54755e8ed2a966c2633cf885973ad6", [:mix], [], "hexpm", "53cfe5f497ed0e7771ae1a475575603d77425099ba5faef9394932b35020ffcc"},
  "ecto_sql": {:hex, :ecto_sql, "3.10.2", "6b98b46534b5c2f8b8b5f03f126e75e2a73c64f3c071149d32987a5378b0fdbd", [:mix], [{:db_connection, "~> 2.4.1 or ~> 2.5", [hex: :db_connection, repo: "hexpm", optional: false]}, {:ecto, "~> 3.10.0", [hex: :ecto, repo: "hexpm", optional: false]}, {:postgrex, "~> 0.16.0 or ~> 0.17.0 or ~> 1.0", [hex: :postgrex, repo: "hexpm", optional: true]}], "hexpm", "68c018debca57cb9235e3889affdaec7a10616a4e3a80c99fa1d01fdafaa9007"},
  # an aliased dependency, from an organisation's repository
  "billing": {:hex, :acme_billing, "0.9.0", "0f3c1b5e2a7d4c6e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e", [:mix], [], "hexpm:acme", "1e2d3c4b5a69788796a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3"},
  "internal_auth": {:hex, :internal_auth, "1.4.0", "aa11", [:mix], [], "corp_repo", "bb22"},
  "phoenix_live_view": {:git, "https://github.com/phoenixframework/phoenix_live_view.git", "8d2b33ac9691bd624ede602088d213f89600d233", [branch: "main"]},
  "telemetry": {:hex, :telemetry, "1.2.1", "68fdfe8d8f05a8428483a97d7aab2f268aaff24b49e0f599faa091f1d4e7f61c", [:rebar3], [], "hexpm", "dad9ce9d8effc621708f99eac538ef1cbe05d6a874dd741de2e689c47feafed5"},
  "jason": {:hex, :jason, "1.2.2", "ba43e3f2709fd1aa1dce90aaabfd039d000469c05c56f0b8e31978e03fa39052", [:mix], [{:decimal, "~> 1.0 or ~> 2.0", [hex: :decimal, optional: true]}]},
}
"#;

    #[test]
    fn reads_hex_organisation_other_repository_and_git_entries() {
        let parsed = read(Format::MixLock, "mix.lock", LOCK.as_bytes()).unwrap();
        let hex = Some("Hex".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (hex.clone(), "castore", "1.0.3", Some(2), None),
                (hex.clone(), "decimal", "2.1.1", Some(3), None),
                (hex.clone(), "ecto_sql", "3.10.2", Some(4), None),
                (hex.clone(), "acme_billing", "0.9.0", Some(6), None),
                (None, "internal_auth", "1.4.0", Some(7), None),
                (
                    None,
                    "phoenix_live_view",
                    "8d2b33ac9691bd624ede602088d213f89600d233",
                    Some(8),
                    None
                ),
                (hex.clone(), "telemetry", "1.2.1", Some(9), None),
                (hex.clone(), "jason", "1.2.2", Some(10), None),
            ]
        );
        assert_eq!(
            parsed.packages[2].purl.as_deref(),
            Some("pkg:hex/ecto_sql@3.10.2")
        );
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    }

    #[test]
    fn malformed_entries_are_errors_and_unknown_sources_warnings() {
        let e = read(
            Format::MixLock,
            "mix.lock",
            b"%{\n  \"plug\": {:hex, :plug, \"1.14.2\", \"ab\", [:mix], [], \"hexpm\", \"cd\"},\n  \"ranch\": {:hex, :ranch, 1.8},\n}\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "mix.lock:3: expected `ranch` to be `{:hex, :NAME, \"VERSION\", …}`"
        );
        let e = read(
            Format::MixLock,
            "mix.lock",
            b"%{\n  \"plug\": {:hex, :plug, \"1.14.2\"\n  \"ranch\": {}\n}\n",
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "mix.lock:3: expected `,` or `}`");
        let e = read(Format::MixLock, "mix.lock", b"[\n]").unwrap_err();
        assert_eq!(
            e.to_string(),
            "mix.lock:1: expected `%{` opening the lock's map"
        );
        let parsed = read(Format::MixLock, "mix.lock", b"%{\"local\": {:svn, \"x\"}}").unwrap();
        assert_eq!(
            parsed.warnings,
            vec!["mix.lock:1: `local` comes from a `:svn` source, which is not read; skipped"]
        );
    }
}

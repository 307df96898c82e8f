//! Block-style YAML as lockfile writers emit it, read a line at a time.
//!
//! `pnpm-lock.yaml` and `pubspec.lock` are written by YAML emitters in block style:
//! one `key: value` (or `key:` opening a nested block) a line, nesting shown by
//! indentation in spaces, keys and values plain or quoted (`'…'` with `''` for a
//! quote, `"…"` with backslash escapes), flow collections (`{a: b}`, `[x]`) on one
//! line, and no anchors, tags or keys spanning lines. Reading them line by line
//! keeps each entry's line number, which YAML parsers do not report. Each line is
//! given with the keys of the blocks enclosing it; a line that is not a
//! `key: value` (a sequence item, a continued multi-line scalar) is given as such
//! for the caller to judge. Comment lines and blank lines are skipped.

/// One line of a document.
pub(crate) struct Node<'a> {
    /// The 1-based line.
    pub(crate) line: u32,
    /// The keys of the enclosing blocks, outermost first.
    pub(crate) parents: &'a [String],
    pub(crate) kind: NodeKind,
}

pub(crate) enum NodeKind {
    /// `key: value`, or `key:` (an empty value) where a nested block follows. A
    /// quoted value is unquoted; a flow collection is kept as written.
    Pair { key: String, value: String },
    /// Anything else: a sequence item `- x`, a continued multi-line scalar.
    Other,
    /// `---` or `...`: a document starts or ends.
    Document,
}

/// Calls `visit` with each line of `text` and what encloses it, in order, until it
/// fails.
pub(crate) fn walk<E>(
    text: &str,
    mut visit: impl FnMut(&Node<'_>) -> Result<(), E>,
) -> Result<(), E> {
    // The open blocks' keys and indents.
    let mut keys: Vec<String> = Vec::new();
    let mut indents: Vec<usize> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let trimmed = raw.trim_end();
        let content = trimmed.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = trimmed.len() - content.len();
        if indent == 0 && (content == "---" || content.starts_with("--- ") || content == "...") {
            keys.clear();
            indents.clear();
            visit(&Node {
                line,
                parents: &keys,
                kind: NodeKind::Document,
            })?;
            continue;
        }
        while indents.last().is_some_and(|at| *at >= indent) {
            indents.pop();
            keys.pop();
        }
        match pair(content) {
            Some((key, value)) => {
                visit(&Node {
                    line,
                    parents: &keys,
                    kind: NodeKind::Pair {
                        key: key.clone(),
                        value,
                    },
                })?;
                // Opened even when the value is on the line: more deeply indented
                // lines after it continue the value and belong to no other key.
                keys.push(key);
                indents.push(indent);
            }
            None => visit(&Node {
                line,
                parents: &keys,
                kind: NodeKind::Other,
            })?,
        }
    }
    Ok(())
}

/// `key: value` → (key, value), keys and values unquoted.
fn pair(content: &str) -> Option<(String, String)> {
    if content == "-"
        || content.starts_with("- ")
        || content.starts_with(['{', '[', '?', '&', '*', '!', '|', '>'])
    {
        return None;
    }
    let (key, rest) = if content.starts_with(['\'', '"']) {
        let (key, used) = quoted(content)?;
        (key, content.get(used..)?.trim_start())
    } else {
        let end = plain_key_end(content)?;
        (
            content.get(..end)?.trim_end().to_owned(),
            content.get(end..)?,
        )
    };
    let rest = rest.strip_prefix(':')?;
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    Some((key, scalar(rest.trim())))
}

/// Where a plain key ends: at the first `:` followed by a space or the line's end.
fn plain_key_end(content: &str) -> Option<usize> {
    let bytes = content.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b':' if bytes.get(i + 1).is_none_or(|n| *n == b' ' || *n == b'\t') => return Some(i),
            // A comment before any `:`: no key on this line.
            b'#' if i > 0 && bytes.get(i - 1) == Some(&b' ') => return None,
            _ => {}
        }
    }
    None
}

/// A value: quoted (unquoted here), or plain up to a ` #` comment.
fn scalar(value: &str) -> String {
    if value.starts_with(['\'', '"']) {
        if let Some((unquoted, _)) = quoted(value) {
            return unquoted;
        }
    }
    let end = value.find(" #").unwrap_or(value.len());
    value.get(..end).unwrap_or(value).trim_end().to_owned()
}

/// A quoted scalar at the start of `s` → (its text, the bytes it used); `None`
/// when the quote is not closed on the line.
fn quoted(s: &str) -> Option<(String, usize)> {
    let mut chars = s.char_indices();
    let (_, quote) = chars.next()?;
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            ('\'', '\'') => {
                if s.get(i + 1..).is_some_and(|r| r.starts_with('\'')) {
                    out.push('\'');
                    chars.next();
                } else {
                    return Some((out, i + 1));
                }
            }
            ('"', '"') => return Some((out, i + 1)),
            ('"', '\\') => {
                let (_, escaped) = chars.next()?;
                match escaped {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    '0' => out.push('\0'),
                    'u' | 'x' | 'U' => {
                        let len = match escaped {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let mut hex = String::new();
                        for _ in 0..len {
                            hex.push(chars.next()?.1);
                        }
                        let decoded = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                        out.push(decoded.unwrap_or(char::REPLACEMENT_CHARACTER));
                    }
                    other => out.push(other),
                }
            }
            _ => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// (line, parents joined by `/`, what the line holds).
    fn nodes(text: &str) -> Vec<(u32, String, NodeKind)> {
        let mut out = Vec::new();
        walk::<()>(text, |n| {
            let kind = match &n.kind {
                NodeKind::Pair { key, value } => NodeKind::Pair {
                    key: key.clone(),
                    value: value.clone(),
                },
                NodeKind::Other => NodeKind::Other,
                NodeKind::Document => NodeKind::Document,
            };
            out.push((n.line, n.parents.join("/"), kind));
            Ok(())
        })
        .unwrap();
        out
    }

    fn pairs(text: &str) -> Vec<(u32, String, String, String)> {
        nodes(text)
            .into_iter()
            .filter_map(|(line, parents, kind)| match kind {
                NodeKind::Pair { key, value } => Some((line, parents, key, value)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn reads_nesting_quoting_and_comments() {
        let text = "# head\na:\n  'b''s': \"x \\\"y\\\" \\u00e9\" # note\n  c:\n    d: plain value # c\n    url: https://x.example/a#frag\n\n  e: {f: g}\nh: ''\n";
        assert_eq!(
            pairs(text),
            vec![
                (2, String::new(), "a".into(), String::new()),
                (3, "a".into(), "b's".into(), "x \"y\" é".into()),
                (4, "a".into(), "c".into(), String::new()),
                (5, "a/c".into(), "d".into(), "plain value".into()),
                (
                    6,
                    "a/c".into(),
                    "url".into(),
                    "https://x.example/a#frag".into()
                ),
                (8, "a".into(), "e".into(), "{f: g}".into()),
                (9, String::new(), "h".into(), String::new()),
            ]
        );
    }

    #[test]
    fn continuations_items_and_documents() {
        let text = "a:\n  b: long\n    text: more\n  - item\n---\nc: 1\n";
        let got: Vec<_> = nodes(text)
            .into_iter()
            .map(|(line, parents, kind)| {
                let kind = match kind {
                    NodeKind::Pair { key, .. } => key,
                    NodeKind::Other => "-".into(),
                    NodeKind::Document => "---".into(),
                };
                (line, parents, kind)
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (1, String::new(), "a".into()),
                (2, "a".into(), "b".into()),
                (3, "a/b".into(), "text".into()),
                (4, "a".into(), "-".into()),
                (5, String::new(), "---".into()),
                (6, String::new(), "c".into()),
            ]
        );
    }

    #[test]
    fn unclosed_quotes_and_odd_lines_are_not_pairs() {
        assert!(pair("'a: b").is_none());
        assert!(pair("\"a\\").is_none());
        assert!(pair("just text").is_none());
        assert!(pair("a:b").is_none());
        assert_eq!(pair("a:").unwrap(), ("a".into(), String::new()));
        assert_eq!(
            pair("file:x/y: 1").unwrap(),
            ("file:x/y".into(), "1".into())
        );
    }
}

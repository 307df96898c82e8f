//! Byte offsets to line numbers, and finding an entry's line in JSON text (serde
//! keeps no positions).

/// The line starts of a text.
pub(crate) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub(crate) fn new(text: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub(crate) fn line_of(&self, offset: usize) -> u32 {
        let i = self.starts.partition_point(|&s| s <= offset);
        u32::try_from(i.max(1)).unwrap_or(u32::MAX)
    }
}

/// Finds where JSON string values appear, in document order: each search starts
/// after the previous find, so repeated values get successive lines.
pub(crate) struct JsonCursor<'a> {
    text: &'a str,
    lines: Lines,
    at: usize,
}

impl<'a> JsonCursor<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        JsonCursor {
            text,
            lines: Lines::new(text),
            at: 0,
        }
    }

    /// The line of the next occurrence of `"value"` (JSON-escaped as serde writes
    /// it) followed by `suffix` (`:` for an object key, empty for a value),
    /// searching onwards from the last find, then from the start. `None` when the
    /// file spells it differently (another escaping).
    pub(crate) fn find(&mut self, value: &str, suffix: &str) -> Option<u32> {
        let quoted = serde_json::to_string(value).ok()?;
        let found = find_token(self.text, self.at, &quoted, suffix)
            .or_else(|| find_token(self.text, 0, &quoted, suffix))?;
        self.at = found + quoted.len();
        Some(self.lines.line_of(found))
    }

    /// The line of the next object key `"key"` whose value opens with `opener`
    /// (`{` or `[`), searching as [`find`](Self::find) does. Unlike `find(key, ":")`
    /// it passes over the same name used as a key with a string value, as in a
    /// package's own dependency map written before the package's entry.
    pub(crate) fn find_key_with(&mut self, key: &str, opener: char) -> Option<u32> {
        let quoted = serde_json::to_string(key).ok()?;
        let opens = |after: &str| {
            after
                .strip_prefix(':')
                .is_some_and(|rest| rest.trim_start().starts_with(opener))
        };
        let found = find_where(self.text, self.at, &quoted, opens)
            .or_else(|| find_where(self.text, 0, &quoted, opens))?;
        self.at = found + quoted.len();
        Some(self.lines.line_of(found))
    }
}

/// The offset of `quoted` at or after `from`, followed (after whitespace) by
/// `suffix`.
fn find_token(text: &str, from: usize, quoted: &str, suffix: &str) -> Option<usize> {
    find_where(text, from, quoted, |after| after.starts_with(suffix))
}

/// The offset of `quoted` at or after `from` where what follows it (after
/// whitespace) satisfies `follows`.
fn find_where(
    text: &str,
    from: usize,
    quoted: &str,
    follows: impl Fn(&str) -> bool,
) -> Option<usize> {
    let mut from = from;
    while let Some(i) = text.get(from..)?.find(quoted) {
        let at = from + i;
        let after = text.get(at + quoted.len()..).unwrap_or("").trim_start();
        if follows(after) {
            return Some(at);
        }
        from = at + quoted.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based() {
        let l = Lines::new("a\nbc\n\nd");
        assert_eq!(l.line_of(0), 1);
        assert_eq!(l.line_of(1), 1);
        assert_eq!(l.line_of(2), 2);
        assert_eq!(l.line_of(5), 3);
        assert_eq!(l.line_of(6), 4);
    }

    #[test]
    fn cursor_finds_successive_occurrences_and_keys() {
        let text = "{\n \"a\": \"x\",\n \"b\": \"x\",\n \"x\": 1\n}";
        let mut c = JsonCursor::new(text);
        assert_eq!(c.find("x", ","), Some(2));
        assert_eq!(c.find("x", ","), Some(3));
        assert_eq!(c.find("x", ":"), Some(4));
        // Wraps around to the first occurrence.
        assert_eq!(c.find("a", ":"), Some(2));
        assert_eq!(c.find("absent", ""), None);
    }

    #[test]
    fn cursor_finds_keys_by_what_their_value_opens_with() {
        let text = "{\n \"a\": {\"b\": \"1\"},\n \"b\": {\n  \"c\": []\n }\n}";
        let mut c = JsonCursor::new(text);
        assert_eq!(c.find_key_with("a", '{'), Some(2));
        assert_eq!(c.find_key_with("b", '{'), Some(3));
        assert_eq!(c.find_key_with("c", '['), Some(4));
        assert_eq!(c.find_key_with("c", '{'), None);
    }
}

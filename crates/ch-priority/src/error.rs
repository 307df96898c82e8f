/// A policy file that cannot be used, with the place and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct PolicyError {
    /// The file (as its caller named it).
    pub file: String,
    /// The 1-based line, where one is at fault.
    pub line: Option<usize>,
    pub message: String,
}

impl PolicyError {
    pub(crate) fn new(file: &str, line: Option<usize>, message: impl Into<String>) -> Self {
        PolicyError {
            file: file.to_owned(),
            line,
            message: message.into(),
        }
    }
}

/// 1-based line of byte offset `at` in `text`.
pub(crate) fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Parses TOML into `T`, mapping errors to one line naming the file and line.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(
    file: &str,
    text: &str,
) -> Result<T, PolicyError> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        PolicyError::new(file, line, e.message().trim_end().replace('\n', " "))
    })
}

/// A TOML date (`2026-06-10`, no time) as a calendar date.
pub(crate) fn date(
    file: &str,
    text: &str,
    key: &str,
    value: &toml::Spanned<toml::value::Datetime>,
) -> Result<time::Date, PolicyError> {
    let line = Some(line_of(text, value.span().start));
    let dt = value.get_ref();
    match (dt.date, dt.time, dt.offset) {
        (Some(d), None, None) => time::Month::try_from(d.month)
            .ok()
            .and_then(|m| time::Date::from_calendar_date(i32::from(d.year), m, d.day).ok())
            .ok_or_else(|| PolicyError::new(file, line, format!("`{key}` is not a valid date"))),
        _ => Err(PolicyError::new(
            file,
            line,
            format!("`{key}` must be a date like 2026-06-10, without a time"),
        )),
    }
}

//! The fallback ordering for ecosystems whose version rules we do not know.
//!
//! A version is split into runs of ASCII digits and runs of other alphanumeric
//! characters; any other character only separates runs. Runs are compared left to
//! right: two numeric runs by value (of any length), two alphabetic runs by byte
//! order, and a numeric run is greater than an alphabetic one. When all shared runs
//! are equal, the version with more runs is greater. This is the "natural" order most
//! ecosystems agree on for plain releases (`1.9 < 1.10`, `1.0 < 1.0.1`); it makes no
//! claim about pre-release markers, which differ between ecosystems.

use std::cmp::Ordering;

/// A version under the fallback ordering.
#[derive(Debug, Clone)]
pub struct GenericVersion {
    runs: Vec<Run>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Run {
    /// Digits with leading zeros removed (so length then bytes orders by value).
    Number(String),
    Text(String),
}

impl GenericVersion {
    /// Parses any non-empty string that holds at least one alphanumeric character.
    pub fn parse(input: &str) -> Result<Self, String> {
        let mut runs = Vec::new();
        let mut chars = input.char_indices().peekable();
        while let Some(&(start, c)) = chars.peek() {
            if c.is_ascii_digit() {
                let mut end = start;
                while let Some(&(i, d)) = chars.peek() {
                    if !d.is_ascii_digit() {
                        break;
                    }
                    end = i + d.len_utf8();
                    chars.next();
                }
                let digits = input[start..end].trim_start_matches('0');
                runs.push(Run::Number(digits.to_owned()));
            } else if c.is_alphanumeric() {
                let mut end = start;
                while let Some(&(i, d)) = chars.peek() {
                    if !d.is_alphanumeric() || d.is_ascii_digit() {
                        break;
                    }
                    end = i + d.len_utf8();
                    chars.next();
                }
                runs.push(Run::Text(input[start..end].to_owned()));
            } else {
                chars.next();
            }
        }
        if runs.is_empty() {
            return Err("expected at least one letter or digit".to_owned());
        }
        Ok(GenericVersion { runs })
    }
}

impl Ord for GenericVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        for (a, b) in self.runs.iter().zip(&other.runs) {
            let ord = match (a, b) {
                (Run::Number(x), Run::Number(y)) => x.len().cmp(&y.len()).then_with(|| x.cmp(y)),
                (Run::Text(x), Run::Text(y)) => x.cmp(y),
                (Run::Number(_), Run::Text(_)) => Ordering::Greater,
                (Run::Text(_), Run::Number(_)) => Ordering::Less,
            };
            if ord != Ordering::Equal {
                return ord;
            }
        }
        self.runs.len().cmp(&other.runs.len())
    }
}

crate::ord_from_cmp!(GenericVersion);

#[cfg(test)]
mod tests {
    use super::*;

    fn cmp(a: &str, b: &str) -> Ordering {
        GenericVersion::parse(a)
            .unwrap()
            .cmp(&GenericVersion::parse(b).unwrap())
    }

    #[test]
    fn orders_numbers_by_value_and_length() {
        assert_eq!(cmp("1.9", "1.10"), Ordering::Less);
        assert_eq!(cmp("1.0", "1.0.1"), Ordering::Less);
        assert_eq!(cmp("01.2", "1.2"), Ordering::Equal);
        assert_eq!(cmp("1_2", "1.2"), Ordering::Equal);
        assert_eq!(
            cmp("99999999999999999999999", "100000000000000000000000"),
            Ordering::Less
        );
        assert_eq!(cmp("1.a", "1.1"), Ordering::Less);
        assert_eq!(cmp("1.b", "1.a"), Ordering::Greater);
    }

    #[test]
    fn rejects_strings_without_alphanumerics() {
        assert!(GenericVersion::parse("").is_err());
        assert!(GenericVersion::parse("...").is_err());
    }
}

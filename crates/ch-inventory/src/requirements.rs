//! pip requirements files.
//!
//! A requirement pinned with `==` or `===` to one version (`name[extra]==1.2.3 ;
//! marker --hash=…`) is a package. `-r FILE` / `--requirement FILE` includes are
//! returned for the caller to follow; `-c` constraint files only limit versions and
//! are not read. Environment markers are not evaluated: a pinned requirement counts
//! whatever its marker says (a scan should not miss a package installed on another
//! platform). Requirements without an exact pin (`>=`, `~=`, wildcards, none), and
//! URL, path and editable requirements, name no version: they are reported in one
//! warning per file, by line, as not checked.

use ch_types::EcosystemKind;

use crate::{InventoryError, Parsed, Source};

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let mut parsed = Parsed::default();
    let mut unpinned: Vec<String> = Vec::new();
    let mut logical = String::new();
    let mut start_line = 0u32;
    let mut lines = text.lines().enumerate().peekable();
    while let Some((i, raw)) = lines.next() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if logical.is_empty() {
            start_line = number;
        }
        // A comment starts at `#` at the line's start or after whitespace.
        let without_comment = match raw
            .char_indices()
            .find(|&(j, c)| c == '#' && (j == 0 || raw[..j].ends_with(char::is_whitespace)))
        {
            Some((j, _)) => &raw[..j],
            None => raw,
        };
        if let Some(continued) = without_comment.strip_suffix('\\') {
            logical.push_str(continued);
            logical.push(' ');
            if lines.peek().is_some() {
                continue;
            }
        } else {
            logical.push_str(without_comment);
        }
        let line = std::mem::take(&mut logical);
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        read_line(file, line, start_line, &mut parsed, &mut unpinned);
    }
    if !unpinned.is_empty() {
        parsed.warnings.push(format!(
            "{file}: {} requirement{} without an exact `==` pin, not checked: {}",
            unpinned.len(),
            if unpinned.len() == 1 { "" } else { "s" },
            unpinned.join(", ")
        ));
    }
    Ok(parsed)
}

fn read_line(file: &str, line: &str, number: u32, parsed: &mut Parsed, unpinned: &mut Vec<String>) {
    if let Some(option) = line.strip_prefix('-') {
        let (flag, value) = match option.split_once(|c: char| c == '=' || c.is_whitespace()) {
            Some((f, v)) => (f, v.trim()),
            None => (option, ""),
        };
        if matches!(flag, "r" | "-requirement") && !value.is_empty() {
            parsed.includes.push((value.to_owned(), number));
        } else if matches!(flag, "e" | "-editable") {
            unpinned.push(format!("{value} (line {number}, editable)"));
        }
        return;
    }
    // Strip the per-requirement options and the marker.
    let spec = line.split(" --").next().unwrap_or(line);
    let spec = spec.split(';').next().unwrap_or(spec).trim();
    let name_end = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(spec.len());
    let name = &spec[..name_end];
    let mut rest = spec[name_end..].trim_start();
    if name.is_empty() {
        unpinned.push(format!("{spec} (line {number})"));
        return;
    }
    if let Some(after) = rest.strip_prefix('[') {
        rest = after.split_once(']').map_or("", |(_, r)| r).trim_start();
    }
    let pinned = rest
        .strip_prefix("===")
        .or_else(|| rest.strip_prefix("=="))
        .map(str::trim)
        .filter(|v| !v.is_empty() && !v.contains([',', '*', ' ', '<', '>', '!', '~', '@']));
    match pinned {
        Some(version) => parsed.packages.push(crate::package(
            EcosystemKind::PyPI,
            name,
            version,
            Source {
                file: file.to_owned(),
                line: Some(number),
            },
            Some(true),
        )),
        None => unpinned.push(format!("{name} (line {number})")),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{read, Format};

    #[test]
    fn reads_pins_with_extras_markers_hashes_and_continuations() {
        let text = "\
# production pins
Django==3.2.0  # LTS
requests[socks,security] == 2.25.1 ; python_version >= \"3.6\"
jinja2==2.4.1 \\
    --hash=sha256:0000 \\
    --hash=sha256:1111
-r common.txt
--requirement=more/extra.txt
-c constraints.txt
flask>=1.0
numpy
Pillow===8.0.0
-e git+https://github.com/x/y.git#egg=y
pkg @ https://example.com/pkg-1.0.tar.gz
celery==5.*
";
        let parsed = read(Format::Requirements, "requirements.txt", text.as_bytes()).unwrap();
        let got: Vec<_> = parsed
            .packages
            .iter()
            .map(|p| {
                (
                    p.name.as_str(),
                    p.version.as_str(),
                    p.source.line,
                    p.purl.as_deref().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("Django", "3.2.0", Some(2), "pkg:pypi/django@3.2.0"),
                ("requests", "2.25.1", Some(3), "pkg:pypi/requests@2.25.1"),
                ("jinja2", "2.4.1", Some(4), "pkg:pypi/jinja2@2.4.1"),
                ("Pillow", "8.0.0", Some(12), "pkg:pypi/pillow@8.0.0"),
            ]
        );
        assert_eq!(
            parsed.includes,
            vec![
                ("common.txt".to_owned(), 7),
                ("more/extra.txt".to_owned(), 8)
            ]
        );
        assert_eq!(
            parsed.warnings,
            vec!["requirements.txt: 5 requirements without an exact `==` pin, not checked: \
                  flask (line 10), numpy (line 11), git+https://github.com/x/y.git#egg=y (line 13, editable), \
                  pkg (line 14), celery (line 15)"]
        );
    }
}

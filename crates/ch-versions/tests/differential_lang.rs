//! Differential tests of the language-ecosystem orderings (PyPI, Maven, NuGet,
//! RubyGems, Packagist) against their reference implementations, over the
//! versions in the real advisory data plus generated edge cases.
//!
//! Reference tools (the scripts are in `tests/reference/`):
//! * PyPI: Python 3 with `packaging` and `packaging-legacy` (`pep440.py`).
//! * Maven: Java 17 and Maven's `maven-artifact` jar (`MavenCompare.java`).
//! * RubyGems: Ruby 3.1's `Gem::Version` (`gem_version.rb`).
//! * Packagist: PHP 8.2 with Debian's `php-composer-semver` (`composer_compare.php`).
//! * NuGet: no reference runs here (no .NET); checked against the vectors of
//!   NuGet.Client's and osv.dev's test suites instead.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;

use ch_test_support::ReferenceTool;
use ch_versions::Scheme;

fn data_versions(zip: &str, ecosystem: &str) -> Option<Vec<String>> {
    let shared = ch_test_support::shared_data()?;
    let path: PathBuf = shared.join(zip).join("all.zip");
    let versions = ch_test_support::osv_versions(&[path], ecosystem);
    assert!(
        versions.len() > 100,
        "expected the {ecosystem} data to hold versions, found {}",
        versions.len()
    );
    Some(versions)
}

/// Drops strings that the line protocol of the reference tools cannot carry
/// (they read `A<TAB>B` lines).
fn transportable(mut versions: Vec<String>) -> Vec<String> {
    versions.retain(|v| !v.contains(['\n', '\r', '\t']));
    versions
}

/// Every `base + suffix` combination.
fn combine(bases: &[&str], suffixes: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for b in bases {
        for s in suffixes {
            out.push(format!("{b}{s}"));
        }
    }
    out
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

// ---------------------------------------------------------------------------
// PyPI
// ---------------------------------------------------------------------------

fn pypi_generated() -> Vec<String> {
    let bases = [
        "0",
        "1",
        "1.0",
        "1.0.0",
        "01.2",
        "1.2",
        "1.2.3.4",
        "v1.0",
        "V1.2",
        "1!1.0",
        "2!0",
        "0!1.0",
        "1.10",
        "1.9",
        "1.18446744073709551615",
        "1.18446744073709551616",
        "1.99999999999999999999",
        "1.100000000000000000000",
    ];
    let suffixes = [
        "",
        "a1",
        "-alpha1",
        ".a.1",
        "_a_1",
        "b",
        "beta2",
        "B2",
        "rc1",
        "c1",
        "pre1",
        "preview",
        "-rc.1",
        "RC",
        ".post1",
        "-1",
        "r2",
        "rev",
        "post",
        "-post-2",
        ".dev1",
        "dev",
        "-dev",
        "a1.dev2",
        "a1.post2.dev3",
        ".post1.dev1",
        "rc1-1",
        "+local",
        "+abc.5",
        "+5",
        "+ABC-1",
        "+1.abc",
        "+abc_01",
        "a1+x.1",
        ".post1+x",
        "a",
        "a-",
        "a.",
        "-",
        ".",
        "+",
        "a1a",
        "x",
        ".x",
        "-final",
        "_1",
        "..1",
        ".0",
        ".0.0",
        "-SNAPSHOT",
        "a0",
        "c",
        "alpha",
        "r",
    ];
    let mut out = combine(&bases, &suffixes);
    out.extend(strings(&[
        "",
        " ",
        "foo",
        "invalid",
        "1.0-final-1",
        "dev",
        "1.0.0-pre-release",
        "2.0-SNAPSHOT",
        "1.0_final",
        "1.0-dev-r123",
        "1.0.dev-r123",
        "123456789.x",
        "99999999.x",
        "0.0-0",
        "1.0.preview-1",
        "1.0.2 beta",
        "1.0 ",
        " 1.0",
        "\u{a0}1.0\u{2003}",
        "\u{1c}1.0\u{85}",
        "\u{200b}1.0",
        "١.٢",
        "1.٢",
        "٣",
        "ΑΣ",
        "ΑΣ.1",
        "İ1",
        "K1.0",
        "ſ1",
        "1.0.poſt1",
        "1.0-ﬀ",
        "Straße",
        "1.0-Ǆ",
        "💥",
        "1.0~rc1",
        "1.0^2",
        "1:1.0",
        "1.0,1",
        "*",
        "1.*",
        "=1.0",
        "1.0.0.0.0.0.0.1",
        "00000000",
        "000000000",
        "1.00000000",
        "1.000000000.x",
        "1.0-pre",
        "1.0-c",
        "1.0.rc",
        "1.0-@",
        "1.0.final",
        "1.0-final",
        "1.0.*final",
        "1.0.a-1",
        "1.0.final-1",
        "12345678901234567890",
        "1.12345678901234567890",
        "1.0+12345678901234567890",
        "1.0a99999999999999999999",
        "99999999999999999999!1.0",
    ]));
    // Numbers at Python's int() limit: 4300 digits parse, 4301 raise.
    out.push(format!("1.{}", "7".repeat(4300)));
    out.push(format!("1.{}", "7".repeat(4299)));
    out.push(format!("1.{}", "7".repeat(4301)));
    out.push(format!("1.0+{}", "7".repeat(4301)));
    out.push(format!("x.{}", "7".repeat(4301)));
    out
}

#[test]
fn pypi_against_python_packaging() {
    let Some(mut versions) = data_versions("osv-pypa", "PyPI") else {
        return;
    };
    let tool = ReferenceTool::new(
        "python packaging + packaging-legacy",
        &["python3", "crates/ch-versions/tests/reference/pep440.py"],
    );
    if !tool.available() {
        return;
    }
    versions.extend(pypi_generated());
    let n = common::check_against(
        Scheme::Pep440,
        &tool,
        transportable(versions),
        40_000,
        |_, _, _, _| false,
    );
    eprintln!("pypi: {n} pairs agree");
}

// ---------------------------------------------------------------------------
// RubyGems
// ---------------------------------------------------------------------------

fn rubygems_generated() -> Vec<String> {
    let bases = [
        "0", "1", "1.0", "1.0.0", "01.2", "1.2", "1.2.3.4", "1.10", "1.9", "2",
    ];
    let suffixes = [
        "", ".a", ".b", ".pre", ".pre.1", ".rc1", ".RC1", ".beta.2", ".0", ".0.0", ".0.a", ".a.0",
        ".a.0.1", "-beta", "-beta.1", "-1", "--", "-a-b.c", "a", "b1", "A", ".1a", ".a1b2", ".0a0",
        ".final", "-", ".", "..1", "_1", "+b", " ", "x",
    ];
    let mut out = combine(&bases, &suffixes);
    out.extend(strings(&[
        "",
        " ",
        " 1.0\u{b}",
        "\u{b}1\u{c}",
        "\u{a0}1",
        "a",
        "v1.0",
        "-1",
        "1a",
        "1.0.é",
        "١",
        "1.0-é",
        "12345678901234567890123",
        "1.12345678901234567890123",
        "1.0.pre.12345678901234567890123",
        "1.0.ZZZ",
        "1.0.zzz",
    ]));
    out
}

#[test]
fn rubygems_against_gem_version() {
    let Some(mut versions) = data_versions("osv-rubysec", "RubyGems") else {
        return;
    };
    let tool = ReferenceTool::new(
        "ruby Gem::Version",
        &["ruby", "crates/ch-versions/tests/reference/gem_version.rb"],
    );
    if !tool.available() {
        return;
    }
    versions.extend(rubygems_generated());
    let n = common::check_against(
        Scheme::RubyGems,
        &tool,
        transportable(versions),
        20_000,
        |_, _, _, _| false,
    );
    eprintln!("rubygems: {n} pairs agree");
}

// ---------------------------------------------------------------------------
// Packagist
// ---------------------------------------------------------------------------

fn composer_generated() -> Vec<String> {
    let bases = [
        "1",
        "1.0",
        "1.0.0",
        "1.0.0.0",
        "v1.0",
        "V2.1",
        "1.2.3.4",
        "01.02",
        "12345",
        "123456",
        "1.10",
        "1.9",
        "20100102",
        "2010-01-02",
        "2010.01.02.5",
        "20100102-203040",
    ];
    let suffixes = [
        "",
        "-dev",
        ".dev",
        "dev",
        "-DEV",
        "-alpha",
        "-alpha1",
        "-a2",
        "a3",
        ".alpha.4",
        "-beta",
        "-b1",
        "-beta.2",
        "beta-3",
        "-BETA-4",
        "-RC1",
        "-rc.2",
        "RC3",
        "-rc1-dev",
        "-beta2.dev",
        "-patch1",
        "-pl2",
        "-p3",
        "-p",
        "-stable",
        "-STABLE",
        "-stable-dev",
        "+build",
        "+build.1",
        "-beta+build",
        "@dev",
        "@stable",
        "@RC",
        "@beta",
        "-beta@dev",
        " as 2.0",
        "-meh",
        "-1",
        ".x",
        "-alpha.1.2",
        "-alpha1.2-dev",
        "-dev+x",
        "_beta",
        "-beta_1",
    ];
    let mut out = combine(&bases, &suffixes);
    out.extend(strings(&[
        "",
        "dev-master",
        "dev-main",
        "DEV-Feature/Foo",
        "dev-a",
        "dev-alpha",
        "dev-1.0",
        "master",
        "trunk",
        "default",
        "feature",
        "1.x-dev",
        "1.0.x-dev",
        "2.1.*-dev",
        "v2.X.dev",
        "1.x",
        "1.*",
        "dev",
        "foo-dev",
        "1.0.0.0.0",
        "1.2-3",
        "1.0 .2",
        "1.0,2",
        "  1.0.0\u{b}",
        "1.0.0 as 2.0@dev",
        "99999.1",
        "100000.1",
        "1.99999999999999999999",
        "1.9223372036854775807",
        "1.9223372036854775808",
        "2010-01-02-10:20:30",
        "2010.01.02.10.20.30.40.50",
        "201001020304050607",
        "1.0.0-beta.1.2.3",
        "1.0.0-RC-1",
        "1.0.0-rc.1-dev",
        "1.0.0.RC.15-dev",
        "1.0.0-alpha-dev",
        "1.0.0alpha",
        "1.0.0a",
        "1.0.0b",
        "1.0.0pl",
        "1.0.0patch",
        "v",
        "1.0é",
        "dev-é",
    ]));
    out
}

#[test]
fn composer_against_composer_semver() {
    let Some(mut versions) = data_versions("osv-friendsofphp", "Packagist") else {
        return;
    };
    let tool = ReferenceTool::new(
        "php composer/semver + version_compare",
        &[
            "php",
            "crates/ch-versions/tests/reference/composer_compare.php",
        ],
    );
    if !tool.available() {
        return;
    }
    versions.extend(composer_generated());
    // Where PHP's `version_compare` contradicts itself (its answers for (a, b) and
    // (b, a) are not mirror images: canonical forms ending in '.', such as
    // `dev-é`), ours differs by design (docs/version-ordering.md, Packagist).
    let php_contradicts_itself = |a: &str, b: &str, _: &str, theirs: &str| {
        let reversed = tool.compare(&[(b.to_owned(), a.to_owned())]);
        let mirror = match theirs {
            "<" => ">",
            ">" => "<",
            other => other,
        };
        reversed.first().map(String::as_str) != Some(mirror)
    };
    let n = common::check_against(
        Scheme::Composer,
        &tool,
        transportable(versions),
        20_000,
        php_contradicts_itself,
    );
    eprintln!("composer: {n} pairs agree");
}

// ---------------------------------------------------------------------------
// Maven
// ---------------------------------------------------------------------------

use ch_versions::maven::MavenVersion;

const MAVEN_JAR: &str = "/usr/share/maven/lib/maven-artifact-3.x.jar";
const MAVEN_COMPARE: &str = "crates/ch-versions/tests/reference/MavenCompare.java";

fn maven_tool() -> ReferenceTool {
    ReferenceTool::new(
        "maven-artifact 3.8.7 ComparableVersion",
        &["java", "-cp", MAVEN_JAR, MAVEN_COMPARE],
    )
}

/// The same program printing `getCanonical()` of the first version of each line.
fn maven_canonical_tool() -> ReferenceTool {
    ReferenceTool::new(
        "maven-artifact 3.8.7 ComparableVersion.getCanonical",
        &["java", "-cp", MAVEN_JAR, MAVEN_COMPARE, "canonical"],
    )
}

/// Every qualifier (with its aliases and in several cases), separator and padding
/// combination, large and non-ASCII numbers, and text Java lowercases unlike Rust.
fn maven_generated() -> Vec<String> {
    let qualifiers = [
        "alpha",
        "a",
        "ALPHA",
        "beta",
        "b",
        "Beta",
        "milestone",
        "m",
        "M",
        "rc",
        "cr",
        "RC",
        "CR",
        "snapshot",
        "SNAPSHOT",
        "",
        "ga",
        "GA",
        "final",
        "Final",
        "release",
        "RELEASE",
        "sp",
        "SP",
        "x",
        "foo",
        "jre",
        "abc",
        "redhat",
        "pom",
    ];
    let numbers = ["0", "00", "1", "01", "2", "10", "123"];
    let mut tokens: Vec<&str> = qualifiers.to_vec();
    tokens.extend(numbers);
    let seps = [".", "-", ""];
    let mut out = Vec::new();
    // One and two tokens after a number, and before one.
    for base in ["1", "1.0", "1-1"] {
        for s1 in seps {
            for t1 in &tokens {
                out.push(format!("{base}{s1}{t1}"));
                out.push(format!("{t1}{s1}{base}"));
                for s2 in [".", "-"] {
                    for t2 in [
                        "0", "1", "alpha", "a1", "rc", "", "ga", "sp", "x", "SNAPSHOT",
                    ] {
                        out.push(format!("{base}{s1}{t1}{s2}{t2}"));
                    }
                }
            }
        }
    }
    // Three tokens from a smaller set, every separator combination.
    let small = ["0", "1", "alpha", "", "ga", "sp", "x", "rc1"];
    for s1 in seps {
        for t1 in small {
            for s2 in seps {
                for t2 in small {
                    for s3 in [".", "-"] {
                        for t3 in small {
                            out.push(format!("1{s1}{t1}{s2}{t2}{s3}{t3}"));
                        }
                    }
                }
            }
        }
    }
    // Padding and separators alone.
    out.extend(strings(&[
        "",
        "0",
        "00",
        "-",
        ".",
        "--",
        "..",
        ".-",
        "-.",
        "1.",
        "1-",
        "1..",
        "1--",
        "1.-",
        "1-.",
        ".1",
        "-1",
        "..1",
        "--1",
        "1..1",
        "1--1",
        "1.-1",
        "1-.1",
        "1.0.0.0",
        "1-0-0",
        "1.0-0.0",
        "1-0.0-0",
        "1.0.0-0.0.0",
        "0.0.0",
        "0-0",
        "0-final-ga",
        "1-0-1",
        "1-0.1",
        "1.0-1",
        "1.0.0-1",
        "1-0-0-1",
        "1.ga.1",
        "1.ga-1",
        "ga.1",
        "1-ga.1",
        "1-ga-1",
        "1-sp.1",
        "1-sp-1",
        "1.sp.1",
        "1.sp-1",
        "1.0.alpha.1",
        "1.0.0.beta.1",
        "1.0.alpha-1",
        "1.0.ga.alpha.1",
        "1.x.1",
        "1.0.x.1",
        "1-0.alpha",
        "1-0.beta",
        "a",
        "A1",
        "a1",
        "alpha",
        "1-a",
        "1a",
        "1a1",
        "1-a-1",
        "1-alpha-1-SNAPSHOT",
        "1-1-snapshot",
        "1_1",
        "1+1",
        "1 1",
        " 1",
        "1 ",
        "1.0 ",
        "v1.0",
    ]));
    // Real-world shapes.
    out.extend(strings(&[
        "1.0.0-RC1",
        "1.0.0.RC1",
        "1.0.0.Beta1",
        "1.0.0-beta.1",
        "2.0.0-M1",
        "3.0.0.M1",
        "4.3.0.SP1",
        "4.3.0.GA",
        "4.3.SP2",
        "4.3",
        "5.1.2.Final-redhat-00001",
        "5.1.2.Final",
        "2.0.0-RC1-SNAPSHOT",
        "1.2.3.v20200101",
        "9.4.1.jre16",
        "9.4.1.jre16-preview",
        "31.1-jre",
        "31.1-android",
        "2.17.1",
        "2.17.1.redhat-00001",
        "6.1.0rc3",
        "6.1.0",
        "6.1H.5-beta",
        "20190126.230843",
        "1234567890.12345",
        "123456789012345.1H.5-beta",
        "12345678901234567890.1H.5-beta",
        "0.0.0-2021-05-17T01-01-51-5ec03a8b",
        "1.0-alpha-1",
        "1.0-beta-2",
        "1.0-SNAPSHOT",
        "2.0.1-klm",
        "2.0.1-lmn",
        "2.0.1-xyz",
        "2.0.1-123",
    ]));
    // Numbers: every width boundary of Java's int, long and BigInteger items, leading
    // zeros (ASCII and not), zero tokens of each width in the middle, other scripts.
    let zeros = |n: usize| "0".repeat(n);
    let arabic_zeros = |n: usize| "\u{660}".repeat(n);
    for n in [1usize, 8, 9, 10, 17, 18, 19, 20, 40] {
        out.push("9".repeat(n));
        out.push(format!("1.{}", "9".repeat(n)));
        out.push(format!("1-{}", "9".repeat(n)));
        out.push(format!("1.{}1", zeros(n)));
        out.push(format!("1.{}", zeros(n)));
        out.push(format!("1.{}.1", zeros(n)));
        out.push(format!("1.{}.alpha.1", zeros(n)));
        out.push(format!("1.{}1", arabic_zeros(n)));
        out.push(format!("1.{}", arabic_zeros(n)));
        out.push(format!("1.{}.1", arabic_zeros(n)));
        out.push(format!("1.{}.alpha.1", arabic_zeros(n)));
        out.push(format!("1-{}1", arabic_zeros(n)));
    }
    out.extend(strings(&[
        "2147483647",
        "2147483648",
        "1.2147483648",
        "9223372036854775807",
        "9223372036854775808",
        "1.9223372036854775808",
        "999999999",
        "1000000000",
        "999999999999999999",
        "1000000000000000000",
        "\u{661}",
        "\u{661}.\u{660}",
        "1.\u{662}",
        "\u{661}\u{662}.\u{663}",
        "\u{967}.\u{968}",
        "\u{ff11}.\u{ff12}",
        "1.\u{b2}",
        "1.\u{2460}",
        "1.\u{1d7d9}",
        "1-\u{1d7d9}1",
    ]));
    out.push(format!("1.{}", "7".repeat(5000)));
    out.push(format!("1.{}", "7".repeat(4999)));
    out.push(format!("1.{}8", "0".repeat(4000)));
    // Text: lowercasing (Java 17, Unicode 13), UTF-16 order, final sigma.
    out.extend(strings(&[
        "1-\u{e9}",
        "1-\u{c9}",
        "1-\u{130}",
        "1-\u{131}",
        "1-i\u{307}",
        "1-\u{1c5}",
        "1-\u{1c6}",
        "1-\u{df}",
        "1-ss",
        "1-\u{fb00}",
        "1-\u{212a}",
        "1-k",
        "1-\u{a7c0}",
        "1-\u{a7c1}",
        "1-\u{2c2f}",
        "1-\u{10570}",
        "1-\u{10597}",
        "1-\u{ffff}",
        "1-\u{fffd}",
        "1-\u{10000}",
        "1-\u{1f4a5}",
        "1-\u{e000}",
        "1-\u{ff21}",
        "1-\u{0}",
        "1-\u{7f}",
        "1-~",
        "1-zzz",
        "1-\u{3a3}",
        "1-\u{3c3}",
        "1-\u{3c2}",
        "\u{391}\u{3a3}",
        "\u{3b1}\u{3c2}",
        "\u{3b1}\u{3c3}",
    ]));
    // Java picks the final sigma with its word `BreakIterator`.
    let around = [
        "",
        "a",
        "\u{391}",
        "1",
        ".",
        "-",
        "_",
        " ",
        "'",
        "\u{301}",
        "\u{345}",
        "\u{200b}",
        "\u{ad}",
        "\u{3a3}",
        "\u{3c2}",
        "x1",
        ".\u{301}",
        "a.\u{200b}",
        "\u{964}",
        "\u{24b6}",
        "\u{10400}",
        "\u{1d7d9}",
        "\u{a7c0}",
    ];
    for before in around {
        for after in around {
            out.push(format!("1-{before}\u{3a3}{after}"));
            out.push(format!("{before}\u{3a3}{after}.1"));
        }
    }
    out
}

/// The shorter versions a version can be cut into: before and after each `.` and
/// `-` (`1.x.` keeps `x` in the root list, `1.x` opens a sub-list for it), and at
/// each change between digits and other characters.
fn maven_cuts(v: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut previous: Option<char> = None;
    for (i, c) in v.char_indices() {
        if c == '.' || c == '-' {
            out.push(v[..i].to_owned());
            out.push(v[..=i].to_owned());
        } else if previous.is_some_and(|p| p.is_numeric() != c.is_numeric() && p != '.' && p != '-')
        {
            out.push(v[..i].to_owned());
        }
        previous = Some(c);
    }
    out
}

/// `maven_generated()`, with every shorter version its cuts give: the common
/// prefix of two versions that differ first at some item is then in the set too.
fn maven_generated_closed() -> Vec<String> {
    let mut versions = transportable(maven_generated());
    let cuts: Vec<String> = versions.iter().flat_map(|v| maven_cuts(v)).collect();
    versions.extend(cuts);
    versions.sort();
    versions.dedup();
    versions
}

fn maven_sorted(versions: &[String]) -> Vec<(MavenVersion, String)> {
    let mut parsed: Vec<(MavenVersion, String)> = versions
        .iter()
        .map(|v| (MavenVersion::parse(v).unwrap(), v.clone()))
        .collect();
    parsed.sort_by(|a, b| a.0.cmp(&b.0));
    parsed
}

fn symbol(o: std::cmp::Ordering) -> &'static str {
    match o {
        std::cmp::Ordering::Less => "<",
        std::cmp::Ordering::Equal => "=",
        std::cmp::Ordering::Greater => ">",
    }
}

/// Whether the jar's answers `a ? p` and `p ? b` force `ours` for `a ? b`.
fn maven_forced(ours: &str, a_p: &str, p_b: &str) -> bool {
    match ours {
        "<" => matches!((a_p, p_b), ("<", "<") | ("<", "=") | ("=", "<")),
        ">" => matches!((a_p, p_b), (">", ">") | (">", "=") | ("=", ">")),
        "=" => a_p == "=" && p_b == "=",
        _ => false,
    }
}

/// Pair by pair against the jar: `cmp_maven_3_8_7` must agree on every pair (no
/// exception); `Ord` must agree too, except where the jar contradicts itself, which
/// each such pair must prove: a version cut from either side lies, in the jar's own
/// answers, between the two in the order `Ord` gives.
#[test]
fn maven_against_maven_artifact() {
    let tool = maven_tool();
    if !tool.available() {
        return;
    }
    let sorted = maven_sorted(&maven_generated_closed());
    let ordered: Vec<String> = sorted.iter().map(|(_, v)| v.clone()).collect();
    let pairs = ch_test_support::differential_pairs(&ordered, 100_000);
    let theirs = tool.compare(&pairs);
    let mut exact_bad = Vec::new();
    let mut differences = Vec::new();
    for ((a, b), t) in pairs.iter().zip(&theirs) {
        let (x, y) = (
            MavenVersion::parse(a).unwrap(),
            MavenVersion::parse(b).unwrap(),
        );
        let exact = symbol(x.cmp_maven_3_8_7(&y));
        if exact != t {
            exact_bad.push(format!("{a:?} vs {b:?}: cmp_maven_3_8_7 {exact}, jar {t}"));
        }
        let ours = symbol(x.cmp(&y));
        if ours != t {
            differences.push((a.clone(), b.clone(), ours, t.clone()));
        }
    }
    assert!(
        exact_bad.is_empty(),
        "{} of {} pairs disagree with {}:\n{}",
        exact_bad.len(),
        pairs.len(),
        tool.name,
        exact_bad[..exact_bad.len().min(40)].join("\n")
    );

    // Each difference of `Ord` must be forced by the jar's own answers.
    let mut queries = Vec::new();
    let mut candidates = Vec::new();
    for (a, b, _, _) in &differences {
        let mut cuts = maven_cuts(a);
        cuts.extend(maven_cuts(b));
        cuts.sort();
        cuts.dedup();
        let first = queries.len();
        for p in &cuts {
            queries.push((a.clone(), p.clone()));
            queries.push((p.clone(), b.clone()));
        }
        candidates.push((first, cuts.len()));
    }
    let answers = tool.compare(&queries);
    let mut unexplained = Vec::new();
    for ((a, b, ours, t), &(first, n)) in differences.iter().zip(&candidates) {
        let forced = (0..n).any(|i| {
            let k = first + 2 * i;
            maven_forced(ours, &answers[k], &answers[k + 1])
        });
        if !forced {
            unexplained.push(format!("{a:?} vs {b:?}: ours {ours}, jar {t}"));
        }
    }
    assert!(
        unexplained.is_empty(),
        "{} of {} pairs disagree with {} without the jar forcing our answer:\n{}",
        unexplained.len(),
        pairs.len(),
        tool.name,
        unexplained[..unexplained.len().min(40)].join("\n")
    );
    eprintln!(
        "maven: {} pairs; cmp_maven_3_8_7 agrees on all; Ord agrees on all but {} \
         where the jar contradicts itself",
        pairs.len(),
        differences.len()
    );
}

/// Our canonical form (`Display`) is the jar's `getCanonical()`: the parse (items,
/// lowercasing, aliases, normalisation) matches item for item.
#[test]
fn maven_canonical_forms_against_maven_artifact() {
    let tool = maven_canonical_tool();
    if !tool.available() {
        return;
    }
    let versions = maven_generated_closed();
    let lines: Vec<(String, String)> = versions
        .iter()
        .map(|v| (v.clone(), String::new()))
        .collect();
    let theirs = tool.compare(&lines);
    let bad: Vec<String> = versions
        .iter()
        .zip(&theirs)
        .filter_map(|(v, t)| {
            let ours = MavenVersion::parse(v).unwrap().to_string();
            (&ours != t).then(|| format!("{v:?}: ours {ours:?}, jar {t:?}"))
        })
        .collect();
    assert!(
        bad.is_empty(),
        "{} of {} canonical forms differ:\n{}",
        bad.len(),
        versions.len(),
        bad[..bad.len().min(40)].join("\n")
    );
    eprintln!("maven: {} canonical forms agree", versions.len());
}

/// `Ord` is a total order on the generated versions: sorting them, every adjacent
/// pair and a sample of triples are consistent; and on every adjacent pair of the
/// sort (the set holds every shorter version cut from its members) the jar agrees.
#[test]
fn maven_order_is_total_and_agrees_with_the_jar_on_neighbours() {
    let sorted = maven_sorted(&maven_generated_closed());
    assert!(sorted.len() > 5_000, "{} versions", sorted.len());
    for w in sorted.windows(2) {
        let ((x, a), (y, b)) = (&w[0], &w[1]);
        assert!(x <= y, "{a:?} <= {b:?}");
        assert_eq!(x.cmp(y), y.cmp(x).reverse(), "{a:?} {b:?}");
    }
    // Random triples, in sorted positions and in any order.
    let n = sorted.len() as u64;
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) % n) as usize
    };
    for _ in 0..300_000 {
        let (i, j, k) = (next(), next(), next());
        let ((a, sa), (b, sb), (c, sc)) = (&sorted[i], &sorted[j], &sorted[k]);
        if a < b && b < c {
            assert!(a < c, "{sa:?} < {sb:?} < {sc:?} but not {sa:?} < {sc:?}");
        }
        if a == b && b == c {
            assert!(a == c, "{sa:?} = {sb:?} = {sc:?}");
        }
        if a <= b && b <= c {
            assert!(a <= c, "{sa:?} <= {sb:?} <= {sc:?}");
        }
        let mut ijk = [i, j, k];
        ijk.sort_unstable();
        let (p, q, r) = (&sorted[ijk[0]].0, &sorted[ijk[1]].0, &sorted[ijk[2]].0);
        assert!(p <= q && q <= r && p <= r);
    }
    let tool = maven_tool();
    if !tool.available() {
        return;
    }
    let mut pairs = Vec::new();
    for w in sorted.windows(2) {
        pairs.push((w[0].1.clone(), w[1].1.clone()));
        pairs.push((w[1].1.clone(), w[0].1.clone()));
    }
    let theirs = tool.compare(&pairs);
    let bad: Vec<String> = pairs
        .iter()
        .zip(&theirs)
        .filter_map(|((a, b), t)| {
            let ours = symbol(
                MavenVersion::parse(a)
                    .unwrap()
                    .cmp(&MavenVersion::parse(b).unwrap()),
            );
            (ours != t).then(|| format!("{a:?} vs {b:?}: ours {ours}, jar {t}"))
        })
        .collect();
    assert!(
        bad.is_empty(),
        "{} of {} adjacent pairs disagree with the jar:\n{}",
        bad.len(),
        pairs.len(),
        bad[..bad.len().min(40)].join("\n")
    );
    eprintln!(
        "maven: {} versions sorted, {} adjacent pairs agree with the jar",
        sorted.len(),
        pairs.len()
    );
}

// ---------------------------------------------------------------------------
// NuGet
// ---------------------------------------------------------------------------

fn nuget_generated() -> Vec<String> {
    let bases = [
        "0",
        "1",
        "1.0",
        "1.0.0",
        "1.0.0.0",
        "1.0.0.1",
        "01.02",
        "1.2.3.4",
        "1.2.3.0004",
        "v1.0",
        "V1.0",
        "1.10",
        "1.9",
        "2147483648.0",
        "\u{661}.\u{662}",
    ];
    let suffixes = [
        "",
        "-alpha",
        "-ALPHA",
        "-alpha.1",
        "-alpha.01",
        "-alpha.beta",
        "-beta",
        "-beta.2",
        "-beta.11",
        "-beta2",
        "-rc.1",
        "-RC-1",
        "-0",
        "-1",
        "-10",
        "-01",
        "--",
        "-",
        "-a..b",
        "-a.",
        "+build",
        "+b.1",
        "+",
        "-beta+build",
        "-beta+b..c",
        ".4",
        ".4-beta",
        "rc3",
        "beta",
        "-\u{e9}",
        "-1\u{663}",
        "-\u{663}a",
        "-99999999999999999999",
        ".5.6",
        " ",
    ];
    let mut out = combine(&bases, &suffixes);
    out.extend(strings(&[
        "",
        "a",
        " 1.0",
        "$version$",
        "1.2..",
        "1.0.0\n",
        "1.2.3.4\nx",
    ]));
    out
}

/// `(a, b, expected)`: `<`, `=`, `>`, or `!` when `a` or `b` is invalid.
fn nuget_vectors() -> Vec<(&'static str, &'static str, &'static str)> {
    let mut out = Vec::new();
    // NuGet.Client test/NuGet.Core.Tests/NuGet.Versioning.Test/VersionComparerTests.cs
    for (a, b) in [
        ("1.0.0", "1.0.0"),
        ("1.0.0-BETA", "1.0.0-beta"),
        ("1.0.0-BETA+AA", "1.0.0-beta+aa"),
        ("1.0.0-BETA.X.y.5.77.0+AA", "1.0.0-beta.x.y.5.77.0+aa"),
    ] {
        out.push((a, b, "="));
    }
    for (a, b) in [
        ("0.0.0", "1.0.0"),
        ("1.0.0", "1.1.0"),
        ("1.0.0", "1.0.1"),
        ("1.999.9999", "2.1.1"),
        ("1.0.0-BETA", "1.0.0-beta2"),
        ("1.0.0-beta+AA", "1.0.0+aa"),
        ("1.0.0-BETA", "1.0.0-beta.1+AA"),
        ("1.0.0-BETA.X.y.5.77.0+AA", "1.0.0-beta.x.y.5.79.0+aa"),
        ("1.0.0-BETA.X.y.5.79.0+AA", "1.0.0-beta.x.y.5.790.0+abc"),
        ("1.0.0-BETA+AA", "1.0.0-beta"), // NotEqual in NuGet only by metadata: equal here
    ] {
        let expected = if a == "1.0.0-BETA+AA" { "=" } else { "<" };
        out.push((a, b, expected));
    }
    // NuGet.Client .../NuGetVersionTest.cs: SemVerLessThanAndGreaterThanOperatorsWorks,
    // SemVerEqualsOperatorWorks, ParseReadsLegacyStyleVersionNumbers,
    // StringConstructorParsesValuesCorrectly, ToStringReturnsNormalizedForSemVer2.
    for (a, b) in [
        ("1.0", "1.0.1"),
        ("1.23", "1.231"),
        ("1.4.5.6", "1.45.6"),
        ("1.4.5.6", "1.4.5.60"),
        ("1.01", "1.10"),
        ("1.01-alpha", "1.10-beta"),
        ("1.01.0-RC-1", "1.10.0-rc-2"),
        ("1.01-RC-1", "1.01"),
        ("1.01", "1.2-preview"),
    ] {
        out.push((a, b, "<"));
    }
    for (a, b) in [
        ("1.0", "1.0.0.0"),
        ("1.23.01", "1.23.1"),
        ("1.45.6", "1.45.6.0"),
        ("1.45.6-Alpha", "1.45.6-Alpha"),
        ("1.6.2-BeTa", "1.6.02-beta"),
        ("1.022", "1.22.0.0"),
        ("23.2.3", "23.2.3.0"),
        ("1.3.42.10133", "1.3.42.10133"),
        ("3.4.0.3-RC-3", "3.4.0.3-rc-3"),
        ("1.0+A", "1.0.0"),
        ("1.0-1.1", "1.0.0-1.1"),
        ("1.0-1.1+B.B", "1.0.0-1.1"),
        ("1.0.0009.01-1.1+A", "1.0.9.1-1.1"),
        ("4.3.0", "4.3"),
        ("1.3.2-CTP-2-Refresh-Alpha", "1.3.2.0-ctp-2-refresh-alpha"),
    ] {
        out.push((a, b, "="));
    }
    // ParseThrowsIfStringIsNotAValidSemVer (all rejected by osv.dev too, except
    // `1.4.7-`, a documented difference).
    for a in [
        "1beta",
        "$version$",
        "1.2Av^c",
        "1.2..",
        "1.2.3.4.5",
        "1.2.3.Beta",
        "1.2.3.4This version is full of awesomeness!!",
        "So.is.this",
        "1.34.2Alpha",
        "1.34.2Release Candidate",
        "1.4.7-*",
        "1.4.7+*",
        "1.4.7-AA.01^",
        "1.4.7-AA.0A^",
        "1.4.7-A^A",
        "1.4.7+AA.01^",
    ] {
        out.push((a, "1.0", "!"));
    }
    // osv.dev osv/ecosystems/nuget_test.py
    for (a, b) in [
        ("1.0.0", "1.0.0+beta"),
        ("1.0", "1.0.0.0"),
        ("1.0+test", "1.0.0.0"),
        ("1.0.0.1-1.2.A", "1.0.0.1-1.2.a+A"),
        ("1.0.01", "1.0.1.0"),
    ] {
        out.push((a, b, "="));
    }
    for (a, b) in [
        ("1.0", "1.0.0.1"),
        ("1.0+test", "1.0.0.1"),
        ("1.0.0.1-1.2.A", "1.0.0.1-1.2.a.A+A"),
        ("1.0.01", "1.0.1.2"),
        ("1.0.0+AA", "1.0.0-beta+aa"),
        ("1.0.0", "1.0.0.1"),
        ("1.0.0.1-alpha", "1.0.0.1-pre"),
        ("1.0.0-pre", "1.0.0.1-alpha"),
        ("1.0.0", "1.0.0.1-alpha"),
        ("0.9.9.1", "1.0.0"),
        ("1.2.0", "1.10.0"),
    ] {
        let expected = if a == "1.0.0+AA" { ">" } else { "<" };
        out.push((a, b, expected));
    }
    out.push(("1.4.0rc3", "3.0.0.4001", "!"));
    // Documented differences from NuGet.Versioning (osv.dev's answers).
    out.push(("1.4.7-", "1.4.7", "<"));
    out.push((" 1.022-Beta", "1.22.0.0-beta", "!"));
    out.push(("v1.0", "1.0.0", "="));
    out.push(("1.0.0-beta.01", "1.0.0-beta.1", "="));
    out.push(("1.0.0-2147483648", "1.0.0-999", ">"));
    out.push(("1.0.0-10000000000", "1.0.0-3000000000", ">"));
    out.push(("1.0.0--1", "1.0.0-0", ">"));
    out.push(("2147483648.0", "2147483647.0", ">"));
    out
}

#[test]
fn nuget_against_test_vectors() {
    let vectors = nuget_vectors();
    let mut bad = Vec::new();
    for (a, b, expected) in &vectors {
        for (x, y, e) in [(a, b, *expected), (b, a, flip(expected))] {
            let got = common::ours(Scheme::NuGet, x, y);
            if got != e {
                bad.push(format!("{x:?} vs {y:?}: ours {got}, expected {e}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "{} NuGet vectors fail:\n{}",
        bad.len(),
        bad.join("\n")
    );
    // And the generated set is a consistent total order under our comparison.
    let mut parsed: Vec<_> = nuget_generated()
        .iter()
        .filter_map(|v| Scheme::NuGet.parse(v).ok())
        .collect();
    assert!(parsed.len() > 200);
    parsed.sort();
    for w in parsed.windows(3) {
        assert!(w[0] <= w[1] && w[1] <= w[2] && w[0] <= w[2]);
    }
    eprintln!("nuget: {} vector pairs agree", vectors.len() * 2);
}

fn flip(o: &str) -> &'static str {
    match o {
        "<" => ">",
        ">" => "<",
        "=" => "=",
        _ => "!",
    }
}

// ---------------------------------------------------------------------------
// Robustness: no panics, and `cmp` is antisymmetric and consistent with `==`.
// ---------------------------------------------------------------------------

mod robustness {
    use ch_versions::Scheme;
    use proptest::prelude::*;

    const SCHEMES: [Scheme; 5] = [
        Scheme::Pep440,
        Scheme::Maven,
        Scheme::NuGet,
        Scheme::RubyGems,
        Scheme::Composer,
    ];

    /// Version-like strings: separators, qualifiers, digits of several scripts,
    /// whitespace, and arbitrary characters.
    fn version_like() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "[0-9]{1,3}",
            "[0-9]{18,25}",
            Just(".".to_owned()),
            Just("-".to_owned()),
            Just("+".to_owned()),
            Just("_".to_owned()),
            Just("v".to_owned()),
            Just("!".to_owned()),
            Just("@dev".to_owned()),
            Just(" as ".to_owned()),
            "(alpha|a|beta|b|rc|RC|cr|pre|preview|c|post|rev|r|dev|snapshot|sp|ga|final|release|patch|pl|p|m|milestone|stable|x|X|\\*)",
            "[A-Za-z]{1,4}",
            "[\\u{660}-\\u{669}\\u{b2}\\u{b3}\\u{2460}]{1,2}",
            "[ \\u{b}\\u{c}\\u{a0}\\u{85}\\u{1c}\\u{3000}]",
            any::<char>().prop_map(String::from),
        ];
        proptest::collection::vec(piece, 0..8).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        #[test]
        fn parse_never_panics_and_cmp_is_consistent(a in version_like(), b in version_like()) {
            for scheme in SCHEMES {
                let (x, y) = (scheme.parse(&a), scheme.parse(&b));
                if let (Ok(x), Ok(y)) = (x, y) {
                    prop_assert_eq!(x.cmp(&y), y.cmp(&x).reverse(), "{} {:?} {:?}", scheme, a, b);
                    prop_assert_eq!(x == y, x.cmp(&y).is_eq());
                    prop_assert!(x.cmp(&x).is_eq());
                }
            }
        }
    }
}

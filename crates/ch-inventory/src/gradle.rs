//! Gradle's dependency lockfile, `gradle.lockfile` (and the build script's,
//! `buildscript-gradle.lockfile`).
//!
//! Each line locks one module, `group:artifact:version=configurations`
//! (`com.google.guava:guava:32.1.2-jre=compileClasspath,runtimeClasspath`); the
//! older per-configuration files write `group:artifact:version` alone. Every locked
//! module is a Maven package, `group:artifact` at its version. The line
//! `empty=configurations` names the configurations that lock nothing; `#` lines are
//! comments. The file does not record which modules the build declares directly
//! (`build.gradle` does).

use ch_types::EcosystemKind;

use crate::{InventoryError, Parsed, Source};

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let mut parsed = Parsed::default();
    for (i, raw) in text.lines().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("empty=") {
            continue;
        }
        let coordinates = line.split_once('=').map_or(line, |(c, _)| c).trim();
        let mut parts = coordinates.split(':');
        let (Some(group), Some(artifact), Some(version), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(InventoryError::new(
                file,
                Some(number),
                "expected a locked module `GROUP:ARTIFACT:VERSION=CONFIGURATIONS`",
            ));
        };
        let valid = |s: &str| !s.is_empty() && !s.contains(char::is_whitespace);
        if !(valid(group) && valid(artifact) && valid(version)) {
            return Err(InventoryError::new(
                file,
                Some(number),
                "expected a locked module `GROUP:ARTIFACT:VERSION=CONFIGURATIONS`",
            ));
        }
        parsed.packages.push(crate::package(
            EcosystemKind::Maven,
            &format!("{group}:{artifact}"),
            version,
            Source {
                file: file.to_owned(),
                line: Some(number),
            },
            None,
        ));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{read, rows, Format};

    const LOCK: &str = "\
# This is a Gradle generated file for dependency locking.
# Manual edits can break the build and are not advised.
# This file is expected to be part of source control.
com.fasterxml.jackson.core:jackson-databind:2.15.2=compileClasspath,runtimeClasspath,testCompileClasspath,testRuntimeClasspath
com.google.guava:guava:32.1.2-jre=compileClasspath,runtimeClasspath
io.netty:netty-codec-http:4.1.94.Final=runtimeClasspath
org.junit.jupiter:junit-jupiter-api:5.10.0=testCompileClasspath,testRuntimeClasspath
empty=annotationProcessor,testAnnotationProcessor
";

    #[test]
    fn reads_locked_modules_and_skips_comments_and_empty() {
        let parsed = read(Format::GradleLockfile, "gradle.lockfile", LOCK.as_bytes()).unwrap();
        let maven = Some("Maven".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (
                    maven.clone(),
                    "com.fasterxml.jackson.core:jackson-databind",
                    "2.15.2",
                    Some(4),
                    None
                ),
                (
                    maven.clone(),
                    "com.google.guava:guava",
                    "32.1.2-jre",
                    Some(5),
                    None
                ),
                (
                    maven.clone(),
                    "io.netty:netty-codec-http",
                    "4.1.94.Final",
                    Some(6),
                    None
                ),
                (
                    maven.clone(),
                    "org.junit.jupiter:junit-jupiter-api",
                    "5.10.0",
                    Some(7),
                    None
                ),
            ]
        );
        assert_eq!(
            parsed.packages[1].purl.as_deref(),
            Some("pkg:maven/com.google.guava/guava@32.1.2-jre")
        );
    }

    #[test]
    fn per_configuration_files_have_no_configurations() {
        let text = "# comment\r\norg.slf4j:slf4j-api:2.0.9\r\n";
        let parsed = read(
            Format::GradleLockfile,
            "buildscript-gradle.lockfile",
            text.as_bytes(),
        )
        .unwrap();
        assert_eq!(
            rows(&parsed),
            vec![(
                Some("Maven".to_owned()),
                "org.slf4j:slf4j-api",
                "2.0.9",
                Some(2),
                None
            )]
        );
    }

    #[test]
    fn malformed_lines_are_errors() {
        for bad in [
            "com.google.guava:guava=compileClasspath",
            "a:b:c:d=runtimeClasspath",
            "a::1.0=runtimeClasspath",
        ] {
            let text = format!("# header\n{bad}\n");
            let e = read(Format::GradleLockfile, "gradle.lockfile", text.as_bytes()).unwrap_err();
            assert_eq!(
                e.to_string(),
                "gradle.lockfile:2: expected a locked module `GROUP:ARTIFACT:VERSION=CONFIGURATIONS`",
                "{bad}"
            );
        }
    }
}

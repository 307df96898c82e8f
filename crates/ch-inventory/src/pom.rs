//! Maven's `pom.xml`.
//!
//! The packages are the `<dependency>` elements of the project's `<dependencies>`
//! and `<dependencyManagement>`, and of the same two in each of its `<profiles>`:
//! each is the Maven package `groupId:artifactId` at its `<version>`, whatever its
//! `<scope>` (`test` and `provided` dependencies are packages too). Plugins'
//! dependencies are the build's, not the project's, and are not read. Every
//! dependency is direct: the file names it.
//!
//! A version (or group or artifact) may name properties, `${name}`: those of the
//! project's `<properties>` (which may name others), else of a profile's;
//! `${project.version}`, `${project.groupId}` and `${project.artifactId}` (the
//! project's own, the version and group else its parent's); and
//! `${project.parent.version}` and `${project.parent.groupId}`. A dependency
//! without a `<version>` takes the one this file's `<dependencyManagement>` gives
//! its group and artifact. A dependency is not listed when its version is still
//! missing (a parent POM or an imported BOM manages it, and neither is read here),
//! still names a property after resolution, or is a range (`[1.0,2.0)`; the pinned
//! `[1.2.3]` is read as `1.2.3`): one warning per file names each such dependency
//! and its line. A package named twice (managed and used, or in two profiles) is
//! listed once, at its first line. The line is that of the `<dependency>` tag.

use std::collections::{HashMap, HashSet};

use ch_types::EcosystemKind;
use quick_xml::events::{BytesRef, Event};
use quick_xml::Reader;

use crate::lines::Lines;
use crate::{InventoryError, Parsed, Source};

/// How deeply `${…}` may nest through properties before resolution stops (a
/// property that names itself would never end).
const MAX_DEPTH: u8 = 16;

#[derive(Default)]
struct Dependency {
    line: u32,
    managed: bool,
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
}

/// What the file holds, as written.
#[derive(Default)]
struct Pom {
    dependencies: Vec<Dependency>,
    properties: HashMap<String, String>,
    profile_properties: HashMap<String, String>,
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    parent_group: Option<String>,
    parent_version: Option<String>,
}

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let lines = Lines::new(text);
    let pom = parse(file, text, &lines)?;
    let properties = properties(&pom);
    let resolve = |value: &Option<String>| value.as_deref().map(|v| interpolate(v, &properties, 0));
    // (group, artifact) → version, from this file's `<dependencyManagement>`.
    let mut managed: HashMap<(String, String), String> = HashMap::new();
    for dep in pom.dependencies.iter().filter(|d| d.managed) {
        if let (Some(g), Some(a), Some(v)) = (
            resolve(&dep.group),
            resolve(&dep.artifact),
            resolve(&dep.version).filter(|v| !v.is_empty()),
        ) {
            managed.entry((g, a)).or_insert(v);
        }
    }
    let mut parsed = Parsed::default();
    let mut seen: HashSet<(String, String)> = HashSet::new();
    // (line, name, why) of each dependency left out.
    let mut unresolved: Vec<(u32, String, String)> = Vec::new();
    for dep in &pom.dependencies {
        let (Some(group), Some(artifact)) = (resolve(&dep.group), resolve(&dep.artifact)) else {
            let missing = if dep.group.is_none() {
                "groupId"
            } else {
                "artifactId"
            };
            return Err(InventoryError::new(
                file,
                Some(dep.line),
                format!("expected `<{missing}>` in the `<dependency>`"),
            ));
        };
        let name = format!("{group}:{artifact}");
        let version = match resolve(&dep.version).filter(|v| !v.is_empty()) {
            Some(v) => Some(v),
            None => managed.get(&(group.clone(), artifact.clone())).cloned(),
        };
        let version = match version.as_deref().map(pinned) {
            None => {
                unresolved.push((dep.line, name, "no `<version>`".to_owned()));
                continue;
            }
            Some(Err(written)) => {
                unresolved.push((dep.line, name, format!("`{written}`")));
                continue;
            }
            Some(Ok(v)) => v.to_owned(),
        };
        if name.contains("${") {
            unresolved.push((dep.line, name, format!("`{version}`")));
            continue;
        }
        if !seen.insert((name.clone(), version.clone())) {
            continue;
        }
        let source = Source {
            file: file.to_owned(),
            line: Some(dep.line),
        };
        parsed.packages.push(crate::package(
            EcosystemKind::Maven,
            &name,
            &version,
            source,
            Some(true),
        ));
    }
    if let Some((first, _, _)) = unresolved.first() {
        let list: Vec<String> = unresolved
            .iter()
            .map(|(line, name, why)| format!("{name} (line {line}, {why})"))
            .collect();
        parsed.warnings.push(format!(
            "{file}:{first}: dependencies not listed, as their versions were not resolved (a parent POM or an imported BOM, which are not read here, may set them, or a property this file does not define): {}",
            list.join(", ")
        ));
    }
    Ok(parsed)
}

/// A resolved version → the version, or (as `Err`) the text that is not one: a
/// property left unresolved or a range. `[1.2.3]` pins 1.2.3.
fn pinned(version: &str) -> Result<&str, &str> {
    let exact = version
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .filter(|v| !v.contains(','))
        .map(str::trim);
    match exact {
        Some(v) if !v.is_empty() && !v.contains("${") => Ok(v),
        _ if version.is_empty()
            || version.contains("${")
            || version.starts_with(['[', '('])
            || version.contains(',') =>
        {
            Err(version)
        }
        _ => Ok(version),
    }
}

/// The properties `${…}` may name.
fn properties(pom: &Pom) -> HashMap<String, String> {
    let mut props = pom.profile_properties.clone();
    props.extend(pom.properties.iter().map(|(k, v)| (k.clone(), v.clone())));
    let builtins = [
        (
            "project.version",
            pom.version.as_ref().or(pom.parent_version.as_ref()),
        ),
        (
            "project.groupId",
            pom.group.as_ref().or(pom.parent_group.as_ref()),
        ),
        ("project.artifactId", pom.artifact.as_ref()),
        ("project.parent.version", pom.parent_version.as_ref()),
        ("project.parent.groupId", pom.parent_group.as_ref()),
    ];
    for (key, value) in builtins {
        if let Some(value) = value {
            props.entry(key.to_owned()).or_insert_with(|| value.clone());
            // Maven 2's spellings, still accepted.
            if let Some(rest) = key.strip_prefix("project.") {
                props
                    .entry(format!("pom.{rest}"))
                    .or_insert_with(|| value.clone());
            }
        }
    }
    props
}

/// Replaces each `${name}` that `props` defines, recursively; others stay.
fn interpolate(value: &str, props: &HashMap<String, String>, depth: u8) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        let (before, from) = rest.split_at(start);
        out.push_str(before);
        let Some(end) = from.find('}') else {
            out.push_str(from);
            return out;
        };
        let name = from.get(2..end).unwrap_or("").trim();
        match props.get(name) {
            Some(v) if depth < MAX_DEPTH => out.push_str(&interpolate(v, props, depth + 1)),
            _ => out.push_str(from.get(..=end).unwrap_or(from)),
        }
        rest = from.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out.trim().to_owned()
}

/// Where a `<dependency>` may be: under the project (`[]`) or a profile.
fn dependency_place(path: &[String]) -> Option<bool> {
    let inner = match path {
        [project, rest @ ..] if project == "project" => rest,
        _ => return None,
    };
    let inner = match inner {
        [profiles, profile, rest @ ..] if profiles == "profiles" && profile == "profile" => rest,
        _ => inner,
    };
    match inner {
        [deps, dep] if deps == "dependencies" && dep == "dependency" => Some(false),
        [mgmt, deps, dep]
            if mgmt == "dependencyManagement" && deps == "dependencies" && dep == "dependency" =>
        {
            Some(true)
        }
        _ => None,
    }
}

fn parse(file: &str, text: &str, lines: &Lines) -> Result<Pom, InventoryError> {
    let mut reader = Reader::from_str(text);
    let mut state = State::default();
    loop {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let event = reader.read_event().map_err(|e| {
            let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
            InventoryError::new(
                file,
                Some(lines.line_of(at)),
                format!("not a well-formed pom.xml: {e}"),
            )
        })?;
        match event {
            Event::Start(start) | Event::Empty(start) if !state.seen_root => {
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                if name != "project" {
                    return Err(InventoryError::new(
                        file,
                        Some(lines.line_of(offset)),
                        format!("expected a `<project>` root element, found `<{name}>`"),
                    ));
                }
                state.open(name, lines.line_of(offset));
            }
            Event::Start(start) => {
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                state.open(name, lines.line_of(offset));
            }
            Event::Empty(start) => {
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                state.open(name, lines.line_of(offset));
                state.close();
            }
            Event::Text(t) => state.text.push_str(&t.xml10_content().unwrap_or_default()),
            Event::CData(t) => state.text.push_str(&t.decode().unwrap_or_default()),
            Event::GeneralRef(r) => state.text.push_str(&entity(&r)),
            Event::End(_) => state.close(),
            Event::Eof => break,
            _ => {}
        }
    }
    if !state.seen_root {
        return Err(InventoryError::new(
            file,
            Some(1),
            "expected a `<project>` root element",
        ));
    }
    Ok(state.pom)
}

/// The reader's place in the document.
#[derive(Default)]
struct State {
    pom: Pom,
    /// The open elements' local names, outermost first.
    path: Vec<String>,
    /// The `<dependency>` being read.
    current: Option<Dependency>,
    /// The text of the innermost open element.
    text: String,
    seen_root: bool,
}

impl State {
    fn open(&mut self, name: String, line: u32) {
        self.seen_root = true;
        self.path.push(name);
        self.text.clear();
        if let Some(managed) = dependency_place(&self.path) {
            self.current = Some(Dependency {
                line,
                managed,
                ..Dependency::default()
            });
        }
    }

    fn close(&mut self) {
        let value = self.text.trim().to_owned();
        self.text.clear();
        if dependency_place(&self.path).is_some() {
            if let Some(dep) = self.current.take() {
                self.pom.dependencies.push(dep);
            }
        } else if let (Some(dep), Some(field)) = (self.current.as_mut(), self.path.last()) {
            let depth = self.path.len();
            // A field of the `<dependency>` itself, not of its `<exclusions>`.
            if self
                .path
                .get(..depth - 1)
                .and_then(dependency_place)
                .is_some()
            {
                match field.as_str() {
                    "groupId" => dep.group = Some(value),
                    "artifactId" => dep.artifact = Some(value),
                    "version" => dep.version = Some(value),
                    _ => {}
                }
            }
        } else {
            let names: Vec<&str> = self.path.iter().map(String::as_str).collect();
            let pom = &mut self.pom;
            match names.as_slice() {
                ["project", "properties", key] => {
                    pom.properties.insert((*key).to_owned(), value);
                }
                ["project", "profiles", "profile", "properties", key] => {
                    pom.profile_properties
                        .entry((*key).to_owned())
                        .or_insert(value);
                }
                ["project", "groupId"] => pom.group = Some(value),
                ["project", "artifactId"] => pom.artifact = Some(value),
                ["project", "version"] => pom.version = Some(value),
                ["project", "parent", "groupId"] => pom.parent_group = Some(value),
                ["project", "parent", "version"] => pom.parent_version = Some(value),
                _ => {}
            }
        }
        self.path.pop();
    }
}

/// `&amp;` → `&`, `&#38;` → `&`; an entity this file's DTD would define stays as
/// written.
pub(crate) fn entity(r: &BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name = r.decode().unwrap_or_default();
    match quick_xml::escape::resolve_predefined_entity(&name) {
        Some(s) => s.to_owned(),
        None => format!("&{name};"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{read, rows, Format};

    const POM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>com.example.platform</groupId>
    <artifactId>platform-parent</artifactId>
    <version>7.3.0</version>
  </parent>
  <artifactId>orders-service</artifactId>
  <version>${revision}</version>

  <properties>
    <revision>2.4.0-SNAPSHOT</revision>
    <jackson.version>2.15.2</jackson.version>
    <jackson.databind.version>${jackson.version}</jackson.databind.version>
    <netty.version>4.1.94.Final</netty.version>
  </properties>

  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>io.netty</groupId>
        <artifactId>netty-bom</artifactId>
        <version>${netty.version}</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
      <dependency>
        <groupId>com.fasterxml.jackson.core</groupId>
        <artifactId>jackson-databind</artifactId>
        <version>${jackson.databind.version}</version>
      </dependency>
    </dependencies>
  </dependencyManagement>

  <dependencies>
    <!-- version from this file's dependencyManagement -->
    <dependency>
      <groupId>com.fasterxml.jackson.core</groupId>
      <artifactId>jackson-databind</artifactId>
    </dependency>
    <dependency>
      <groupId>${project.groupId}</groupId>
      <artifactId>orders-api</artifactId>
      <version>${project.version}</version>
    </dependency>
    <dependency>
      <groupId>org.apache.logging.log4j</groupId>
      <artifactId>log4j-core</artifactId>
      <version>[2.17.1]</version>
      <exclusions>
        <exclusion>
          <groupId>org.apache.logging.log4j</groupId>
          <artifactId>log4j-api</artifactId>
        </exclusion>
      </exclusions>
    </dependency>
    <dependency>
      <groupId>io.netty</groupId>
      <artifactId>netty-handler</artifactId>
    </dependency>
    <dependency>
      <groupId>org.yaml</groupId>
      <artifactId>snakeyaml</artifactId>
      <version>${snakeyaml.version}</version>
    </dependency>
    <dependency>
      <groupId>commons-io</groupId>
      <artifactId>commons-io</artifactId>
      <version>[2.7,3.0)</version>
    </dependency>
    <dependency>
      <groupId>junit</groupId>
      <artifactId>junit</artifactId>
      <version>4.13.1</version>
      <scope>test</scope>
    </dependency>
  </dependencies>

  <profiles>
    <profile>
      <id>legacy-xml</id>
      <properties>
        <xstream.version>1.4.19</xstream.version>
      </properties>
      <dependencies>
        <dependency>
          <groupId>com.thoughtworks.xstream</groupId>
          <artifactId>xstream</artifactId>
          <version>${xstream.version}</version>
        </dependency>
        <dependency>
          <groupId>junit</groupId>
          <artifactId>junit</artifactId>
          <version>4.13.1</version>
        </dependency>
      </dependencies>
    </profile>
  </profiles>

  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-antrun-plugin</artifactId>
        <version>3.1.0</version>
        <dependencies>
          <dependency>
            <groupId>ant-contrib</groupId>
            <artifactId>ant-contrib</artifactId>
            <version>1.0b3</version>
          </dependency>
        </dependencies>
      </plugin>
    </plugins>
  </build>
</project>
"#;

    #[test]
    fn reads_dependencies_management_and_profiles_resolving_properties() {
        let parsed = read(Format::PomXml, "pom.xml", POM.as_bytes()).unwrap();
        let maven = Some("Maven".to_owned());
        assert_eq!(
            rows(&parsed),
            vec![
                (
                    maven.clone(),
                    "io.netty:netty-bom",
                    "4.1.94.Final",
                    Some(23),
                    Some(true)
                ),
                (
                    maven.clone(),
                    "com.fasterxml.jackson.core:jackson-databind",
                    "2.15.2",
                    Some(30),
                    Some(true)
                ),
                (
                    maven.clone(),
                    "com.example.platform:orders-api",
                    "2.4.0-SNAPSHOT",
                    Some(44),
                    Some(true)
                ),
                (
                    maven.clone(),
                    "org.apache.logging.log4j:log4j-core",
                    "2.17.1",
                    Some(49),
                    Some(true)
                ),
                (maven.clone(), "junit:junit", "4.13.1", Some(74), Some(true)),
                (
                    maven.clone(),
                    "com.thoughtworks.xstream:xstream",
                    "1.4.19",
                    Some(89),
                    Some(true)
                ),
            ]
        );
        assert_eq!(
            parsed.packages[3].purl.as_deref(),
            Some("pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1")
        );
        assert_eq!(
            parsed.warnings,
            vec![
                "pom.xml:60: dependencies not listed, as their versions were not resolved \
                 (a parent POM or an imported BOM, which are not read here, may set them, or a \
                 property this file does not define): io.netty:netty-handler (line 60, no \
                 `<version>`), org.yaml:snakeyaml (line 64, `${snakeyaml.version}`), \
                 commons-io:commons-io (line 69, `[2.7,3.0)`)"
            ]
        );
    }

    #[test]
    fn malformed_poms_are_errors() {
        let e = read(
            Format::PomXml,
            "pom.xml",
            b"<project>\n  <dependencies>\n    <dependency>\n      <groupId>a</groupId>\n    </dependencies>\n</project>\n",
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("pom.xml:5: not a well-formed pom.xml: "),
            "{e}"
        );
        let e = read(
            Format::PomXml,
            "pom.xml",
            b"<?xml version=\"1.0\"?>\n<settings>\n</settings>\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "pom.xml:2: expected a `<project>` root element, found `<settings>`"
        );
        let e = read(
            Format::PomXml,
            "pom.xml",
            b"<project>\n  <dependencies>\n    <dependency>\n      <groupId>a</groupId>\n      <version>1</version>\n    </dependency>\n  </dependencies>\n</project>\n",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "pom.xml:3: expected `<artifactId>` in the `<dependency>`"
        );
        let e = read(Format::PomXml, "pom.xml", b"<!-- empty -->\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "pom.xml:1: expected a `<project>` root element"
        );
    }
}

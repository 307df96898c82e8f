//! CycloneDX SBOMs, XML, specification versions 1.2 to 1.7.
//!
//! Read as the JSON reader reads a BOM. Every `<component>` of `<components>`, at any
//! depth of nesting (`<components>` inside a component), is a package; the subject
//! of the BOM (`<metadata><component>`) is not, but components nested in it are.
//! The ecosystem and name come from the component's `<purl>` (its version from the
//! purl, else the component's `<version>`); a component without a purl is listed by
//! its `<name>` without an ecosystem. Direct: the `<dependency>` elements nested in
//! the subject's `<dependency ref="…">` in `<dependencies>`, where the BOM records a
//! graph. The line of a component is that of its `<component` start tag.
//!
//! The root must be a `<bom>` in a CycloneDX namespace,
//! `http://cyclonedx.org/schema/bom/1.x`, which gives the specification version;
//! another version than 1.2 to 1.7 is read as 1.7, with a warning. Only elements in
//! that namespace are read: extension elements of other namespaces are passed over
//! with all they hold. There is no XML Schema validation, but what the schema says
//! of the components and the graph is checked, and a violation is an error, as in
//! the JSON reader, since the inventory could be wrong: a component (or the subject)
//! without a `type` attribute, with a `type` the version does not define, or
//! without a `<name>` (or, in 1.2 and 1.3, a `<version>`), and a `<dependency>`
//! without a `ref`. What the schema cannot say is warned about: a duplicate
//! `bom-ref`, a purl that does not parse, a `<dependency>` naming no component's or
//! service's `bom-ref`.
//!
//! Custom entities (a DTD's) are not expanded: a reference to one stays as written.
//! Elements nested deeper than [`MAX_DEPTH`] are an error.

use std::collections::HashSet;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::{NsReader, XmlVersion};

use crate::lines::Lines;
use crate::{InventoryError, Parsed, Source};

/// How deeply elements may nest.
const MAX_DEPTH: usize = 256;

/// The namespace of a CycloneDX BOM, less its version.
const NAMESPACE: &str = "http://cyclonedx.org/schema/bom/";

/// The specification versions read, and the component types each defines.
const VERSIONS: &[&str] = &["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"];

/// The component types of versions 1.2 to 1.4; 1.5 adds [`TYPES_1_5`], 1.6
/// `cryptographic-asset`.
const TYPES_1_2: &[&str] = &[
    "application",
    "framework",
    "library",
    "container",
    "operating-system",
    "device",
    "firmware",
    "file",
];
const TYPES_1_5: &[&str] = &[
    "platform",
    "device-driver",
    "machine-learning-model",
    "data",
];

fn component_types(spec: &str) -> Vec<&'static str> {
    let mut types = TYPES_1_2.to_vec();
    if !matches!(spec, "1.2" | "1.3" | "1.4") {
        types.extend_from_slice(TYPES_1_5);
        if spec != "1.5" {
            types.push("cryptographic-asset");
        }
    }
    types
}

/// Whether the text starts (after an XML declaration, comments, processing
/// instructions and a DOCTYPE) with a `<bom>` root element in a CycloneDX namespace.
pub(crate) fn is_cyclonedx(head: &str) -> bool {
    let mut reader = NsReader::from_str(head);
    loop {
        match reader.read_resolved_event() {
            Ok((ns, Event::Start(e) | Event::Empty(e))) => {
                return e.local_name().as_ref() == b"bom" && cyclonedx_version(&ns).is_some()
            }
            Ok((_, Event::Eof)) | Err(_) => return false,
            Ok(_) => {}
        }
    }
}

/// The version a CycloneDX namespace names (`1.6`), or `None` for another namespace.
fn cyclonedx_version(ns: &ResolveResult<'_>) -> Option<String> {
    let ResolveResult::Bound(Namespace(ns)) = ns else {
        return None;
    };
    let version = std::str::from_utf8(ns).ok()?.strip_prefix(NAMESPACE)?;
    (!version.is_empty()).then(|| version.to_owned())
}

/// What an open element is to the reader.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bom,
    Metadata,
    Components,
    /// A component, by its index in [`Bom::components`].
    Component(usize),
    Field(Field),
    Dependencies,
    /// A dependency, by its index in [`Bom::dependencies`].
    Dependency(usize),
    Services,
    Service,
    /// Anything else (and everything inside it).
    Other,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Name,
    Version,
    Purl,
}

struct Frame {
    kind: Kind,
    name: String,
    line: u32,
}

/// A component as the BOM writes it.
struct Component {
    line: u32,
    subject: bool,
    bom_ref: Option<String>,
    name: Option<String>,
    version: Option<String>,
    purl: Option<String>,
}

/// A `<dependency>`: its `ref`, and the dependency it is nested in.
struct Dependency {
    line: u32,
    reference: String,
    parent: Option<usize>,
}

/// What the BOM holds.
#[derive(Default)]
struct Bom {
    spec: String,
    components: Vec<Component>,
    dependencies: Vec<Dependency>,
    services: HashSet<String>,
}

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let lines = Lines::new(text);
    let mut warnings = Vec::new();
    let bom = parse(file, text, &lines, &mut warnings)?;
    let mut parsed = Parsed {
        warnings,
        ..Parsed::default()
    };
    let mut refs: HashSet<&str> = HashSet::new();
    for c in &bom.components {
        if let Some(r) = c.bom_ref.as_deref() {
            if !refs.insert(r) {
                parsed
                    .warnings
                    .push(format!("{file}:{}: `bom-ref` `{r}` is not unique", c.line));
            }
        }
    }
    // The subject's direct dependencies, from the graph.
    let subject = bom
        .components
        .iter()
        .find(|c| c.subject)
        .and_then(|c| c.bom_ref.as_deref());
    // Every `<dependency ref>` of the subject (at any depth), and what is nested in it.
    let direct: Option<HashSet<&str>> = subject.and_then(|root| {
        let entries: Vec<usize> = bom
            .dependencies
            .iter()
            .enumerate()
            .filter(|(_, d)| d.reference == root)
            .map(|(i, _)| i)
            .collect();
        (!entries.is_empty()).then(|| {
            bom.dependencies
                .iter()
                .filter(|d| d.parent.is_some_and(|p| entries.contains(&p)))
                .map(|d| d.reference.as_str())
                .collect()
        })
    });
    for c in bom.components.iter().filter(|c| !c.subject) {
        let direct = direct
            .as_ref()
            .map(|d| c.bom_ref.as_deref().is_some_and(|r| d.contains(r)));
        let source = Source {
            file: file.to_owned(),
            line: Some(c.line),
        };
        let (package, purl_error) = crate::sbom_package(
            c.name.as_deref(),
            c.version.as_deref(),
            c.purl.as_deref(),
            source,
            direct,
        );
        if let Some(e) = purl_error {
            parsed
                .warnings
                .push(format!("{file}:{}: `<purl>`: {e}", c.line));
        }
        // Every component has a name (checked while parsing).
        parsed.packages.extend(package);
    }
    for d in &bom.dependencies {
        let r = d.reference.as_str();
        if !refs.contains(r) && !bom.services.contains(r) {
            parsed.warnings.push(format!(
                "{file}:{}: `<dependency>` names `{r}`, which no component's `bom-ref` is",
                d.line
            ));
        }
    }
    Ok(parsed)
}

/// Reads the document into a [`Bom`], checking what touches the inventory.
fn parse(
    file: &str,
    text: &str,
    lines: &Lines,
    warnings: &mut Vec<String>,
) -> Result<Bom, InventoryError> {
    let mut reader = NsReader::from_str(text);
    let mut state = State {
        file,
        bom: Bom::default(),
        types: Vec::new(),
        namespace: Vec::new(),
        stack: Vec::new(),
        text: String::new(),
        seen_root: false,
    };
    loop {
        let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let line = lines.line_of(offset);
        let (ns, event) = match reader.read_resolved_event() {
            Ok(event) => event,
            Err(e) => {
                let at = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                return Err(InventoryError::new(
                    file,
                    Some(lines.line_of(at)),
                    format!("not well-formed XML: {e}"),
                ));
            }
        };
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) if !state.seen_root => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name != "bom" {
                    return Err(InventoryError::new(
                        file,
                        Some(line),
                        format!("expected a CycloneDX `<bom>` root element, found `<{name}>`"),
                    ));
                }
                let found = match &ns {
                    ResolveResult::Bound(Namespace(n)) => {
                        format!("`{}`", String::from_utf8_lossy(n))
                    }
                    _ => "no namespace".to_owned(),
                };
                let Some(version) = cyclonedx_version(&ns) else {
                    return Err(InventoryError::new(
                        file,
                        Some(line),
                        format!(
                            "`<bom>` is not in a CycloneDX namespace: expected `{NAMESPACE}1.6` (or another version), found {found}"
                        ),
                    ));
                };
                state.bom.spec = if VERSIONS.contains(&version.as_str()) {
                    version
                } else {
                    warnings.push(format!(
                        "{file}:{line}: CycloneDX version {version} (of the namespace) is not one of 1.2 to 1.7; read as 1.7"
                    ));
                    "1.7".to_owned()
                };
                state.types = component_types(&state.bom.spec);
                if let ResolveResult::Bound(Namespace(n)) = &ns {
                    state.namespace = n.to_vec();
                }
                state.seen_root = true;
                state.stack.push(Frame {
                    kind: Kind::Bom,
                    name,
                    line,
                });
                if empty {
                    state.close()?;
                }
            }
            Event::Start(e) | Event::Empty(e) => {
                let ours = ns == ResolveResult::Bound(Namespace(&state.namespace));
                state.open(&e, ours, line)?;
                if empty {
                    state.close()?;
                }
            }
            Event::Text(t) if state.in_field() => {
                state.text.push_str(&t.xml10_content().unwrap_or_default());
            }
            Event::CData(t) if state.in_field() => {
                state.text.push_str(&t.decode().unwrap_or_default());
            }
            Event::GeneralRef(r) if state.in_field() => {
                state.text.push_str(&crate::pom::entity(&r));
            }
            Event::End(_) => state.close()?,
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = state.stack.last() {
        return Err(InventoryError::new(
            file,
            Some(open.line),
            format!("not well-formed XML: `<{}>` is not closed", open.name),
        ));
    }
    if !state.seen_root {
        return Err(InventoryError::new(
            file,
            Some(1),
            "expected a CycloneDX `<bom>` root element",
        ));
    }
    Ok(state.bom)
}

/// The reader's place in the document.
struct State<'a> {
    file: &'a str,
    bom: Bom,
    /// The component types of the version read.
    types: Vec<&'static str>,
    /// The BOM's namespace: only its elements are read.
    namespace: Vec<u8>,
    stack: Vec<Frame>,
    /// The text of the field being read.
    text: String,
    seen_root: bool,
}

impl State<'_> {
    fn in_field(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|f| matches!(f.kind, Kind::Field(_)))
    }

    fn error(&self, line: u32, message: String) -> InventoryError {
        InventoryError::new(self.file, Some(line), message)
    }

    /// The value of an unprefixed attribute, its references resolved; every
    /// attribute of the element is checked to be well-formed.
    fn attribute(
        &self,
        e: &BytesStart<'_>,
        key: &str,
        line: u32,
    ) -> Result<Option<String>, InventoryError> {
        let malformed = |err: &dyn std::fmt::Display| {
            let tag = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
            self.error(
                line,
                format!("not well-formed XML: in the `<{tag}>` tag: {err}"),
            )
        };
        let mut found = None;
        for a in e.attributes() {
            let a = a.map_err(|err| malformed(&err))?;
            if found.is_none() && a.key.as_ref() == key.as_bytes() {
                let value = a
                    .normalized_value(XmlVersion::Implicit1_0)
                    .map_err(|err| malformed(&err))?;
                found = Some(value.trim().to_owned());
            }
        }
        Ok(found)
    }

    /// An element opens: `ours` when it is in the BOM's namespace.
    fn open(&mut self, e: &BytesStart<'_>, ours: bool, line: u32) -> Result<(), InventoryError> {
        let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
        if self.stack.len() >= MAX_DEPTH {
            return Err(self.error(line, format!("elements nested more than {MAX_DEPTH} deep")));
        }
        let parent = self.stack.last().map_or(Kind::Other, |f| f.kind);
        let kind = if !ours {
            Kind::Other
        } else {
            match (parent, name.as_str()) {
                (Kind::Bom, "metadata") => Kind::Metadata,
                (Kind::Bom | Kind::Component(_), "components") => Kind::Components,
                (Kind::Metadata | Kind::Components, "component") => {
                    let component = self.component(e, parent == Kind::Metadata, line)?;
                    self.bom.components.push(component);
                    Kind::Component(self.bom.components.len() - 1)
                }
                (Kind::Component(_), "name") => Kind::Field(Field::Name),
                (Kind::Component(_), "version") => Kind::Field(Field::Version),
                (Kind::Component(_), "purl") => Kind::Field(Field::Purl),
                (Kind::Bom, "dependencies") => Kind::Dependencies,
                (Kind::Dependencies | Kind::Dependency(_), "dependency") => {
                    let Some(reference) = self.attribute(e, "ref", line)? else {
                        return Err(self.error(
                            line,
                            "expected a `ref` attribute on the `<dependency>`".to_owned(),
                        ));
                    };
                    self.bom.dependencies.push(Dependency {
                        line,
                        reference,
                        parent: match parent {
                            Kind::Dependency(i) => Some(i),
                            _ => None,
                        },
                    });
                    Kind::Dependency(self.bom.dependencies.len() - 1)
                }
                (Kind::Bom | Kind::Service, "services") => Kind::Services,
                (Kind::Services, "service") => {
                    if let Some(r) = self.attribute(e, "bom-ref", line)? {
                        self.bom.services.insert(r);
                    }
                    Kind::Service
                }
                _ => Kind::Other,
            }
        };
        self.text.clear();
        self.stack.push(Frame { kind, name, line });
        Ok(())
    }

    /// A `<component>` start tag: its `type` checked, its `bom-ref` read.
    fn component(
        &self,
        e: &BytesStart<'_>,
        subject: bool,
        line: u32,
    ) -> Result<Component, InventoryError> {
        let spec = &self.bom.spec;
        match self.attribute(e, "type", line)? {
            None => {
                return Err(self.error(
                    line,
                    "expected a `type` attribute on the `<component>`".to_owned(),
                ))
            }
            Some(t) if !self.types.contains(&t.as_str()) => {
                return Err(self.error(
                    line,
                    format!(
                        "expected a CycloneDX {spec} component `type` ({}), found `{t}`",
                        self.types.join(", ")
                    ),
                ))
            }
            Some(_) => {}
        }
        Ok(Component {
            line,
            subject,
            bom_ref: self.attribute(e, "bom-ref", line)?,
            name: None,
            version: None,
            purl: None,
        })
    }

    /// An element closes.
    fn close(&mut self) -> Result<(), InventoryError> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        match frame.kind {
            Kind::Field(field) => {
                let value = self.text.trim().to_owned();
                self.text.clear();
                let parent = self.stack.last().map(|f| f.kind);
                if let Some(Kind::Component(i)) = parent {
                    if let Some(c) = self.bom.components.get_mut(i) {
                        let slot = match field {
                            Field::Name => &mut c.name,
                            Field::Version => &mut c.version,
                            Field::Purl => &mut c.purl,
                        };
                        slot.get_or_insert(value);
                    }
                }
            }
            Kind::Component(i) => {
                let Some(c) = self.bom.components.get(i) else {
                    return Ok(());
                };
                if c.name.is_none() {
                    return Err(InventoryError::new(
                        self.file,
                        Some(c.line),
                        "expected `<name>` in the `<component>`",
                    ));
                }
                if c.version.is_none() && matches!(self.bom.spec.as_str(), "1.2" | "1.3") {
                    return Err(InventoryError::new(
                        self.file,
                        Some(c.line),
                        format!(
                            "expected `<version>` in the `<component>` (CycloneDX {} requires one)",
                            self.bom.spec
                        ),
                    ));
                }
            }
            _ => {}
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{read, rows, Format};

    const BOM_1_6: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" xmlns:ext="https://example.com/ext" version="1">
  <metadata>
    <timestamp>2024-05-01T00:00:00Z</timestamp>
    <tools>
      <components>
        <component type="application"><name>cdxgen</name><version>10.0.0</version></component>
      </components>
    </tools>
    <component type="application" bom-ref="app">
      <name>app</name>
      <version>1.0.0</version>
      <components>
        <component type="library" bom-ref="inner">
          <name>inner</name>
          <purl>pkg:cargo/inner@1.0</purl>
        </component>
      </components>
    </component>
  </metadata>
  <components>
    <component type="library" bom-ref="j">
      <group></group>
      <name>jinja2</name>
      <version>2.4.1</version>
      <purl>pkg:pypi/jinja2@2.4.1</purl>
      <pedigree>
        <ancestors>
          <component type="library"><name>jinja</name><purl>pkg:pypi/jinja@1.0</purl></component>
        </ancestors>
      </pedigree>
      <components>
        <component
            type="library"
            bom-ref="ng">
          <group>@angular</group>
          <name>core</name>
          <version>1.0.0</version>
          <purl>pkg:npm/%40angular/core@1.0.0</purl>
        </component>
      </components>
    </component>
    <component type="library" bom-ref="ssl">
      <name>openssl</name>
      <version>3.0.2-0ubuntu1</version>
      <purl><![CDATA[pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1?distro=ubuntu-22.04]]></purl>
    </component>
    <component type="file" bom-ref="readme"><name>README &amp; NOTES</name><version/></component>
    <ext:component type="library"><ext:name>not ours</ext:name></ext:component>
    <component type="library" bom-ref="j"><name>odd</name><purl>pkg:gem/odd@1.0</purl></component>
    <component type="library" bom-ref="bad"><name>bad</name><version>2</version><purl>nonsense</purl></component>
  </components>
  <services>
    <service bom-ref="api"><name>api</name><services><service bom-ref="inner-api"><name>x</name></service></services></service>
  </services>
  <dependencies>
    <dependency ref="app">
      <dependency ref="j"/>
      <dependency ref="inner"/>
    </dependency>
    <dependency ref="j">
      <dependency ref="ng"/>
      <dependency ref="ghost"/>
      <dependency ref="inner-api"/>
    </dependency>
  </dependencies>
</bom>
"#;

    #[test]
    fn reads_nested_components_the_subject_and_the_graph() {
        let parsed = read(Format::CycloneDxXml, "bom.xml", BOM_1_6.as_bytes()).unwrap();
        assert_eq!(
            rows(&parsed),
            vec![
                (
                    Some("crates.io".into()),
                    "inner",
                    "1.0",
                    Some(14),
                    Some(true)
                ),
                (Some("PyPI".into()), "jinja2", "2.4.1", Some(22), Some(true)),
                (
                    Some("npm".into()),
                    "@angular/core",
                    "1.0.0",
                    Some(33),
                    Some(false)
                ),
                (
                    Some("Ubuntu:22.04".into()),
                    "openssl",
                    "3.0.2-0ubuntu1",
                    Some(43),
                    Some(false)
                ),
                (None, "README & NOTES", "", Some(48), Some(false)),
                (Some("RubyGems".into()), "odd", "1.0", Some(50), Some(true)),
                (None, "bad", "2", Some(51), Some(false)),
            ]
        );
        assert_eq!(
            parsed.packages[1].purl.as_deref(),
            Some("pkg:pypi/jinja2@2.4.1")
        );
        assert_eq!(
            parsed.warnings,
            vec![
                "bom.xml:50: `bom-ref` `j` is not unique",
                "bom.xml:51: `<purl>`: invalid purl `nonsense`: missing `pkg:` scheme",
                "bom.xml:63: `<dependency>` names `ghost`, which no component's `bom-ref` is",
            ]
        );
    }

    #[test]
    fn older_namespaces_prefixes_and_no_graph() {
        // 1.2, with a prefix; no dependency graph: direct is not known.
        let text = r#"<cdx:bom xmlns:cdx="http://cyclonedx.org/schema/bom/1.2" version="1">
  <cdx:components>
    <cdx:component type="library">
      <cdx:name>lodash</cdx:name>
      <cdx:version>4.17.20</cdx:version>
      <cdx:purl>pkg:npm/lodash@4.17.20</cdx:purl>
    </cdx:component>
    <cdx:component type="framework"><cdx:name>spring</cdx:name><cdx:version>5.3.0</cdx:version></cdx:component>
  </cdx:components>
</cdx:bom>"#;
        let parsed = read(Format::CycloneDxXml, "a.cdx.xml", text.as_bytes()).unwrap();
        assert_eq!(
            rows(&parsed),
            vec![
                (Some("npm".into()), "lodash", "4.17.20", Some(3), None),
                (None, "spring", "5.3.0", Some(8), None),
            ]
        );
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
        // 1.2 knows no `data` components; 1.5 does.
        let data = |ns: &str| {
            format!(
                "<bom xmlns=\"http://cyclonedx.org/schema/bom/{ns}\">\n<components>\n<component type=\"data\"><name>d</name><version>1</version></component>\n</components></bom>"
            )
        };
        let e = read(Format::CycloneDxXml, "b.xml", data("1.2").as_bytes()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "b.xml:3: expected a CycloneDX 1.2 component `type` (application, framework, \
             library, container, operating-system, device, firmware, file), found `data`"
        );
        let parsed = read(Format::CycloneDxXml, "b.xml", data("1.5").as_bytes()).unwrap();
        assert_eq!(rows(&parsed), vec![(None, "d", "1", Some(3), None)]);
        // A version this reader does not know is read as 1.7.
        let parsed = read(Format::CycloneDxXml, "b.xml", data("1.1").as_bytes()).unwrap();
        assert_eq!(rows(&parsed), vec![(None, "d", "1", Some(3), None)]);
        assert_eq!(
            parsed.warnings,
            ["b.xml:1: CycloneDX version 1.1 (of the namespace) is not one of 1.2 to 1.7; read as 1.7"]
        );
    }

    #[test]
    fn components_the_schema_refuses_are_errors() {
        let err = |body: &str, ns: &str| {
            let text = format!(
                "<bom xmlns=\"http://cyclonedx.org/schema/bom/{ns}\">\n<components>\n{body}\n</components>\n</bom>\n"
            );
            read(Format::CycloneDxXml, "bom.xml", text.as_bytes())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err(
                r#"<component type="library"><version>1</version></component>"#,
                "1.6"
            ),
            "bom.xml:3: expected `<name>` in the `<component>`"
        );
        assert_eq!(
            err(r#"<component><name>x</name></component>"#, "1.6"),
            "bom.xml:3: expected a `type` attribute on the `<component>`"
        );
        assert!(err(r#"<component type="gizmo"><name>x</name></component>"#, "1.6")
            .starts_with(
                "bom.xml:3: expected a CycloneDX 1.6 component `type` (application, framework, library, "
            ));
        assert_eq!(
            err(
                r#"<component type="library"><name>x</name></component>"#,
                "1.3"
            ),
            "bom.xml:3: expected `<version>` in the `<component>` (CycloneDX 1.3 requires one)"
        );
        // The subject is checked too; a `<name>` in an extension namespace is not one.
        let text = "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\" xmlns:x=\"urn:x\">\n<metadata>\n<component type=\"application\"><x:name>app</x:name></component>\n</metadata>\n</bom>";
        let e = read(Format::CycloneDxXml, "bom.xml", text.as_bytes()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "bom.xml:3: expected `<name>` in the `<component>`"
        );
        let text = "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\">\n<dependencies>\n<dependency ref=\"a\">\n<dependency/>\n</dependency>\n</dependencies>\n</bom>";
        let e = read(Format::CycloneDxXml, "bom.xml", text.as_bytes()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "bom.xml:4: expected a `ref` attribute on the `<dependency>`"
        );
    }

    #[test]
    fn documents_that_are_not_cyclonedx_boms_are_errors() {
        let e = |text: &str| {
            read(Format::CycloneDxXml, "bom.xml", text.as_bytes())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            e("<?xml version=\"1.0\"?>\n<project xmlns=\"http://maven.apache.org/POM/4.0.0\"/>"),
            "bom.xml:2: expected a CycloneDX `<bom>` root element, found `<project>`"
        );
        assert_eq!(
            e("<bom>\n</bom>"),
            "bom.xml:1: `<bom>` is not in a CycloneDX namespace: expected \
             `http://cyclonedx.org/schema/bom/1.6` (or another version), found no namespace"
        );
        assert_eq!(
            e("<bom xmlns=\"https://example.com/bom/1.6\"/>"),
            "bom.xml:1: `<bom>` is not in a CycloneDX namespace: expected \
             `http://cyclonedx.org/schema/bom/1.6` (or another version), found \
             `https://example.com/bom/1.6`"
        );
        assert_eq!(
            e("<!-- nothing -->\n"),
            "bom.xml:1: expected a CycloneDX `<bom>` root element"
        );
        assert_eq!(
            e("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n<components>\n</bom>"),
            "bom.xml:3: not well-formed XML: ill-formed document: expected `</components>`, but `</bom>` was found"
        );
        assert_eq!(
            e("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n<components>\n"),
            "bom.xml:2: not well-formed XML: `<components>` is not closed"
        );
        assert_eq!(
            e("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n<components>\n<component type=\"library\" type=\"file\"><name>x</name></component></components></bom>"),
            "bom.xml:3: not well-formed XML: in the `<component>` tag: position 25: duplicated attribute, previous declaration at position 10"
        );
    }

    #[test]
    fn entities_are_not_expanded_and_nesting_is_capped() {
        let text = r#"<?xml version="1.0"?>
<!DOCTYPE bom [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4">
  <components>
    <component type="library"><name>&b;</name><version>&#49;.0</version></component>
  </components>
</bom>"#;
        let parsed = read(Format::CycloneDxXml, "bom.xml", text.as_bytes()).unwrap();
        assert_eq!(rows(&parsed), vec![(None, "&b;", "1.0", Some(8), None)]);
        let deep = format!(
            "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n{}{}</bom>",
            "<x>".repeat(300),
            "</x>".repeat(300)
        );
        let e = read(Format::CycloneDxXml, "bom.xml", deep.as_bytes()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "bom.xml:2: elements nested more than 256 deep"
        );
    }

    #[test]
    fn cyclonedx_xml_is_sniffed() {
        assert_eq!(
            Format::sniff(BOM_1_6.as_bytes()),
            Some(Format::CycloneDxXml)
        );
        assert_eq!(
            Format::sniff(
                b"\xef\xbb\xbf<!-- c -->\n<c:bom xmlns:c=\"http://cyclonedx.org/schema/bom/1.2\"/>"
            ),
            Some(Format::CycloneDxXml)
        );
        assert_eq!(Format::sniff(b"<bom/>"), None);
        assert_eq!(
            Format::sniff(b"<project xmlns=\"http://cyclonedx.org/schema/bom/1.6\"/>"),
            None
        );
        assert_eq!(Format::sniff(b"<html><body>"), None);
    }

    proptest::proptest! {
        /// Whatever is spliced into a BOM, the reader returns packages or an error.
        #[test]
        fn never_panics(at in 0..BOM_1_6.len(), junk in "[<>/=\"a-z:&;#! \n-]{0,24}") {
            let mut text = BOM_1_6.as_bytes()[..at].to_vec();
            text.extend_from_slice(junk.as_bytes());
            text.extend_from_slice(&BOM_1_6.as_bytes()[at..]);
            let _ = read(Format::CycloneDxXml, "bom.xml", &text);
            let _ = Format::sniff(&text);
        }
    }

    /// Every CycloneDX XML example in the shared data (there may be none) is read.
    #[test]
    fn shared_examples_are_read() {
        let Some(dir) = crate::tests::shared_examples("cyclonedx") else {
            return;
        };
        for path in crate::tests::files_under(&dir, ".xml") {
            let bytes = std::fs::read(&path).unwrap();
            if Format::sniff(&bytes) != Some(Format::CycloneDxXml) {
                continue;
            }
            let name = path.display().to_string();
            let invalid = name.contains("invalid");
            match read(Format::CycloneDxXml, &name, &bytes) {
                Ok(_) => {}
                Err(e) => assert!(invalid, "{e}"),
            }
        }
    }
}

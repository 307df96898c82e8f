//! CycloneDX SBOMs, JSON, specification versions 1.2 to 1.7.
//!
//! Every component, at any depth of nesting (`components` inside components), is a
//! package; the subject of the BOM (`metadata.component`) is not, but components
//! nested in it are. The ecosystem and name come from the component's purl (its
//! version from the purl, else the component's `version`); a component without a
//! purl is listed without an ecosystem. Direct: what the subject `dependsOn` in
//! `dependencies`, where the BOM records a graph.
//!
//! Every BOM is validated against its `specVersion`'s JSON schema (embedded,
//! `schemas/cyclonedx/`). A violation that touches the components (the component
//! objects and their type, name, version, group, purl, bom-ref and nesting) or the
//! dependency graph is an error: the inventory could be wrong. Any other violation
//! (a licence id, a hash, a timestamp, a service) is a warning naming the JSON
//! pointer, and the BOM is read. What the schema cannot say is checked here and
//! warned about: a duplicate `bom-ref`, a purl that does not parse, a
//! `dependencies` entry naming no component.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::lines::JsonCursor;
use crate::{parse_json, InventoryError, Parsed, Source};

struct Reader<'a> {
    file: &'a str,
    cursor: JsonCursor<'a>,
    parsed: Parsed,
    refs: HashSet<String>,
    direct: Option<HashSet<String>>,
}

pub(crate) fn read(file: &str, text: &str) -> Result<Parsed, InventoryError> {
    let doc = parse_json(file, text)?;
    let mut cursor = JsonCursor::new(text);
    let Some(bom) = doc.as_object() else {
        return Err(InventoryError::new(
            file,
            Some(1),
            "expected a JSON object (a CycloneDX BOM)",
        ));
    };
    match bom.get("bomFormat").and_then(Value::as_str) {
        Some("CycloneDX") => {}
        Some(other) => {
            return Err(InventoryError::new(
                file,
                cursor.find("bomFormat", ":"),
                format!("`bomFormat` is `{other}`; a CycloneDX BOM has `CycloneDX`"),
            ))
        }
        None => {
            return Err(InventoryError::new(
                file,
                None,
                "no `bomFormat` field; a CycloneDX BOM has `\"bomFormat\": \"CycloneDX\"`",
            ))
        }
    }
    let mut warnings = Vec::new();
    let spec = match bom.get("specVersion").and_then(Value::as_str) {
        Some(v @ ("1.2" | "1.3" | "1.4" | "1.5" | "1.6" | "1.7")) => v,
        Some(v) => {
            warnings.push(format!(
                "{file}: `specVersion` {v} is not one of 1.2 to 1.7; read as 1.7"
            ));
            "1.7"
        }
        None => {
            warnings.push(format!("{file}: no `specVersion`; read as 1.7"));
            "1.7"
        }
    };
    validate(file, spec, &doc, &mut warnings)?;
    let subject = bom
        .get("metadata")
        .and_then(|m| m.get("component"))
        .and_then(Value::as_object);
    // The subject's direct dependencies, from the graph.
    let subject_ref = subject
        .and_then(|s| s.get("bom-ref"))
        .and_then(Value::as_str);
    let direct = match (
        subject_ref,
        bom.get("dependencies").and_then(Value::as_array),
    ) {
        (Some(root), Some(deps)) => deps
            .iter()
            .find(|d| d.get("ref").and_then(Value::as_str) == Some(root))
            .map(|d| {
                d.get("dependsOn")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            }),
        _ => None,
    };
    let mut reader = Reader {
        file,
        cursor,
        parsed: Parsed {
            warnings,
            ..Parsed::default()
        },
        refs: HashSet::new(),
        direct,
    };
    if let Some(subject) = subject {
        if let Some(r) = subject.get("bom-ref").and_then(Value::as_str) {
            reader.refs.insert(r.to_owned());
        }
        reader.components(subject.get("components"), "metadata.component.components");
    }
    reader.components(bom.get("components"), "components");
    if let Some(deps) = bom.get("dependencies").and_then(Value::as_array) {
        for (i, d) in deps.iter().enumerate() {
            let named = std::iter::once(d.get("ref"))
                .chain(
                    d.get("dependsOn")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .map(Some),
                )
                .flatten()
                .filter_map(Value::as_str);
            for r in named {
                if !reader.refs.contains(r) && !reader.is_service(bom, r) {
                    reader.parsed.warnings.push(format!(
                        "{file}: `dependencies[{i}]` names `{r}`, which no component's `bom-ref` is"
                    ));
                }
            }
        }
    }
    Ok(reader.parsed)
}

/// The schema files, by the name `$ref`s use.
const SCHEMAS: &[(&str, &str)] = &[
    (
        "bom-1.2.SNAPSHOT.schema.json",
        include_str!("../schemas/cyclonedx/bom-1.2.SNAPSHOT.schema.json"),
    ),
    (
        "bom-1.3.SNAPSHOT.schema.json",
        include_str!("../schemas/cyclonedx/bom-1.3.SNAPSHOT.schema.json"),
    ),
    (
        "bom-1.4.SNAPSHOT.schema.json",
        include_str!("../schemas/cyclonedx/bom-1.4.SNAPSHOT.schema.json"),
    ),
    (
        "bom-1.5.SNAPSHOT.schema.json",
        include_str!("../schemas/cyclonedx/bom-1.5.SNAPSHOT.schema.json"),
    ),
    (
        "bom-1.6.SNAPSHOT.schema.json",
        include_str!("../schemas/cyclonedx/bom-1.6.SNAPSHOT.schema.json"),
    ),
    (
        "bom-1.7.SNAPSHOT.schema.json",
        include_str!("../schemas/cyclonedx/bom-1.7.SNAPSHOT.schema.json"),
    ),
    (
        "spdx.SNAPSHOT.schema.json",
        include_str!("../schemas/cyclonedx/spdx.SNAPSHOT.schema.json"),
    ),
    (
        "jsf-0.82.SNAPSHOT.schema.json",
        include_str!("../schemas/cyclonedx/jsf-0.82.SNAPSHOT.schema.json"),
    ),
    (
        "cryptography-defs.SNAPSHOT.schema.json",
        include_str!("../schemas/cyclonedx/cryptography-defs.SNAPSHOT.schema.json"),
    ),
];

/// Resolves the schemas' references to the embedded files (by file name).
struct Embedded;

impl jsonschema::Retrieve for Embedded {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let name = uri.path().as_str().rsplit('/').next().unwrap_or_default();
        let name = name
            .replace(".schema.json", ".SNAPSHOT.schema.json")
            .replace(".SNAPSHOT.SNAPSHOT.", ".SNAPSHOT.");
        let text = SCHEMAS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, t)| *t)
            .ok_or_else(|| format!("no embedded schema `{name}`"))?;
        Ok(serde_json::from_str(text)?)
    }
}

/// The validator of a specification version, built once per process.
fn validator(spec: &str) -> Option<&'static jsonschema::Validator> {
    use std::sync::OnceLock;
    static CACHE: [OnceLock<Option<jsonschema::Validator>>; 6] = [const { OnceLock::new() }; 6];
    let i = ["1.2", "1.3", "1.4", "1.5", "1.6", "1.7"]
        .iter()
        .position(|v| *v == spec)?;
    CACHE[i]
        .get_or_init(|| {
            let name = format!("bom-{spec}.SNAPSHOT.schema.json");
            let text = SCHEMAS.iter().find(|(n, _)| *n == name)?.1;
            let schema: Value = serde_json::from_str(text).ok()?;
            jsonschema::options()
                .with_retriever(Embedded)
                .build(&schema)
                .ok()
        })
        .as_ref()
}

/// Whether a schema violation at this JSON pointer changes which components the
/// BOM lists or how they depend on one another: the component objects themselves
/// and their identity (`type`, `name`, `version`, `group`, `purl`, `bom-ref`,
/// nesting), and the dependency graph. Such a BOM is refused rather than read
/// into an inventory that could be wrong.
fn touches_inventory(pointer: &str) -> bool {
    const IDENTITY: &[&str] = &["type", "name", "version", "group", "purl", "bom-ref"];
    if matches!(pointer, "" | "/bomFormat" | "/specVersion") || pointer.starts_with("/dependencies")
    {
        return true;
    }
    let parts: Vec<&str> = pointer.split('/').skip(1).collect();
    let index = |p: &str| p.parse::<usize>().is_ok();
    // `components/N…` or `metadata/component…`, then `components/N` any number of times.
    let mut rest: &[&str] = match parts.as_slice() {
        ["components"] => return true,
        ["components", n, tail @ ..] if index(n) => tail,
        ["metadata", "component", tail @ ..] => tail,
        _ => return false,
    };
    loop {
        match rest {
            [] | ["components"] => return true,
            ["components", n, tail @ ..] if index(n) => rest = tail,
            [field] => return IDENTITY.contains(field),
            _ => return false,
        }
    }
}

/// A violation's message, with a long offending value left out.
fn short_message(e: &jsonschema::ValidationError<'_>) -> String {
    let message = e.to_string();
    let instance = e.instance().to_string();
    match message.strip_prefix(&instance) {
        Some(rest) if instance.len() > 40 => format!("the value{rest}"),
        _ if message.len() > 200 => format!("{}…", message.chars().take(200).collect::<String>()),
        _ => message,
    }
}

/// Checks the BOM against its version's schema: a violation that touches the
/// components or the dependency graph is an error; any other is a warning naming
/// it, and the BOM is read.
fn validate(
    file: &str,
    spec: &str,
    doc: &Value,
    warnings: &mut Vec<String>,
) -> Result<(), InventoryError> {
    let Some(validator) = validator(spec) else {
        return Ok(());
    };
    let mut seen = std::collections::HashSet::new();
    for e in validator.iter_errors(doc) {
        let pointer = e.instance_path().to_string();
        let message = short_message(&e);
        if touches_inventory(&pointer) {
            return Err(InventoryError::new(
                file,
                None,
                format!("not a valid CycloneDX {spec} BOM: `{pointer}`: {message}"),
            ));
        }
        if seen.insert(pointer.clone()) {
            warnings.push(format!(
                "{file}: not valid CycloneDX {spec}: `{pointer}`: {message}; read anyway (the components and their dependencies are unaffected)"
            ));
        }
    }
    Ok(())
}

impl Reader<'_> {
    /// Whether `r` is the `bom-ref` of a service, at any depth of nesting.
    fn is_service(&self, bom: &Map<String, Value>, r: &str) -> bool {
        let mut stack: Vec<&Value> = bom
            .get("services")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .collect();
        while let Some(s) = stack.pop() {
            if s.get("bom-ref").and_then(Value::as_str) == Some(r) {
                return true;
            }
            stack.extend(
                s.get("services")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten(),
            );
        }
        false
    }

    fn components(&mut self, list: Option<&Value>, path: &str) {
        let Some(list) = list else { return };
        let Some(list) = list.as_array() else {
            self.parsed
                .warnings
                .push(format!("{}: `{path}` is not an array; skipped", self.file));
            return;
        };
        for (i, c) in list.iter().enumerate() {
            let here = format!("{path}[{i}]");
            match c.as_object() {
                Some(c) => {
                    self.component(c, &here);
                    self.components(c.get("components"), &format!("{here}.components"));
                }
                None => self
                    .parsed
                    .warnings
                    .push(format!("{}: `{here}` is not an object; skipped", self.file)),
            }
        }
    }

    fn component(&mut self, c: &Map<String, Value>, here: &str) {
        let file = self.file;
        let name = c.get("name").and_then(Value::as_str);
        let purl = c.get("purl").and_then(Value::as_str);
        let bom_ref = c.get("bom-ref").and_then(Value::as_str);
        let line = purl
            .and_then(|p| self.cursor.find(p, ""))
            .or_else(|| bom_ref.and_then(|r| self.cursor.find(r, "")))
            .or_else(|| name.and_then(|n| self.cursor.find(n, "")));
        let at = match line {
            Some(l) => format!("{file}:{l}"),
            None => file.to_owned(),
        };
        if let Some(r) = bom_ref {
            if !self.refs.insert(r.to_owned()) {
                self.parsed
                    .warnings
                    .push(format!("{at}: `{here}.bom-ref` `{r}` is not unique"));
            }
        }
        let direct = self
            .direct
            .as_ref()
            .map(|d| bom_ref.is_some_and(|r| d.contains(r)));
        let version = c.get("version").and_then(Value::as_str);
        let source = Source {
            file: file.to_owned(),
            line,
        };
        let (package, purl_error) = crate::sbom_package(name, version, purl, source, direct);
        if let Some(e) = purl_error {
            self.parsed
                .warnings
                .push(format!("{at}: `{here}.purl`: {e}"));
        }
        let Some(package) = package else {
            self.parsed.warnings.push(format!(
                "{at}: `{here}` has neither `name` nor a usable `purl`; skipped"
            ));
            return;
        };
        if name.is_none() {
            self.parsed
                .warnings
                .push(format!("{at}: `{here}` has no `name`; named from its purl"));
        }
        self.parsed.packages.push(package);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::{read, Format};

    #[test]
    fn reads_nested_components_purls_and_the_graph() {
        let text = r#"{
  "bomFormat": "CycloneDX",
  "specVersion": "1.5",
  "metadata": { "component": { "type": "application", "name": "app", "bom-ref": "app",
    "components": [ { "type": "library", "name": "inner", "version": "1.0", "purl": "pkg:cargo/inner@1.0", "bom-ref": "inner" } ] } },
  "components": [
    { "type": "library", "name": "jinja2", "version": "2.4.1", "purl": "pkg:pypi/jinja2@2.4.1", "bom-ref": "j",
      "components": [ { "type": "library", "name": "core", "group": "@angular", "version": "1.0.0", "purl": "pkg:npm/%40angular/core@1.0.0", "bom-ref": "ng" } ] },
    { "type": "library", "name": "openssl", "version": "3.0.2-0ubuntu1", "purl": "pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1?distro=ubuntu-22.04", "bom-ref": "ssl" },
    { "type": "file", "name": "README", "version": "", "bom-ref": "readme" },
    { "type": "library", "name": "odd", "purl": "pkg:gem/odd@1.0", "bom-ref": "j" }
  ],
  "dependencies": [ { "ref": "app", "dependsOn": ["j", "inner"] }, { "ref": "j", "dependsOn": ["ng", "ghost"] } ]
}"#;
        let parsed = read(Format::CycloneDxJson, "bom.json", text.as_bytes()).unwrap();
        let got: Vec<_> = parsed
            .packages
            .iter()
            .map(|p| {
                (
                    p.ecosystem.as_ref().map(ToString::to_string),
                    p.name.as_str(),
                    p.version.as_str(),
                    p.source.line,
                    p.direct,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    Some("crates.io".into()),
                    "inner",
                    "1.0",
                    Some(5),
                    Some(true)
                ),
                (Some("PyPI".into()), "jinja2", "2.4.1", Some(7), Some(true)),
                (
                    Some("npm".into()),
                    "@angular/core",
                    "1.0.0",
                    Some(8),
                    Some(false)
                ),
                (
                    Some("Ubuntu:22.04".into()),
                    "openssl",
                    "3.0.2-0ubuntu1",
                    Some(9),
                    Some(false)
                ),
                (None, "README", "", Some(10), Some(false)),
                (Some("RubyGems".into()), "odd", "1.0", Some(11), Some(true)),
            ]
        );
        assert_eq!(
            parsed.warnings,
            vec![
                "bom.json:11: `components[3].bom-ref` `j` is not unique",
                "bom.json: `dependencies[1]` names `ghost`, which no component's `bom-ref` is",
            ]
        );
    }

    #[test]
    fn violations_touching_components_or_the_graph_are_told_apart() {
        use super::touches_inventory as t;
        for p in [
            "",
            "/components",
            "/components/0",
            "/components/3/type",
            "/components/0/components/2/purl",
            "/metadata/component/name",
            "/metadata/component/components/1",
            "/dependencies/0/ref",
            "/specVersion",
        ] {
            assert!(t(p), "{p}");
        }
        for p in [
            "/components/0/hashes/0/content",
            "/components/0/licenses",
            "/metadata/timestamp",
            "/metadata/component/licenses/0",
            "/services/0/data",
            "/serialNumber",
            "/components/x/name",
        ] {
            assert!(!t(p), "{p}");
        }
    }

    #[test]
    fn schema_violations_are_errors_or_named_warnings() {
        // An unknown component type changes what the inventory lists: refused.
        let bad_type = r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "gizmo", "name": "x"}]}"#;
        let e = read(Format::CycloneDxJson, "b.json", bad_type.as_bytes()).unwrap_err();
        assert!(e.to_string().starts_with("b.json: not a valid CycloneDX 1.6 BOM: `/components/0/type`: \"gizmo\" is not one of"), "{e}");
        // A bad timestamp does not: read, with a warning naming it.
        let bad_time = r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "metadata": {"timestamp": "yesterday"},
            "components": [{"type": "library", "name": "x", "purl": "pkg:cargo/x@1.0.0"}]}"#;
        let parsed = read(Format::CycloneDxJson, "t.json", bad_time.as_bytes()).unwrap();
        assert_eq!(parsed.packages.len(), 1);
        assert_eq!(
            parsed.warnings,
            ["t.json: not valid CycloneDX 1.5: `/metadata/timestamp`: \"yesterday\" is not a \"date-time\"; read anyway (the components and their dependencies are unaffected)"]
        );
    }

    #[test]
    fn not_a_cyclonedx_bom_is_an_error() {
        let e = read(
            Format::CycloneDxJson,
            "x.json",
            b"{\n\"bomFormat\": \"SPDX\"}",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.json:2: `bomFormat` is `SPDX`; a CycloneDX BOM has `CycloneDX`"
        );
        let e = read(Format::CycloneDxJson, "x.json", b"{}").unwrap_err();
        assert!(
            e.to_string().starts_with("x.json: no `bomFormat` field"),
            "{e}"
        );
    }
}

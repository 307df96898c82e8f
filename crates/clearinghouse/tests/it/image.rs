//! Root filesystems and container images: OS package databases with their
//! os-release, lockfiles inside, layers applied in order with whiteouts honoured.

use std::path::Path;

use ch_test_support::shared_data;

use crate::{ch, ch_in, fixture_db, temp_db};

const DPKG_STATUS: &str = "\
Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl (3.0.11-1~deb12u1)
Version: 3.0.11-1~deb12u1

Package: openssl
Status: install ok installed
Architecture: amd64
Version: 3.0.11-1~deb12u1

Package: removed
Status: deinstall ok config-files
Version: 1.0
";

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

#[test]
fn a_debian_root_filesystem_is_matched_against_its_release() {
    let (_d, db) = fixture_db();
    let root = tempfile::tempdir().unwrap();
    write(
        root.path(),
        "usr/lib/os-release",
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n",
    );
    std::os::unix::fs::symlink("../usr/lib/os-release", root.path().join("etc/os-release")).ok();
    std::fs::create_dir_all(root.path().join("etc")).unwrap();
    std::os::unix::fs::symlink("../usr/lib/os-release", root.path().join("etc/os-release")).ok();
    write(root.path(), "var/lib/dpkg/status", DPKG_STATUS);
    write(root.path(), "srv/app/requirements.txt", "demo-pkg==1.1\n");
    let run = ch_in(
        Some(root.path()),
        &db,
        &["scan", ".", "--format", "json"],
        None,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    crate::assert_schema("scan-v1.schema.json", &v);
    let found: Vec<(&str, &str, &str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap(),
                f["package"]["ecosystem"].as_str().unwrap(),
                f["package"]["name"].as_str().unwrap(),
                f["package"]["version"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("EX-2024-1", "PyPI", "demo-pkg", "1.1"),
            ("EX-2024-4", "Debian:12", "openssl", "3.0.11-1~deb12u1"),
        ]
    );
    // Both binary packages of the source are one finding, at both paragraphs.
    let openssl = &v["findings"][1];
    assert_eq!(
        openssl["locations"],
        serde_json::json!([{"file": "var/lib/dpkg/status", "line": 1}, {"file": "var/lib/dpkg/status", "line": 7}])
    );
    assert_eq!(
        openssl["package"]["purl"],
        "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&distro=debian-12&upstream=openssl"
    );
    let inputs = v["inputs"].as_array().unwrap();
    assert_eq!(
        inputs[0],
        serde_json::json!({"file": "var/lib/dpkg/status", "format": "dpkg-status", "packages": 2})
    );
}

/// A tar layer from (path, content) pairs; content `None` makes a symbolic link
/// to the path after `->`.
fn layer(files: &[(&str, &str)], gzip: bool) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, content) in files {
        let mut header = tar::Header::new_gnu();
        if let Some((link, target)) = path.split_once(" -> ") {
            header.set_entry_type(tar::EntryType::Symlink);
            header.set_size(0);
            header.set_mode(0o777);
            builder.append_link(&mut header, link, target).unwrap();
        } else {
            // The name written raw, as a hostile archive would (the builder refuses `..`).
            let name = &mut header.as_old_mut().name;
            name[..path.len()].copy_from_slice(path.as_bytes());
            header.set_size(content.len() as u64);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            header.set_cksum();
            builder.append(&header, content.as_bytes()).unwrap();
        }
    }
    let bytes = builder.into_inner().unwrap();
    if gzip {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut enc, &bytes).unwrap();
        enc.finish().unwrap()
    } else {
        bytes
    }
}

fn alpine_layers() -> Vec<Vec<u8>> {
    vec![
        layer(
            &[
                ("usr/lib/os-release", "ID=alpine\nVERSION_ID=3.9.4\n"),
                ("etc/os-release -> ../usr/lib/os-release", ""),
                ("lib/apk/db/installed", "P:libcrypto1.1\nV:1.1.1a-r0\nA:x86_64\no:openssl\n\nP:musl\nV:1.1.20-r4\no:musl\n"),
                ("app/requirements.txt", "jinja2==2.4.1\n"),
                ("app/old/Cargo.lock", "version = 3\n\n[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n"),
            ],
            false,
        ),
        // The second layer deletes the old app folder and upgrades nothing else.
        layer(&[("app/.wh.old", ""), ("app/notes.txt", "not an inventory")], true),
    ]
}

fn tar_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, bytes) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        builder.append_data(&mut header, path, &bytes[..]).unwrap();
    }
    builder.into_inner().unwrap()
}

fn ids(v: &serde_json::Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["package"]["ecosystem"].as_str().unwrap().to_owned(),
                f["package"]["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// musl 1.1.20-r4 and openssl 1.1.1a-r0 have Alpine 3.9 advisories; jinja2 2.4.1
/// PyPI ones; smallvec (deleted by the second layer) would have crates.io ones.
fn expected() -> Vec<(String, String)> {
    [
        ("Alpine:v3.9", "musl"),
        ("Alpine:v3.9", "openssl"),
        ("PyPI", "jinja2"),
    ]
    .iter()
    .map(|(e, n)| ((*e).to_owned(), (*n).to_owned()))
    .collect()
}

fn scan_image(db: &Path, image: &Path) -> serde_json::Value {
    let run = ch(
        db,
        &[
            "scan",
            image.to_str().unwrap(),
            "--format",
            "json",
            "--offline",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    crate::assert_schema("scan-v1.schema.json", &v);
    v
}

#[test]
fn docker_save_and_oci_images_are_scanned_layer_by_layer() {
    let Some(data) = shared_data() else { return };
    let (_d, db) = temp_db();
    crate::data::import_all(&db, &data);
    let dir = tempfile::tempdir().unwrap();
    let layers = alpine_layers();
    // docker save: manifest.json names the layer files in order (listed last, as docker writes it).
    let mut entries: Vec<(String, Vec<u8>)> = layers
        .iter()
        .enumerate()
        .map(|(i, l)| (format!("layer{i}/layer.tar"), l.clone()))
        .collect();
    entries.reverse();
    entries.push((
        "config.json".into(),
        b"{\"architecture\": \"amd64\"}".to_vec(),
    ));
    entries.push((
        "manifest.json".into(),
        br#"[{"Config": "config.json", "RepoTags": ["app:1"], "Layers": ["layer0/layer.tar", "layer1/layer.tar"]}]"#.to_vec(),
    ));
    let docker = dir.path().join("app.tar");
    std::fs::write(&docker, tar_of(&entries)).unwrap();
    let v = scan_image(&db, &docker);
    // smallvec was deleted by the second layer's whiteout: not found.
    assert_eq!(ids(&v), expected());
    let files: Vec<&str> = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["file"].as_str().unwrap())
        .collect();
    let label = docker.display().to_string();
    assert_eq!(
        files,
        [
            format!("{label}:app/requirements.txt"),
            format!("{label}:lib/apk/db/installed")
        ]
    );

    // The same image as an OCI layout folder, and as a tar of that folder.
    let oci = dir.path().join("oci");
    std::fs::create_dir_all(oci.join("blobs/sha256")).unwrap();
    std::fs::write(oci.join("oci-layout"), r#"{"imageLayoutVersion": "1.0.0"}"#).unwrap();
    let digests: Vec<String> = (0..layers.len())
        .map(|i| format!("{:064x}", i + 1))
        .collect();
    for (d, l) in digests.iter().zip(&layers) {
        std::fs::write(oci.join("blobs/sha256").join(d), l).unwrap();
    }
    let manifest = serde_json::json!({
        "schemaVersion": 2,
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": format!("sha256:{:064x}", 9), "size": 2},
        "layers": [
            {"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": format!("sha256:{}", digests[0]), "size": layers[0].len()},
            {"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": format!("sha256:{}", digests[1]), "size": layers[1].len()}
        ]
    });
    let manifest_digest = format!("{:064x}", 7);
    std::fs::write(
        oci.join("blobs/sha256").join(&manifest_digest),
        manifest.to_string(),
    )
    .unwrap();
    std::fs::write(
        oci.join("index.json"),
        serde_json::json!({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": format!("sha256:{manifest_digest}"), "size": 1,
            "platform": {"architecture": "amd64", "os": "linux"}}]}).to_string(),
    )
    .unwrap();
    let v = scan_image(&db, &oci);
    assert_eq!(ids(&v), expected());
    let mut entries = vec![
        (
            "oci-layout".to_owned(),
            std::fs::read(oci.join("oci-layout")).unwrap(),
        ),
        (
            "index.json".to_owned(),
            std::fs::read(oci.join("index.json")).unwrap(),
        ),
        (
            format!("blobs/sha256/{manifest_digest}"),
            manifest.to_string().into_bytes(),
        ),
    ];
    for (d, l) in digests.iter().zip(&layers) {
        entries.push((format!("blobs/sha256/{d}"), l.clone()));
    }
    let oci_tar = dir.path().join("oci.tar");
    std::fs::write(&oci_tar, tar_of(&entries)).unwrap();
    let v = scan_image(&db, &oci_tar);
    assert_eq!(ids(&v), expected());
}

#[test]
fn broken_and_hostile_images_are_refused_clearly() {
    let (_d, db) = fixture_db();
    let dir = tempfile::tempdir().unwrap();
    // A manifest naming a layer the archive does not hold.
    let bad = dir.path().join("bad.tar");
    std::fs::write(
        &bad,
        tar_of(&[(
            "manifest.json".into(),
            br#"[{"Layers": ["nope/layer.tar"]}]"#.to_vec(),
        )]),
    )
    .unwrap();
    let run = ch(&db, &["inventory", bad.to_str().unwrap()]);
    let e = run.user_error();
    assert!(
        e.contains("bad.tar: not a readable image: layer `nope/layer.tar` is missing or not a tar"),
        "{e}"
    );
    // A layer whose paths climb out of the root stays inside it.
    let climbing = layer(
        &[
            ("../../../../etc/os-release", "ID=debian\nVERSION_ID=12\n"),
            ("../../var/lib/dpkg/status", DPKG_STATUS),
        ],
        false,
    );
    let image = dir.path().join("climb.tar");
    std::fs::write(
        &image,
        tar_of(&[
            ("l/layer.tar".into(), climbing),
            (
                "manifest.json".into(),
                br#"[{"Layers": ["l/layer.tar"]}]"#.to_vec(),
            ),
        ]),
    )
    .unwrap();
    let run = ch(
        &db,
        &["inventory", image.to_str().unwrap(), "--format", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(v["packages"][0]["ecosystem"], "Debian:12");
    assert_eq!(
        v["packages"][0]["source"]["file"],
        format!("{}:var/lib/dpkg/status", image.display())
    );
}

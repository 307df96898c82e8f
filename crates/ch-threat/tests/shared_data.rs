//! The real files in ../shared/data, and malformed ones.
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};

use ch_threat::{epss, kev, vulnrichment};

#[test]
fn reads_the_kev_catalog_with_its_dates_as_given() {
    let Some(data) = ch_test_support::shared_data() else {
        return;
    };
    let bytes = std::fs::read(data.join("kev/known_exploited_vulnerabilities.json")).unwrap();
    assert!(kev::looks_like(&bytes));
    let catalog = kev::parse("kev.json", &bytes).unwrap();
    assert_eq!(catalog.catalog_version, "2025.08.25");
    assert_eq!(catalog.entries.len(), 1404);
    let early = catalog
        .entries
        .iter()
        .filter(|e| e.due_date < e.date_added)
        .count();
    assert_eq!(
        early, 15,
        "entries due before they were added are kept as given"
    );
    let known = catalog
        .entries
        .iter()
        .filter(|e| e.known_ransomware_campaign_use == "Known")
        .count();
    assert_eq!(known, 293);
    let e = catalog
        .entries
        .iter()
        .find(|e| e.cve == "CVE-2021-34527")
        .unwrap();
    assert_eq!(e.date_added.to_string(), "2021-11-03");
    assert_eq!(e.due_date.to_string(), "2021-07-20");
}

#[test]
fn reads_epss_gzipped_or_not_with_or_without_the_model_line() {
    let Some(data) = ch_test_support::shared_data() else {
        return;
    };
    let gz = std::fs::read(data.join("epss/epss_scores-2026-08-16.csv.gz")).unwrap();
    assert!(epss::looks_like(&gz));
    let set = epss::parse("epss.csv.gz", &gz).unwrap();
    assert_eq!(set.model_version, None);
    assert!(set.scores.len() > 300_000, "{}", set.scores.len());
    assert_eq!(set.scores[0].cve, "CVE-1999-0001");
    assert_eq!(set.scores[0].score, 0.03351);

    let mut plain = String::new();
    flate2::read::GzDecoder::new(&gz[..])
        .read_to_string(&mut plain)
        .unwrap();
    let with_model = format!("#model_version:v2025.03.14,score_date:2026-08-16T12:55:00Z\n{plain}");
    assert!(epss::looks_like(with_model.as_bytes()));
    let again = epss::parse("epss.csv", with_model.as_bytes()).unwrap();
    assert_eq!(again.model_version.as_deref(), Some("v2025.03.14"));
    assert_eq!(again.score_date.as_deref(), Some("2026-08-16T12:55:00Z"));
    assert_eq!(again.scores, set.scores);
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(with_model.as_bytes()).unwrap();
    assert_eq!(
        epss::parse("x.gz", &enc.finish().unwrap())
            .unwrap()
            .scores
            .len(),
        set.scores.len()
    );
}

#[test]
fn reads_every_vulnrichment_record() {
    let Some(data) = ch_test_support::shared_data() else {
        return;
    };
    let file = std::fs::File::open(data.join("vulnrichment/vulnrichment.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let (mut n, mut with_ssvc, mut with_cvss) = (0, 0, 0);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        if !entry.name().ends_with(".json") {
            continue;
        }
        let name = entry.name().to_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        assert!(vulnrichment::looks_like(&bytes), "{name}");
        if let Some(e) = vulnrichment::parse(&name, &bytes).unwrap() {
            n += 1;
            assert!(name.ends_with(&format!("{}.json", e.cve)), "{name}");
            with_ssvc += usize::from(e.automatable.is_some());
            with_cvss += usize::from(!e.cvss.is_empty());
            if e.cve == "CVE-2012-4792" {
                assert_eq!(e.exploitation.as_deref(), Some("active"));
                assert_eq!(e.automatable.as_deref(), Some("no"));
                assert_eq!(e.technical_impact.as_deref(), Some("total"));
                assert_eq!(e.cvss, ["CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H"]);
            }
        }
    }
    assert!(n >= 1000, "{n}");
    assert!(with_ssvc > 900, "{with_ssvc} of {n} carry SSVC values");
    assert!(with_cvss > 0);
}

#[test]
fn malformed_inputs_name_the_file_and_line_or_entry() {
    let e = epss::parse("e.csv", b"cve,epss,percentile\nCVE-2024-1,0.5,0.9\n").unwrap_err();
    assert_eq!(e.to_string(), "e.csv:2: `CVE-2024-1` is not a CVE id");
    let e = epss::parse("e.csv", b"cve,epss,percentile\nCVE-2024-1234,1.5,0.9\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "e.csv:2: epss `1.5` is not a number from 0 to 1"
    );
    let e = epss::parse("e.csv", b"cve,score\n").unwrap_err();
    assert_eq!(
        e.to_string(),
        "e.csv:1: expected the header `cve,epss,percentile`, found `cve,score`"
    );
    let e = epss::parse("e.csv", b"").unwrap_err();
    assert_eq!(
        e.to_string(),
        "e.csv: no `cve,epss,percentile` header: not an EPSS file"
    );
    let e = epss::parse("e.csv.gz", &[0x1f, 0x8b, 0, 1, 2]).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("e.csv.gz: not a readable gzip file"),
        "{e}"
    );

    let e = kev::parse("k.json", br#"{"catalogVersion":"1","dateReleased":"x","vulnerabilities":[{"cveID":"CVE-2024-1234","vendorProject":"v","product":"p","vulnerabilityName":"n","dateAdded":"2024-13-01","dueDate":"2024-01-01","knownRansomwareCampaignUse":"Unknown","requiredAction":"a"}]}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "k.json: vulnerabilities[0]: `dateAdded` `2024-13-01` is not a date (YYYY-MM-DD)"
    );
    let e = kev::parse("k.json", b"{\n\"catalogVersion\": 1}").unwrap_err();
    assert!(
        e.to_string().starts_with("k.json:2: not a KEV catalog"),
        "{e}"
    );

    let e = vulnrichment::parse("r.json", br#"{"dataType":"CVE_RECORD","cveMetadata":{"cveId":"CVE-2024-1234","state":"PUBLISHED"},"containers":{"adp":[{"metrics":[{"other":{"type":"ssvc","content":{"options":[{"Automatable":"maybe"}]}}}]}]}}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "r.json: SSVC `Automatable` is `maybe` (expected one of yes, no)"
    );
    let rejected = vulnrichment::parse("r.json", br#"{"dataType":"CVE_RECORD","cveMetadata":{"cveId":"CVE-2024-1234","state":"REJECTED"},"containers":{}}"#).unwrap();
    assert_eq!(rejected, None);
}

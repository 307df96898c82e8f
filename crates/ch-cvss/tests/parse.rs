//! Strict parsing: every malformed vector is refused with an error naming the metric,
//! and every well-formed one is read whatever the order of its metrics.
#![allow(clippy::unwrap_used)]

use ch_cvss::{v4::Nomenclature, Cvss, Error, Severity, Version};

fn err(vector: &str) -> String {
    Cvss::parse(vector).unwrap_err().to_string()
}

#[test]
fn refuses_duplicate_missing_unknown_and_bad_values_naming_the_metric() {
    assert_eq!(
        err("CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        "CVSS v3.1 metric `AV` is given twice"
    );
    assert_eq!(
        err("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"),
        "CVSS v3.1 vector lacks the mandatory metric `A`"
    );
    assert_eq!(
        err("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y"),
        "CVSS v3.1 has no metric `XX`"
    );
    assert_eq!(
        err("CVSS:3.1/AV:Q/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        "CVSS v3.1 metric `AV` has no value `Q` (expected one of N, A, L, P)"
    );
    assert_eq!(
        err("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:X/E:A"),
        "CVSS v4.0 metric `E` is given twice"
    );
    assert_eq!(
        err("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N"),
        "CVSS v4.0 vector lacks the mandatory metric `SA`"
    );
    // SI has no Safety value; only the modified MSI does
    assert!(
        err("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N")
            .starts_with("CVSS v4.0 metric `SI` has no value `S`")
    );
    assert_eq!(
        err("AV:N/AC:L/Au:N/C:P/I:P"),
        "CVSS v2.0 vector lacks the mandatory metric `A`"
    );
    assert_eq!(
        err("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:X"),
        "CVSS v2.0 metric `E` has no value `X` (expected one of U, POC, F, H, ND)"
    );
}

#[test]
fn refuses_wrong_prefixes_and_malformed_components() {
    assert!(err("CVSS:3.2/AV:N").starts_with("unknown CVSS prefix `CVSS:3.2`"));
    assert!(
        err("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P").starts_with("unknown CVSS prefix `CVSS:2.0`")
    );
    assert_eq!(err(""), "empty CVSS vector");
    assert_eq!(err("()"), "empty CVSS vector");
    assert_eq!(
        err("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/"),
        "malformed CVSS v3.1 component ``: expected METRIC:VALUE"
    );
    assert_eq!(
        err("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/AH"),
        "malformed CVSS v3.1 component `AH`: expected METRIC:VALUE"
    );
    // values and metric names are case-sensitive, as the specifications write them
    assert!(err("CVSS:3.1/av:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").contains("no metric `av`"));
    assert!(err("cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").contains("no metric `cvss`"));
    assert!(matches!(
        Cvss::parse(" CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        Err(Error::UnknownMetric { .. })
    ));
}

#[test]
fn reads_metrics_in_any_order_and_prints_them_in_the_specification_order() {
    let a = Cvss::parse("CVSS:3.0/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X").unwrap();
    assert_eq!(
        a.to_string(),
        "CVSS:3.0/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N/E:F/RL:X"
    );
    let Cvss::V3(v) = &a else { panic!("v3") };
    let s = v.scores();
    assert_eq!(
        (
            s.base.to_string(),
            s.temporal.to_string(),
            s.environmental.to_string()
        ),
        ("3.8".into(), "3.7".into(), "3.7".into())
    );
    assert!(v.has_temporal());
    assert!(!v.has_environmental());
}

#[test]
fn reads_v2_as_nvd_writes_it() {
    for vector in ["AV:N/AC:L/Au:N/C:P/I:P/A:P", "(AV:N/AC:L/Au:N/C:P/I:P/A:P)"] {
        let cvss = Cvss::parse(vector).unwrap();
        assert_eq!(cvss.version(), Version::V2);
        assert_eq!(cvss.base_score().to_string(), "7.5");
        assert_eq!(cvss.severity(), Severity::High);
        let Cvss::V2(v) = cvss else { panic!("v2") };
        assert_eq!(v.scores().temporal, None);
        assert_eq!(v.scores().environmental, None);
    }
    // all-ND groups count as absent, as NVD writes them
    let Cvss::V2(v) = Cvss::parse("AV:N/AC:L/Au:N/C:C/I:C/A:C/E:ND/RL:ND/RC:ND").unwrap() else {
        panic!("v2")
    };
    assert_eq!(v.scores().base.to_string(), "10.0");
    assert_eq!(v.scores().temporal, None);
}

#[test]
fn v4_scores_nomenclature_and_supplemental_metrics() {
    let base = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
    let Cvss::V4(v) = Cvss::parse(base).unwrap() else {
        panic!("v4")
    };
    assert_eq!(v.score().to_string(), "9.3");
    assert_eq!(v.nomenclature(), Nomenclature::Base);
    assert_eq!(v.severity(), Severity::Critical);

    let Cvss::V4(bt) = Cvss::parse(&format!("{base}/E:U")).unwrap() else {
        panic!("v4")
    };
    assert_eq!(bt.nomenclature(), Nomenclature::BaseThreat);
    assert_eq!(bt.base_score().to_string(), "9.3");
    assert!(bt.score() < bt.base_score());

    let Cvss::V4(be) = Cvss::parse(&format!("{base}/CR:L/MAV:X")).unwrap() else {
        panic!("v4")
    };
    assert_eq!(be.nomenclature(), Nomenclature::BaseEnvironmental);
    let Cvss::V4(bte) = Cvss::parse(&format!("{base}/E:P/MSI:S")).unwrap() else {
        panic!("v4")
    };
    assert_eq!(bte.nomenclature(), Nomenclature::BaseThreatEnvironmental);
    // X everywhere is still CVSS-B
    let Cvss::V4(x) = Cvss::parse(&format!("{base}/E:X/CR:X")).unwrap() else {
        panic!("v4")
    };
    assert_eq!(x.nomenclature(), Nomenclature::Base);

    let Cvss::V4(sup) = Cvss::parse(&format!("{base}/S:P/AU:Y/U:Red/R:X")).unwrap() else {
        panic!("v4")
    };
    assert_eq!(
        sup.score(),
        v.score(),
        "supplemental metrics never change the score"
    );
    assert_eq!(
        sup.supplemental().collect::<Vec<_>>(),
        vec![("S", "P"), ("AU", "Y"), ("U", "Red")]
    );
    assert_eq!(sup.to_string(), format!("{base}/S:P/AU:Y/R:X/U:Red"));
}

#[test]
fn severity_bands() {
    let score = |v: &str| Cvss::parse(v).unwrap();
    assert_eq!(
        score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N").severity(),
        Severity::None
    );
    assert_eq!(
        score("AV:L/AC:H/Au:M/C:N/I:N/A:N").severity(),
        Severity::Low
    );
    assert_eq!("moderate".parse::<Severity>(), Ok(Severity::Medium));
    assert!("severe".parse::<Severity>().is_err());
}

#[test]
fn refuses_long_and_odd_values_without_confusing_them_with_known_ones() {
    assert!(err("CVSS:3.1/AV:NNNNNNNNNN/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
        .contains("metric `AV` has no value `NNNNNNNNNN`"));
    assert!(
        err("CVSS:3.1/AV:N\0/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").contains("metric `AV` has no value")
    );
    assert!(err("CVSS:3.1/AVXXXXXXXXX:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
        .contains("no metric `AVXXXXXXXXX`"));
    assert!(err("CVSS:3.1/AV:N:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
        .contains("metric `AV` has no value `N:N`"));
    assert!(
        err("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/U:green")
            .contains("metric `U` has no value `green`")
    );
    assert!(err("CVSS:3.1/:N/AC:L").starts_with("malformed CVSS v3.1 component `:N`"));
}

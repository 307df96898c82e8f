//! The indexed matcher gives exactly the answers of evaluating every entry, on
//! every version string of the shared data (and neighbours of them).
#![allow(clippy::unwrap_used)]

use ch_advisory_db::{AdvisoryDb, BatchResults, Query};
use ch_test_support::mirror::SHARED_EXPORTS;
use ch_types::{normalize_name, Ecosystem};

#[test]
fn index_agrees_with_linear_evaluation_on_all_shared_data() {
    let Some(data) = ch_test_support::shared_data() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut db = AdvisoryDb::open_or_create(&dir.path().join("t.db")).unwrap();
    for (_, rel) in SHARED_EXPORTS {
        db.import_path(&data.join(rel)).unwrap();
    }
    let matcher = db.matcher().unwrap();
    // A tiny set budget: lines with more than 64 references fall back to
    // evaluating their entries one by one, mixed with indexed lines.
    let mixed = db.matcher_with_set_budget(64).unwrap();
    let mut mixed_out = Vec::new();
    let (mut n_checks, mut n_hits) = (0usize, 0usize);
    let (mut fast, mut slow) = (Vec::new(), Vec::new());
    // (ecosystem, name, version, what `check` answered) for the batch check below.
    let mut asked: Vec<(Ecosystem, String, String, Option<Vec<u32>>)> = Vec::new();
    for (_, rel) in SHARED_EXPORTS {
        for (_, record) in ch_test_support::osv_zip_records(&data.join(rel)) {
            for affected in record["affected"].as_array().into_iter().flatten() {
                let eco_text = affected["package"]["ecosystem"].as_str().unwrap_or("");
                let Ok(eco) = Ecosystem::parse(eco_text) else {
                    continue;
                };
                let name = normalize_name(
                    eco.kind(),
                    affected["package"]["name"].as_str().unwrap_or(""),
                );
                let base_eco = Ecosystem::parse(eco.base()).unwrap();
                let mut versions: Vec<String> = affected["versions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                for range in affected["ranges"].as_array().into_iter().flatten() {
                    for event in range["events"].as_array().into_iter().flatten() {
                        for (_, v) in event.as_object().into_iter().flatten() {
                            if let Some(v) = v.as_str() {
                                versions.push(v.to_owned());
                                versions.push(format!("{v}.1"));
                                versions.push(format!("{v}-1"));
                            }
                        }
                    }
                }
                for v in &versions {
                    for e in [&eco, &base_eco] {
                        fast.clear();
                        slow.clear();
                        let a = matcher.check(e, &name, v, &mut fast);
                        let b = matcher.check_linear(e, &name, v, &mut slow);
                        assert_eq!(a.is_ok(), b.is_ok(), "{e} {name} {v}");
                        assert_eq!(fast, slow, "{e} {name} {v}");
                        mixed_out.clear();
                        let c = mixed.check(e, &name, v, &mut mixed_out);
                        assert_eq!(c.is_ok(), b.is_ok(), "{e} {name} {v} (budget 64)");
                        assert_eq!(mixed_out, slow, "{e} {name} {v} (budget 64)");
                        n_checks += 1;
                        n_hits += fast.len();
                        asked.push((
                            e.clone(),
                            name.clone(),
                            v.clone(),
                            a.ok().map(|()| fast.clone()),
                        ));
                        if n_checks % 7 == 0 {
                            // A package no advisory names, between known ones.
                            asked.push((
                                e.clone(),
                                format!("{name}-unlisted"),
                                v.clone(),
                                Some(vec![]),
                            ));
                        }
                    }
                }
            }
        }
    }
    // The batch API answers exactly as one check at a time.
    let queries: Vec<Query<'_>> = asked
        .iter()
        .map(|(ecosystem, name_key, version, _)| Query {
            ecosystem,
            name_key,
            version,
        })
        .collect();
    let mut results = BatchResults::default();
    matcher.check_batch(&queries, &mut results);
    assert_eq!(results.len(), asked.len());
    for (i, (e, name, v, want)) in asked.iter().enumerate() {
        let got = results.get(i).unwrap().ok().map(<[u32]>::to_vec);
        assert_eq!(&got, want, "batch: {e} {name} {v}");
    }
    assert!(results.get(asked.len()).is_none());
    assert!(
        asked.iter().any(|(.., want)| want.is_none()),
        "some versions do not parse"
    );

    let n_linear = matcher.stats().n_set_slots - mixed.stats().n_set_slots;
    assert!(
        n_linear > 100_000,
        "the budget moved {n_linear} references to linear lines"
    );
    assert!(n_checks > 500_000, "{n_checks}");
    assert!(n_hits > 1_000_000, "{n_hits}");
}

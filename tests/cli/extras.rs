//! Beyond search: money figures, organisations, near-duplicate wire copy and
//! timelines, on fixture articles with hand-checked values.

use std::path::{Path, PathBuf};

use newsidx::print::json::{DuplicateGroupDoc, ListDoc, StatsDoc};
use serde_json::Value;

use crate::harness::{paths, search, Env};

fn extras() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extras")
}

fn corpus() -> Env {
    let env = Env::new();
    env.copy_from(&extras());
    env.ok(&["index", "--quiet"]);
    env
}

#[test]
fn amounts_and_organisations_match_the_hand_checked_labels() {
    let env = corpus();
    let labels = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/extras-labels.jsonl");
    let report: Value = crate::harness::eval_extraction(&env, &labels);
    assert_eq!(report["amount_labelled"], 6);
    assert_eq!(report["amount_accuracy"], 1.0, "{report}");
    assert_eq!(report["orgs_labelled"], 6);
    assert_eq!(report["org_f1"], 1.0, "{report}");
    let listed: Vec<ListDoc> = env.json_lines(&["list", "--json"]);
    let maruti = listed
        .iter()
        .find(|d| d.path == "maruti_hansalpur.txt")
        .unwrap();
    let amount = maruti.meta.amount.as_ref().unwrap();
    assert_eq!(
        (amount.written.as_str(), amount.currency.as_str()),
        ("$1.2 billion", "USD")
    );
    // "Maruti Suzuki" and "Suzuki Motor" are Suzuki; the helpline, "2,000
    // people" and "6.5 crore people" are not money.
    assert_eq!(maruti.meta.orgs, ["Denso", "Suzuki", "Toshiba"]);
    assert_eq!(amount.rupees, 99_600_000_000);
    let signing = listed
        .iter()
        .find(|d| d.path == "gujarat_signing.txt")
        .unwrap();
    assert_eq!(signing.meta.amount, None);
}

#[test]
fn amount_filters_sorting_and_org_filters() {
    let env = corpus();
    let sorted = search(
        &env,
        &[
            "--sort",
            "amount",
            "--all-duplicates",
            "India OR Gujarat OR Karnataka OR Chennai",
        ],
    );
    let rupees: Vec<u64> = sorted
        .hits
        .iter()
        .map(|h| {
            h.article
                .record
                .meta
                .amount
                .as_ref()
                .map_or(0, |a| a.rupees)
        })
        .collect();
    assert!(rupees.windows(2).all(|w| w[0] >= w[1]), "{rupees:?}");
    assert_eq!(paths(&sorted)[0], "jica_loan.txt");
    let big = search(
        &env,
        &[
            "--min-amount",
            "8000cr",
            "--all-duplicates",
            "India OR Gujarat OR Karnataka OR Chennai",
        ],
    );
    let mut p = paths(&big);
    p.sort();
    assert_eq!(p, ["jica_loan.txt", "maruti_hansalpur.txt"]);
    let band = search(
        &env,
        &[
            "--min-amount",
            "1000cr",
            "--max-amount",
            "$1bn",
            "--all-duplicates",
            "plant",
        ],
    );
    let mut p = paths(&band);
    p.sort();
    assert_eq!(p, ["toyota_bidadi.txt", "wire_pti_a.txt", "wire_pti_b.txt"]);
    assert_eq!(
        paths(&search(&env, &["--org", "maruti", "plant"])),
        ["maruti_hansalpur.txt"]
    );
    assert_eq!(paths(&search(&env, &["org:TKM"])), ["toyota_bidadi.txt"]);
    let out = env.run(&["search", "--org", "Acme", "plant"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Toyota"));
    let out = env.run(&["search", "--min-amount", "lots", "plant"]);
    assert_eq!(out.status.code(), Some(2));
    let stats: StatsDoc = env.json(&["stats", "--json"]);
    assert_eq!(stats.orgs.get("JICA"), Some(&1));
    let facets = search(&env, &["--facets", "plant"]).facets.unwrap();
    assert_eq!(facets.orgs.get("Suzuki"), Some(&1));
}

#[test]
fn wire_copy_is_grouped_and_shown_once() {
    let env = corpus();
    let doc = search(&env, &["chip", "packaging"]);
    let wire: Vec<_> = doc
        .hits
        .iter()
        .filter(|h| h.article.record.path.starts_with("wire_"))
        .collect();
    assert_eq!(wire.len(), 1, "{:?}", paths(&doc));
    assert_eq!(wire[0].article.duplicates, Some(1));
    assert!(
        paths(&doc).contains(&"gujarat_signing.txt"),
        "a different story stays"
    );
    let signing = doc
        .hits
        .iter()
        .find(|h| h.article.record.path == "gujarat_signing.txt")
        .unwrap();
    assert_eq!(signing.article.duplicates, Some(0));
    assert_eq!(signing.article.dup_group, None);
    let all = search(&env, &["chip", "packaging", "--all-duplicates"]);
    let groups: Vec<_> = all
        .hits
        .iter()
        .filter(|h| h.article.record.path.starts_with("wire_"))
        .map(|h| h.article.dup_group.clone().unwrap())
        .collect();
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0], groups[1]);
    let human = env.ok(&["search", "chip", "packaging", "--color", "never"]);
    assert!(human.contains("also in 1 other article"), "{human}");
    let listed: Vec<DuplicateGroupDoc> = env.json_lines(&["list", "--duplicates", "--json"]);
    assert_eq!(listed.len(), 1);
    let members: Vec<&str> = listed[0].articles.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(members, ["wire_pti_a.txt", "wire_pti_b.txt"]);
    assert_eq!(listed[0].group, groups[0]);
    // The same folder, indexed again from scratch, gives the same groups.
    env.ok(&["index", "--rebuild", "--quiet"]);
    let again: Vec<DuplicateGroupDoc> = env.json_lines(&["list", "--duplicates", "--json"]);
    assert_eq!(again, listed);
}

/// A wire copy that arrives in a later run, through the folder walk or named,
/// still counts on the article indexed before it, whichever of the two is
/// shown: the earlier one is marked at indexing, so its bands are looked up.
#[test]
fn a_later_wire_copy_counts_on_the_earlier_article() {
    let later = extras().join("wire_pti_b.txt");
    for named in [false, true] {
        let env = Env::new();
        env.copy_from(&extras());
        env.remove("wire_pti_b.txt");
        env.ok(&["index", "--quiet"]);
        let alone = search(&env, &["chip", "packaging"]);
        let a = alone
            .hits
            .iter()
            .find(|h| h.article.record.path == "wire_pti_a.txt")
            .expect("wire_pti_a matches");
        assert_eq!(a.article.duplicates, Some(0));
        env.write("wire_pti_b.txt", std::fs::read(&later).unwrap());
        if named {
            let path = env.articles().join("wire_pti_b.txt");
            let summary = env.index_json(&[path.to_str().unwrap()]);
            assert_eq!(
                (summary["added"].as_u64(), summary["skipped"].as_u64()),
                (Some(1), Some(0)),
                "{summary}"
            );
        } else {
            env.ok(&["index", "--quiet"]);
        }
        let mut seen = Vec::new();
        for offset in ["0", "1"] {
            let doc = search(
                &env,
                &[
                    "\"electronics maker\"",
                    "Ahmedabad",
                    "--all-duplicates",
                    "-n",
                    "1",
                    "--offset",
                    offset,
                ],
            );
            let hit = &doc.hits[0];
            assert!(
                hit.article.record.path.starts_with("wire_"),
                "{:?}",
                paths(&doc)
            );
            assert_eq!(
                hit.article.duplicates,
                Some(1),
                "{} (named: {named})",
                hit.article.record.path
            );
            seen.push(hit.article.record.path.clone());
        }
        seen.sort();
        assert_eq!(seen, ["wire_pti_a.txt", "wire_pti_b.txt"]);
    }
}

#[test]
fn timeline_counts_articles_per_period() {
    let env = corpus();
    let by_month: Value = env.json(&["timeline", "--json"]);
    let buckets = by_month["buckets"].as_array().unwrap();
    let first = &buckets[0];
    let last = &buckets[buckets.len() - 1];
    assert_eq!(first["period"], "2023-11");
    assert_eq!(last["period"], "2025-08");
    assert_eq!(buckets.len(), 22, "every month from the first to the last");
    let count = |period: &str| {
        buckets
            .iter()
            .find(|b| b["period"] == period)
            .map_or(0, |b| b["count"].as_u64().unwrap())
    };
    assert_eq!(count("2025-03"), 3);
    assert_eq!(count("2024-06"), 0);
    assert_eq!(by_month["undated"], 1);
    assert_eq!(by_month["total_articles"], 6);
    let by_year: Value = env.json(&["timeline", "--by", "year", "--split", "state", "--json"]);
    let years: Vec<(&str, u64)> = by_year["buckets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["period"].as_str().unwrap(), b["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(years, [("2023", 1), ("2024", 0), ("2025", 4)]);
    assert_eq!(by_year["buckets"][2]["split"]["Gujarat"], 3);
    let human = env.ok(&["timeline", "--by", "quarter", "--color", "never"]);
    assert!(human.contains("2025-Q1") && human.contains('█'), "{human}");
    env.expect(1, &["timeline", "zebrafishology"]);
}

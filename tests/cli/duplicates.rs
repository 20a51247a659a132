//! Near-duplicate groups: copies of one story only, the same count and id in
//! every command and at every page size, independent of indexing order.

use std::collections::BTreeSet;

use newsidx::print::json::DuplicateGroupDoc;

use crate::harness::{search, Env};

/// 100 words of a 400-word run starting at `from`: windows 25 words apart
/// are near-duplicates (estimated similarity 0.62 and 0.66 for these
/// signatures), windows 50 apart are not (0.41).
fn window(from: usize) -> String {
    (from..from + 100)
        .map(|i| format!("word{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn groups(env: &Env) -> BTreeSet<Vec<String>> {
    env.json_lines::<DuplicateGroupDoc>(&["list", "--duplicates", "--json"])
        .into_iter()
        .map(|g| g.articles.into_iter().map(|a| a.path).collect())
        .collect()
}

/// The groups with their ids in a `list --duplicates --json` output: a
/// group whose leader left must change id.
fn identified_groups(listed: &str) -> BTreeSet<(String, Vec<String>)> {
    listed
        .lines()
        .map(|l| serde_json::from_str::<DuplicateGroupDoc>(l).expect("a group"))
        .map(|g| (g.group, g.articles.into_iter().map(|a| a.path).collect()))
        .collect()
}

#[test]
fn a_chain_of_near_duplicates_never_joins_its_ends() {
    let env = Env::new();
    for (name, from) in [("a.txt", 0), ("b.txt", 25), ("c.txt", 50)] {
        env.write(name, window(from));
    }
    env.ok(&["index", "--quiet"]);
    let found = groups(&env);
    for group in &found {
        assert!(
            !(group.contains(&"a.txt".to_string()) && group.contains(&"c.txt".to_string())),
            "{found:?}"
        );
    }
    assert_eq!(found.len(), 1, "b pairs with a or with c: {found:?}");
    // The same articles indexed in another order, across runs, give the
    // same groups as a rebuild.
    for order in [["c.txt", "b.txt", "a.txt"], ["b.txt", "c.txt", "a.txt"]] {
        let other = Env::new();
        for (i, name) in order.iter().enumerate() {
            let from = match *name {
                "a.txt" => 0,
                "b.txt" => 25,
                _ => 50,
            };
            other.write(name, window(from));
            if i < 2 {
                other.ok(&["index", "--quiet"]);
            }
        }
        other.ok(&["index", "--quiet"]);
        assert_eq!(groups(&other), found, "order {order:?}");
        other.ok(&["index", "--rebuild", "--quiet"]);
        assert_eq!(groups(&other), found, "rebuilt after {order:?}");
    }
}

const STORY: &str = "New Delhi, March 3 (PTI): A Japanese electronics maker will invest in a \
    packaging plant in Gujarat, the Union minister said on Monday. The plant, to be built near \
    Ahmedabad with an Indian partner, will make parts for cars and phones and employ about \
    two thousand people. Talks with three more companies were at an advanced stage and the \
    state would offer land and power at concessional rates. Officials said the first phase \
    would be completed by 2027 and the second by 2029, subject to approvals from the centre.";

fn reprints() -> Env {
    let env = Env::new();
    env.write(
        "wire_a.txt",
        format!("Japanese firm to build Gujarat plant\n{STORY}"),
    );
    env.write(
        "wire_b.txt",
        format!(
            "Gujarat gets packaging plant\n{}",
            STORY.replace("New Delhi, March 3 (PTI):", "NEW DELHI:")
        ),
    );
    env.write(
        "wire_c.txt",
        format!(
            "Plant for Gujarat\n{}",
            STORY.replace("about two thousand", "nearly two thousand")
        ),
    );
    env.write(
        "other.txt",
        "Gujarat packaging plant draws protest\nFarmers near Ahmedabad protested on Tuesday \
         against land taken for the packaging plant, saying the compensation offered was far \
         below the market rate and that no hearing had been held in their villages.\n",
    );
    // Two bodies too short to compare (a scraper that kept only the
    // headline, or junk): near-duplicates of nothing, not of each other.
    env.write("short_1.txt", "Tokyo talks\nTokyo.\n");
    env.write("short_2.txt", "Tokyo talks\nTokyo.\n");
    env.ok(&["index", "--quiet"]);
    env
}

#[test]
fn counts_and_group_ids_agree_everywhere() {
    let env = reprints();
    let listed: Vec<DuplicateGroupDoc> = env.json_lines(&["list", "--duplicates", "--json"]);
    assert_eq!(listed.len(), 1, "{listed:?}");
    let group = &listed[0];
    let members: BTreeSet<&str> = group.articles.iter().map(|a| a.path.as_str()).collect();
    assert_eq!(
        members,
        BTreeSet::from(["wire_a.txt", "wire_b.txt", "wire_c.txt"])
    );
    let smallest = group.articles.iter().map(|a| a.id.as_str()).min().unwrap();
    assert_eq!(group.group, smallest, "the group's id is its smallest id");
    for limit in ["1", "3", "100"] {
        let doc = search(&env, &["--limit", limit, "Japanese", "electronics"]);
        let wire: Vec<_> = doc
            .hits
            .iter()
            .filter(|h| h.article.record.path.starts_with("wire_"))
            .collect();
        assert_eq!(wire.len(), 1, "one article per group at --limit {limit}");
        assert_eq!(wire[0].article.duplicates, Some(2), "--limit {limit}");
        assert_eq!(
            wire[0].article.dup_group.as_deref(),
            Some(group.group.as_str())
        );
    }
    let all = search(&env, &["--all-duplicates", "packaging", "plant"]);
    let wire: Vec<_> = all
        .hits
        .iter()
        .filter(|h| h.article.record.path.starts_with("wire_"))
        .collect();
    assert_eq!(wire.len(), 3);
    for hit in wire {
        assert_eq!(hit.article.duplicates, Some(2));
        assert_eq!(hit.article.dup_group.as_deref(), Some(group.group.as_str()));
    }
    // The human output says the same.
    let human = env.ok(&["search", "--color", "never", "packaging", "plant"]);
    assert!(human.contains("also in 2 other articles"), "{human}");
    // Bodies too short to compare are nobody's twins.
    let short = search(&env, &["--all-duplicates", "Tokyo"]);
    assert_eq!(short.hits.len(), 2);
    assert!(short.hits.iter().all(|h| h.article.duplicates == Some(0)));
}

#[test]
fn removing_a_group_member_regroups_as_a_rebuild_would() {
    let env = reprints();
    let before = groups(&env);
    assert_eq!(before.len(), 1);
    env.remove("wire_a.txt");
    env.ok(&["index", "--quiet"]);
    let after = groups(&env);
    assert_eq!(
        after,
        BTreeSet::from([vec!["wire_b.txt".to_string(), "wire_c.txt".to_string()]])
    );
    env.ok(&["index", "--rebuild", "--quiet"]);
    assert_eq!(groups(&env), after);
    env.remove("wire_b.txt");
    env.ok(&["index", "--quiet"]);
    assert!(groups(&env).is_empty(), "a group of one is no group");
    let doc = search(&env, &["packaging", "plant"]);
    assert!(doc.hits.iter().all(|h| h.article.duplicates == Some(0)));
}

/// JSON-lines articles keep their ids when lines move: the id follows the
/// line's `id`, else its `url`, else its content.
#[test]
fn json_lines_ids_follow_the_article_not_the_line() {
    use newsidx::print::json::ListDoc;
    let env = Env::new();
    let with_id = r#"{"id": 7051, "title": "Goa courts hoteliers", "body": "Panaji: the tourism minister met investors from Osaka on Friday about beach resorts."}"#;
    let with_url = r#"{"url": "https://example.com/haryana", "title": "Haryana signs pacts", "body": "Gurugram: the state signed six pacts with Japanese firms on Monday for new plants."}"#;
    let bare = r#"{"title": "Kerala fair draws firms", "body": "Kochi: a fair for Japanese firms opened on Tuesday with forty stalls and many visitors."}"#;
    let other = r#"{"title": "Odisha steel talks", "body": "Bhubaneswar: steel makers from Japan held talks with the state on Wednesday about a plant."}"#;
    let ids = |env: &Env| -> std::collections::BTreeMap<String, String> {
        env.json_lines::<ListDoc>(&["list", "--json"])
            .into_iter()
            .map(|d| (d.meta.title, d.id))
            .collect()
    };
    env.write("a.jsonl", format!("{with_id}\n{with_url}\n{bare}\n"));
    env.ok(&["index", "--quiet"]);
    let before = ids(&env);
    assert_eq!(before.len(), 3);
    // A line inserted above every article: the same ids.
    env.write(
        "a.jsonl",
        format!("{other}\n{with_id}\n{with_url}\n{bare}\n"),
    );
    env.ok(&["index", "--quiet"]);
    let after = ids(&env);
    for (title, id) in &before {
        assert_eq!(after.get(title), Some(id), "{title}");
    }
    // Moved to another file: still the same ids.
    env.write("a.jsonl", format!("{other}\n{bare}\n"));
    env.write("b.jsonl", format!("{with_url}\n{with_id}\n"));
    env.ok(&["index", "--quiet"]);
    let moved = ids(&env);
    for (title, id) in &before {
        assert_eq!(moved.get(title), Some(id), "{title}");
    }
    // The same id twice in a file: two articles, and a warning.
    env.write(
        "c.jsonl",
        format!(
            "{}\n{}\n",
            with_id
                .replace("Goa courts", "Goa woos")
                .replace("7051", "9000"),
            with_id
                .replace("Goa courts", "Goa invites")
                .replace("7051", "9000")
        ),
    );
    let out = env.run(&["index"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("same id as line 1"));
    let all = ids(&env);
    assert_ne!(all["Goa woos hoteliers"], all["Goa invites hoteliers"]);
}

/// A run regroups only the families it touches; after any sequence of
/// additions, edits and deletions (chains of overlapping windows, exact
/// copies, articles leaving and rejoining families) the groups are the ones
/// a fresh build of the same folder finds.
#[test]
fn incremental_regrouping_equals_a_fresh_build() {
    let env = Env::new();
    let mut rng = fastrand::Rng::with_seed(7);
    let mut present: BTreeSet<String> = BTreeSet::new();
    let mut seen_groups = 0;
    for step in 0..20 {
        // A step either removes one file (its near-duplicates must regroup
        // with nothing written to reach them) or writes a few.
        if !present.is_empty() && rng.bool() {
            let name = present.iter().nth(rng.usize(0..present.len())).cloned();
            let name = name.expect("a present file");
            env.remove(&name);
            present.remove(&name);
        } else {
            for _ in 0..rng.usize(1..4) {
                let name = format!("f{}.txt", rng.usize(0..14));
                env.write(&name, window(rng.usize(0..24) * 5));
                present.insert(name);
            }
        }
        env.ok(&["index", "--quiet"]);
        let fresh = tempfile::tempdir().expect("temp dir");
        let index = fresh.path().join("index");
        let built = env.run_at(&index, &["index", "--quiet"]);
        assert!(built.status.success(), "step {step}: fresh build failed");
        let listed = env.run_at(&index, &["list", "--duplicates", "--json"]);
        let expected = identified_groups(&String::from_utf8(listed.stdout).expect("UTF-8"));
        assert_eq!(
            identified_groups(&env.ok(&["list", "--duplicates", "--json"])),
            expected,
            "step {step}, files {present:?}"
        );
        seen_groups += expected.len();
    }
    assert!(seen_groups > 12, "the steps made too few groups to test");
}

//! Issue 14: cleaning and extraction on ordinary scraped pages. Every case
//! is a fixture article written here (never a development article), indexed
//! by the binary and read back with `list --json` or `show`.

use serde_json::Value;

use crate::harness::Env;

/// Indexes the articles folder and returns every article's `list --json`
/// record by path.
fn listed(env: &Env) -> std::collections::HashMap<String, Value> {
    env.ok(&["index", "--quiet"]);
    let docs: Vec<Value> = env.json_lines(&["list", "--json"]);
    docs.into_iter()
        .map(|d| (d["path"].as_str().unwrap_or_default().to_string(), d))
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn passages(env: &Env, path: &str) -> String {
    let doc: Value = env.json(&["show", path, "--json"]);
    strings(&doc["passages"]).join("\n")
}

#[test]
fn a_sentence_about_cookies_loses_no_text() {
    let env = Env::new();
    env.write(
        "power.txt",
        "Karnataka bets on low-power chip design\n\
         Bengaluru: The state government announced a design-linked incentive for chip start-ups on Monday.\n\
         The scheme covers tools, prototypes and testing for five years.\n\
         Officials expect forty firms to apply in the first round.\n\
         Customers like products that use less power, and cookies are not the only thing people use online.\n\
         The second round will open to firms from Japan and Taiwan next spring.\n\
         A review committee will meet every quarter to judge the bids.\n",
    );
    listed(&env);
    let text = passages(&env, "power.txt");
    assert!(text.contains("cookies are not the only thing"), "{text}");
    assert!(
        text.contains("review committee will meet every quarter"),
        "{text}"
    );
}

#[test]
fn title_case_headlines_stay_titles() {
    let env = Env::new();
    env.write(
        "summit.txt",
        "India Business Leaders Meet Tokyo Industry Chiefs On Semiconductor Push\n\
         New Delhi: Chief executives of twelve Indian firms met their counterparts in Tokyo on Tuesday to discuss chip supply chains.\n",
    );
    let docs = listed(&env);
    assert_eq!(
        docs["summit.txt"]["title"],
        "India Business Leaders Meet Tokyo Industry Chiefs On Semiconductor Push"
    );
}

#[test]
fn html_page_structure_keeps_junk_out() {
    let env = Env::new();
    // No <article>: the reader falls back to <body>, where the related box,
    // the comments and the footer must be recognised by their structure.
    env.write(
        "mysuru.html",
        r#"<html><head><title>Karnataka signs EV battery pact | Deccan Daily</title></head><body>
        <div class="breadcrumb"><a href="/">Home</a> › <a href="/news">News</a> › <a href="/ka">Karnataka</a></div>
        <div class="story-body">
          <h1>Karnataka signs EV battery pact</h1>
          <p>Mysuru: Karnataka signed an agreement with a Japanese battery maker on Friday for a cell plant near the city.</p>
          <p>The company will invest Rs 1,200 crore in the first phase, officials said.</p>
          <p>The plant will employ about 900 people when it opens in two years.</p>
        </div>
        <div class="related-stories"><h3>Also read</h3><ul>
          <li><a href="/a">Telangana bags Rs 5,000 crore chip plant</a></li>
          <li><a href="/b">Kerala ports see record traffic</a></li></ul></div>
        <div id="comments"><p>Great news for the state, finally some jobs here in Mysuru for young engineers!</p>
          <p>Another long comment that talks about Tamil Nadu and its many factories near Chennai.</p></div>
        <div class="footer">Copyright 2024 Deccan Daily. All rights reserved.</div>
        </body></html>"#,
    );
    let docs = listed(&env);
    let doc = &docs["mysuru.html"];
    assert_eq!(strings(&doc["states"]), ["Karnataka"], "{doc}");
    assert_eq!(doc["amount"]["written"], "Rs 1,200 crore", "{doc}");
    assert_eq!(doc["title"], "Karnataka signs EV battery pact");
    let text = passages(&env, "mysuru.html");
    for junk in ["Telangana", "Copyright", "Great news", "Home"] {
        assert!(!text.contains(junk), "{junk} kept: {text}");
    }
    // --explain names each left-out block and its rule.
    let explained = env.ok(&["show", "mysuru.html", "--explain"]);
    assert!(explained.contains("\"related\" block"), "{explained}");
    assert!(explained.contains("\"comments\" block"), "{explained}");
    assert!(explained.contains("\"footer\" block"), "{explained}");
}

#[test]
fn page_metadata_is_read() {
    let env = Env::new();
    env.write(
        "ld.html",
        r#"<html><head><title>Tamil Nadu opens a textile park - Times of Chennai</title>
        <script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},
          {"@type":"NewsArticle","headline":"Tamil Nadu opens a textile park in Virudhunagar","datePublished":"2024-03-07T08:00:00+05:30"}]}</script>
        </head><body><article><p>Chennai: The state opened a textile park on Thursday with looms from Japan and space for forty garment units.</p></article></body></html>"#,
    );
    env.write(
        "suffix.html",
        "<html><head><title>Gujarat courts chip makers from Kumamoto | The Western Herald</title></head>\
         <body><p>Gandhinagar: Gujarat invited chip makers from Kumamoto on Monday to set up units at Sanand.</p></body></html>",
    );
    env.write(
        "crumbs.txt",
        "Home › News › Tamil Nadu › Business\n\
         Chennai: A Japanese tyre maker will add a second line at its plant near the city, the company said on Friday.\n",
    );
    env.write(
        "front.md",
        "---\ntitle: \"Odisha and Japan talk steel\"\ndate: 2023-11-02\nurl: https://example.org/odisha-steel\n---\n\n\
         Bhubaneswar: Odisha officials met Japanese steel makers on Thursday to discuss a plant at Paradip.\n",
    );
    env.write(
        "pages.jsonl",
        "{\"title\":\"Kerala woos Japanese hospitals\",\"body\":\"<div><p>Kochi: Kerala met hospital groups from Japan on Monday.</p><div class=\\\"share-bar\\\"><a>Facebook</a> <a>Twitter</a></div><p>The talks covered nurses and training.</p></div>\"}\n\
         {\"title\":\"Assam tea pact\",\"body\":\"Guwahati: Assam signed a tea export pact.\",\"states\":[\"Assam\",\"Atlantis\"],\"sectors\":[\"agriculture-food\",\"tea-stuff\"]}\n",
    );
    let out = env.ok(&["index", "--json"]);
    let summary: Value = serde_json::from_str(out.trim()).expect("index --json");
    let problems = summary["problems"].to_string();
    assert!(
        problems.contains(
            r#"{"line":2,"path":"pages.jsonl","reason":"state \"Atlantis\" is not in the taxonomy"#
        ),
        "{problems}"
    );
    assert!(problems.contains("sector \\\"tea-stuff\\\""), "{problems}");
    let docs: Vec<Value> = env.json_lines(&["list", "--json"]);
    let doc = |p: &str| {
        docs.iter()
            .find(|d| d["path"] == p)
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(
        doc("ld.html")["title"],
        "Tamil Nadu opens a textile park in Virudhunagar"
    );
    assert_eq!(doc("ld.html")["date"], "2024-03-07");
    assert_eq!(
        doc("suffix.html")["title"],
        "Gujarat courts chip makers from Kumamoto"
    );
    assert_ne!(
        doc("crumbs.txt")["title"],
        "Home › News › Tamil Nadu › Business"
    );
    assert!(!passages(&env, "crumbs.txt").contains("Home ›"));
    assert_eq!(doc("front.md")["title"], "Odisha and Japan talk steel");
    assert_eq!(doc("front.md")["date"], "2023-11-02");
    let front = passages(&env, "front.md");
    assert!(
        !front.contains("title:") && !front.contains("example.org"),
        "{front}"
    );
    let kerala = passages(&env, "pages.jsonl:1");
    assert!(
        !kerala.contains('<') && !kerala.contains("Facebook"),
        "{kerala}"
    );
    assert!(kerala.contains("The talks covered nurses"), "{kerala}");
    assert_eq!(strings(&doc("pages.jsonl:2")["states"]), ["Assam"]);
    assert_eq!(
        strings(&doc("pages.jsonl:2")["sectors"]),
        ["agriculture-food"]
    );
}

#[test]
fn given_dates_that_are_no_publication_day() {
    let env = Env::new();
    env.write(
        "dates.jsonl",
        "{\"title\":\"Goa port deal\",\"body\":\"Panaji: Goa signed a port deal with a Japanese firm.\",\"date\":\"0001-01-01T00:00:00Z\"}\n\
         {\"title\":\"Goa hotel deal\",\"body\":\"Panaji: Goa signed a hotel deal with a Japanese firm.\",\"date\":\"2025-02-31\"}\n",
    );
    let out = env.ok(&["index", "--json"]);
    let problems = out.to_string();
    assert!(
        problems.contains("\"line\":1") && problems.contains("outside 1900-2100"),
        "{problems}"
    );
    assert!(
        problems.contains("\"line\":2") && problems.contains("a day that does not exist"),
        "{problems}"
    );
    let docs: Vec<Value> = env.json_lines(&["list", "--json"]);
    assert_eq!(docs.len(), 2, "both articles are indexed");
    assert!(docs.iter().all(|d| d["date"].is_null()), "{docs:?}");
}

#[test]
fn states_prefectures_dates_and_titles_generalise() {
    let env = Env::new();
    // A surname is not a prefecture.
    env.write(
        "governor.txt",
        "Maharashtra hosts a Japanese delegation\n\
         Mumbai: Governor Kotaro Nagasaki led a delegation of business leaders to Mumbai on Monday to discuss port logistics.\n",
    );
    // The dateline names where the story was filed, not what it is about.
    env.write(
        "dateline.txt",
        "Chandigarh, Nov 14 (PTI) Punjab Chief Minister met a Japanese delegation on Monday and invited investment in food processing units across Punjab.\n\
         The Punjab government offered land near Ludhiana for the units.\n",
    );
    // A weekday dateline is a date, never the title.
    env.write(
        "weekday.txt",
        "Tuesday, Nov 15, 2022\n\
         Lucknow: Uttar Pradesh signed an MoU on semiconductors with a Japanese consortium, officials said on Tuesday.\n\
         The consortium will study sites near Noida for a packaging unit.\n",
    );
    let docs = listed(&env);
    assert!(
        strings(&docs["governor.txt"]["prefectures"]).is_empty(),
        "{}",
        docs["governor.txt"]
    );
    assert_eq!(strings(&docs["governor.txt"]["states"]), ["Maharashtra"]);
    assert_eq!(
        strings(&docs["dateline.txt"]["states"]),
        ["Punjab"],
        "{}",
        docs["dateline.txt"]
    );
    let weekday = &docs["weekday.txt"];
    assert_eq!(weekday["date"], "2022-11-15");
    assert_ne!(weekday["title"], "Tuesday, Nov 15, 2022");
    // The sector an MoU is about counts though named once.
    assert_eq!(
        strings(&weekday["sectors"]),
        ["semiconductors"],
        "{weekday}"
    );
}

#[test]
fn amount_is_the_investment() {
    let env = Env::new();
    env.write(
        "trade.txt",
        "Assam seeks Japanese partners\n\
         Guwahati: Bilateral trade between India and Japan stood at $22.9 billion last year, the minister told a conclave on Friday.\n",
    );
    env.write(
        "revenue.txt",
        "Chhattisgarh courts a Japanese trading house\n\
         Raipur: The company, with annual revenue of USD 90 billion, will invest Rs 500 crore in a steel service centre, officials said.\n",
    );
    env.write(
        "tonnes.txt",
        "Odisha plans a new port\n\
         Bhubaneswar: The port will handle over the next ten years 5 million tonnes of cargo, the state said on Monday.\n",
    );
    let docs = listed(&env);
    assert!(
        docs["trade.txt"]["amount"].is_null(),
        "{}",
        docs["trade.txt"]
    );
    assert_eq!(docs["revenue.txt"]["amount"]["written"], "Rs 500 crore");
    assert!(
        docs["tonnes.txt"]["amount"].is_null(),
        "{}",
        docs["tonnes.txt"]
    );
    let explained = env.ok(&["show", "revenue.txt", "--explain"]);
    assert!(explained.contains("\"USD 90 billion\""), "{explained}");
    assert!(explained.contains("not an investment"), "{explained}");
}

#[test]
fn explain_says_why() {
    let env = Env::new();
    env.write(
        "why.txt",
        "Gujarat courts chip makers\n\
         Gandhinagar: Gujarat offered land for a semiconductor fab near Sanand on Monday, officials said.\n\
         The chip plant would make memory for phones.\n\
         States such as Kerala, Assam and Bihar have similar plans.\n\
         Share this article: Facebook | Twitter | WhatsApp\n",
    );
    listed(&env);
    let out = env.ok(&["show", "why.txt", "--explain"]);
    for want in [
        "+ Gujarat",
        "\"Gujarat\" in the headline +3.00",
        "(dateline)",
        "- Kerala",
        "(one item of a list)",
        "+ semiconductors",
        "share bar (cleaning.social_words)",
        "Share this article",
        "undated",
    ] {
        assert!(out.contains(want), "{want:?} missing:\n{out}");
    }
    let doc: Value = env.json(&["show", "why.txt", "--explain", "--json"]);
    let states = doc["explanation"]["states"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let gujarat = states
        .iter()
        .find(|s| s["value"] == "Gujarat")
        .expect("Gujarat");
    assert_eq!(gujarat["chosen"], true);
    assert!(gujarat["score"].as_f64().unwrap_or(0.0) >= 2.0, "{doc}");
    assert_eq!(
        doc["dropped"][0]["rule"],
        "share bar (cleaning.social_words)"
    );
}

#[test]
fn a_rule_change_in_the_taxonomy_file_re_extracts() {
    let env = Env::new();
    env.write(
        "goa.txt",
        "Goa courts hoteliers\nPanaji: The tourism minister met investors from Osaka on Friday to discuss beach resorts.\n",
    );
    let taxonomy = env.dir.path().join("tax.toml");
    let builtin = include_str!("../../data/taxonomy.toml");
    std::fs::write(&taxonomy, builtin).expect("write taxonomy");
    let tax = taxonomy.to_str().unwrap();
    env.ok(&["--taxonomy", tax, "index", "--quiet"]);
    let before: Vec<Value> = env.json_lines(&["--taxonomy", tax, "list", "--json"]);
    assert_eq!(strings(&before[0]["states"]), ["Goa"]);
    // Demand more points of a state than the headline and dateline give.
    let changed = builtin.replace("state_min_score = 2.0", "state_min_score = 50.0");
    assert_ne!(changed, builtin);
    std::fs::write(&taxonomy, changed).expect("write taxonomy");
    let summary: Value =
        serde_json::from_str(env.ok(&["--taxonomy", tax, "index", "--json"]).trim()).expect("json");
    assert_eq!(summary["rebuilt"], true, "{summary}");
    let after: Vec<Value> = env.json_lines(&["--taxonomy", tax, "list", "--json"]);
    assert!(strings(&after[0]["states"]).is_empty(), "{}", after[0]);
    // The manifest records the extractor's version.
    let index = newsidx::index::open(&env.index()).expect("open");
    assert_eq!(
        index.manifest.extractor,
        newsidx::extract::EXTRACTOR_VERSION
    );
}

#[test]
fn a_bad_rule_in_a_user_file_names_the_key() {
    let env = Env::new();
    env.write(
        "goa.txt",
        "Goa courts hoteliers\nPanaji: The minister met investors.\n",
    );
    let taxonomy = env.dir.path().join("tax.toml");
    std::fs::write(
        &taxonomy,
        "[[state]]\nname = \"Goa\"\n[cleaning]\nteasers = [\"also (read\"]\n",
    )
    .expect("write");
    let out = env.run(&["--taxonomy", taxonomy.to_str().unwrap(), "index"]);
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("tax.toml") && err.contains("cleaning.teasers"),
        "{err}"
    );
}

/// `../shared/dev-articles` (labelled real articles, English and three in
/// other languages), when present: extraction at the targets of issue 14,
/// item 5. The rules were not written from these articles' strings; this
/// guards that a change does not undo what general rules reach on them.
#[test]
fn dev_articles_extract_at_the_targets() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let articles = root.join("../shared/dev-articles");
    let labels = articles.join("labels.jsonl");
    if !labels.is_file() {
        eprintln!("skipped: {} is absent", labels.display());
        return;
    }
    let env = Env::new();
    for entry in std::fs::read_dir(&articles).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            std::fs::copy(&path, env.articles().join(path.file_name().unwrap())).unwrap();
        }
    }
    env.ok(&["index", "--quiet"]);
    let report: Value = crate::harness::eval_extraction(&env, &labels);
    let field = |k: &str| {
        report[k]
            .as_f64()
            .unwrap_or_else(|| panic!("{k}: {report}"))
    };
    eprintln!(
        "dev articles: state {:.3}, date {:.3}, sector F1 {:.3}, prefecture F1 {:.3}",
        field("state_accuracy"),
        field("date_accuracy"),
        field("sector_f1"),
        field("prefecture_f1")
    );
    assert!(report["articles"].as_u64().unwrap() >= 40, "{report}");
    assert!(field("state_accuracy") >= 0.95, "{report}");
    assert!(field("date_accuracy") >= 0.95, "{report}");
    assert!(field("sector_f1") >= 0.85, "{report}");
    assert!(field("prefecture_f1") >= 0.90, "{report}");
}

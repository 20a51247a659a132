//! Deterministic synthetic news corpus for benchmarks.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --articles 100000 --seed 1 --out bench/.work/corpus-100000
//! ```
//!
//! Writes `OUT/articles/NNN/NNNNNN.txt` (1,000 articles per folder by default:
//! a title line, then one paragraph per line, as scrapers write) and the same
//! articles as `OUT/articles.ndjson` (`{"title":…,"body":…}` per line) for the
//! peers. The same seed and count give byte-identical output.
//!
//! Each article has 5–25 paragraphs and 400–1,200 words drawn from a Zipf-like
//! distribution (s = 1.08) over a hand-written list of common English words and a
//! synthetic long tail (about 40,000 made-up words with English suffixes), mixed
//! with Indian states and cities, Japanese companies, prefectures and cities,
//! sector vocabulary, dates in the formats the extractor reads, and page junk
//! ("Also read:" teasers, cookie banners, "Subscribe", "0 Comments").
//!
//! `--families F` (0 to 1, default 0) makes that share of the articles members
//! of near-duplicate families, as scraped news has them: reprints of an
//! earlier article with a new headline and a few words changed, the same
//! agency story on several sites (the body unchanged), and templated stories
//! that share their boilerplate paragraphs but are not copies (estimated
//! similarity between them mostly 0.2–0.45: the case that chained groups).

use std::collections::HashSet;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use rayon::prelude::*;

/// Common English words, roughly in frequency order (news register).
const COMMON: &str = "the of and to a in that is for on it with as was he be by at from his \
said have are this an has not but were they which or had their its been also who will more one \
would new after first two up other there all about year we can her than into when some only \
over what out years most state government could people time last she them so if three may \
no like made before government's while between during just since under against because many such \
said percent well back through where much down then these being still both even while million \
four officials including several now per those week each another next any world part city \
five end however told added minister day until around second group country make high long \
number plan public support way work national market local business company billion project \
policy development economic investment industry growth trade meeting official report month \
area major own based among set expected help need take use according top best good early \
chief president board late less major around far come point held further across region \
percent announced expected total plans share told called system team center week service \
major continue without within long order put left three power cost said open global key \
programme programmes review series capacity production agreement partnership cooperation \
support initiative initiatives sector sectors opportunities opportunity delegation visit visits \
bilateral ties collaboration investors investor invest invested investing investments companies \
firms firm economy exports export imports import facility facilities projects infrastructure \
technology technologies technical foreign domestic private public officials official leaders \
leader ministry department secretary council committee conference summit forum session event \
events signed signing memorandum understanding agreement agreements discussed discussion \
discussions talks focus focused areas key important significant strategic new further future \
years decade recent recently today yesterday tomorrow week weeks month months quarter annual \
growth rate rates increase increased rising rise fell decline demand supply price prices cost \
costs revenue profit profits sales jobs employment workers labour land water energy power \
environment climate green sustainable safety security quality standards rules law laws court \
people residents community communities villages district districts region regions capital \
city cities town towns rural urban area areas site sites plant plants unit units centre centres \
hub corridor park zone zones network networks platform platforms model models approach level \
levels scale large small medium major minor main primary local regional national international \
global worldwide across along among around behind beyond near inside outside together already \
again often always never sometimes ever yet soon later earlier ago nearly almost about roughly \
least most very quite rather too enough such same different various several certain whole";

/// Indian states with cities the gazetteer knows.
const STATES: &[(&str, &[&str])] = &[
    (
        "Karnataka",
        &[
            "Bengaluru",
            "Mysuru",
            "Tumakuru",
            "Hubballi",
            "Mangaluru",
            "Belagavi",
        ],
    ),
    (
        "Tamil Nadu",
        &[
            "Chennai",
            "Coimbatore",
            "Hosur",
            "Madurai",
            "Tiruchirappalli",
        ],
    ),
    ("Maharashtra", &["Mumbai", "Pune", "Nagpur", "Nashik"]),
    (
        "Gujarat",
        &["Ahmedabad", "Surat", "Vadodara", "Gandhinagar", "Rajkot"],
    ),
    (
        "Uttar Pradesh",
        &["Lucknow", "Noida", "Kanpur", "Varanasi", "Prayagraj"],
    ),
    ("Telangana", &["Hyderabad", "Warangal"]),
    (
        "Andhra Pradesh",
        &["Visakhapatnam", "Vijayawada", "Tirupati"],
    ),
    ("Kerala", &["Thiruvananthapuram", "Kozhikode"]),
    ("West Bengal", &["Kolkata", "Durgapur"]),
    ("Haryana", &["Gurugram", "Faridabad"]),
    ("Rajasthan", &["Jaipur", "Neemrana", "Jodhpur", "Udaipur"]),
    ("Assam", &["Guwahati", "Jagiroad", "Dibrugarh"]),
    ("Odisha", &["Bhubaneswar", "Cuttack", "Paradip"]),
    ("Madhya Pradesh", &["Indore", "Bhopal"]),
    ("Punjab", &["Ludhiana", "Amritsar", "Mohali"]),
    ("Bihar", &["Patna", "Gaya"]),
    ("Jharkhand", &["Ranchi", "Jamshedpur"]),
    ("Goa", &["Panaji"]),
    ("Uttarakhand", &["Dehradun"]),
    ("Chhattisgarh", &["Raipur"]),
    ("Himachal Pradesh", &["Shimla"]),
];

const COMPANIES: &[&str] = &[
    "Toyota",
    "Suzuki Motor",
    "Honda",
    "Nissan",
    "Hitachi",
    "Panasonic",
    "Sony",
    "Mitsubishi Electric",
    "Mitsui & Co",
    "Sumitomo",
    "Toshiba",
    "NEC",
    "Fujitsu",
    "Denso",
    "Daikin",
    "SoftBank",
    "Renesas",
    "Murata",
    "Kyocera",
    "Yamaha",
    "Isuzu",
    "Komatsu",
    "Kubota",
    "Tokyo Electron",
    "Nidec",
    "Marubeni",
    "Itochu",
    "Mitsubishi Heavy Industries",
    "JFE Steel",
    "Nippon Steel",
    "Toyota Tsusho",
    "Sojitz",
    "Hitachi Energy",
    "NTT Data",
    "Takeda",
    "Astellas",
];

/// Prefectures, with a major city where the gazetteer has one.
const PREFECTURES: &[(&str, &str)] = &[
    ("Hokkaido", "Sapporo"),
    ("Aomori", ""),
    ("Iwate", ""),
    ("Miyagi", "Sendai"),
    ("Akita", ""),
    ("Yamagata", ""),
    ("Fukushima", ""),
    ("Ibaraki", ""),
    ("Tochigi", ""),
    ("Gunma", ""),
    ("Saitama", ""),
    ("Chiba", ""),
    ("Tokyo", ""),
    ("Kanagawa", "Yokohama"),
    ("Niigata", ""),
    ("Toyama", ""),
    ("Ishikawa", "Kanazawa"),
    ("Fukui", ""),
    ("Yamanashi", "Kofu"),
    ("Nagano", ""),
    ("Gifu", ""),
    ("Shizuoka", "Hamamatsu"),
    ("Aichi", "Nagoya"),
    ("Mie", ""),
    ("Shiga", ""),
    ("Kyoto", ""),
    ("Osaka", ""),
    ("Hyogo", "Kobe"),
    ("Nara", ""),
    ("Wakayama", ""),
    ("Tottori", ""),
    ("Shimane", ""),
    ("Okayama", ""),
    ("Hiroshima", ""),
    ("Yamaguchi", ""),
    ("Tokushima", ""),
    ("Kagawa", ""),
    ("Ehime", ""),
    ("Kochi", ""),
    ("Fukuoka", "Kitakyushu"),
    ("Saga", ""),
    ("Nagasaki", ""),
    ("Kumamoto", ""),
    ("Oita", ""),
    ("Miyazaki", ""),
    ("Kagoshima", ""),
    ("Okinawa", "Naha"),
];

/// Sector vocabulary: terms the extractor scores, and phrases a reporter uses.
const SECTORS: &[&[&str]] = &[
    &[
        "semiconductor",
        "semiconductors",
        "chip",
        "chipmaker",
        "fab",
        "wafer",
        "OSAT facility",
        "chip-making",
        "display fab",
    ],
    &[
        "electric vehicle",
        "electric vehicles",
        "EV",
        "battery",
        "battery cell",
        "lithium-ion",
        "charging infrastructure",
        "e-mobility",
        "electric buses",
    ],
    &[
        "renewable energy",
        "green hydrogen",
        "solar",
        "wind power",
        "electrolyser",
        "energy storage",
        "clean energy",
        "green ammonia",
    ],
    &[
        "software",
        "data centre",
        "cloud computing",
        "cybersecurity",
        "global capability centre",
        "IT services",
        "digital transformation",
    ],
    &[
        "pharmaceutical",
        "medical devices",
        "healthcare",
        "hospital",
        "nursing",
        "vaccine",
        "biotech",
        "clinical research",
    ],
    &[
        "rare earth",
        "critical minerals",
        "mining",
        "magnets",
        "lithium",
        "mineral processing",
    ],
    &[
        "automotive",
        "auto components",
        "automaker",
        "car",
        "two-wheeler",
        "trucks",
        "auto parts",
    ],
    &[
        "industrial park",
        "manufacturing hub",
        "factory",
        "machine tools",
        "steel",
        "MSMEs",
        "industrial township",
    ],
    &[
        "skilled workforce",
        "skill development",
        "technical interns",
        "vocational training",
        "manpower",
        "skilled workers",
    ],
    &[
        "startups",
        "incubator",
        "venture capital",
        "entrepreneurs",
        "innovation hub",
        "seed funding",
    ],
    &[
        "tourism",
        "tourists",
        "cultural exchange",
        "festival",
        "heritage",
        "temple",
        "museum",
    ],
    &[
        "logistics",
        "railway",
        "high-speed rail",
        "metro",
        "expressway",
        "ports",
        "freight corridor",
        "airport",
    ],
    &[
        "agriculture",
        "food processing",
        "fisheries",
        "aquaculture",
        "dairy",
        "horticulture",
        "seafood",
    ],
    &[
        "university",
        "students",
        "scholarships",
        "researchers",
        "higher education",
        "campus",
    ],
    &[
        "defence",
        "aerospace",
        "drones",
        "aircraft",
        "satellites",
        "space sector",
    ],
    &[
        "textiles", "apparel", "handloom", "garments", "yarn", "weaving",
    ],
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const WEEKDAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

const TAIL_WORDS: usize = 40_000;

struct Args {
    articles: usize,
    seed: u64,
    out: PathBuf,
    per_folder: usize,
    /// Share of articles in near-duplicate families.
    families: f64,
}

fn parse_args() -> Args {
    let mut args = Args {
        articles: 10_000,
        seed: 1,
        out: PathBuf::from("bench/.work/corpus"),
        per_folder: 1000,
        families: 0.0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next().unwrap_or_else(|| {
                eprintln!("gen_corpus: {flag} needs a value");
                std::process::exit(2)
            })
        };
        match flag.as_str() {
            "--articles" => args.articles = value().parse().expect("--articles N"),
            "--seed" => args.seed = value().parse().expect("--seed N"),
            "--out" => args.out = PathBuf::from(value()),
            "--per-folder" => args.per_folder = value().parse().expect("--per-folder N"),
            "--families" => args.families = value().parse().expect("--families F (0 to 1)"),
            "-h" | "--help" => {
                println!(
                    "gen_corpus --articles N --seed S --out DIR [--per-folder 1000] [--families F]\n\
                     writes DIR/articles/NNN/NNNNNN.txt and DIR/articles.ndjson"
                );
                std::process::exit(0)
            }
            other => {
                eprintln!("gen_corpus: unknown argument {other}");
                std::process::exit(2)
            }
        }
    }
    args.per_folder = args.per_folder.max(1);
    args
}

/// The vocabulary in rank order and the cumulative Zipf weights.
pub struct Vocab {
    words: Vec<String>,
    cdf: Vec<f64>,
}

impl Default for Vocab {
    fn default() -> Self {
        Vocab::new()
    }
}

impl Vocab {
    pub fn new() -> Vocab {
        let mut seen = HashSet::new();
        let mut words: Vec<String> = Vec::new();
        for w in COMMON.split_whitespace() {
            if seen.insert(w.to_string()) {
                words.push(w.to_string());
            }
        }
        // A fixed synthetic tail, independent of --seed.
        let mut rng = fastrand::Rng::with_seed(0x5eed_7a11);
        const ONSETS: &[&str] = &[
            "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w",
            "z", "br", "ch", "dr", "gr", "pl", "pr", "sh", "st", "th", "tr",
        ];
        const VOWELS: &[&str] = &[
            "a", "e", "i", "o", "u", "a", "e", "i", "o", "ai", "ea", "ou",
        ];
        const CODAS: &[&str] = &["", "", "", "", "n", "r", "l", "s", "m", "nd", "st", "ck"];
        const SUFFIXES: &[&str] = &[
            "", "", "", "", "", "", "s", "s", "ing", "ed", "er", "ly", "al", "ity", "tion", "ment",
        ];
        let wanted = words.len() + TAIL_WORDS;
        while words.len() < wanted {
            let syllables = [1, 2, 2, 2, 3][rng.usize(0..5)];
            let mut w = String::new();
            for _ in 0..syllables {
                w.push_str(ONSETS[rng.usize(0..ONSETS.len())]);
                w.push_str(VOWELS[rng.usize(0..VOWELS.len())]);
                w.push_str(CODAS[rng.usize(0..CODAS.len())]);
            }
            w.push_str(SUFFIXES[rng.usize(0..SUFFIXES.len())]);
            if w.len() >= 3 && seen.insert(w.clone()) {
                words.push(w);
            }
        }
        let mut cdf = Vec::with_capacity(words.len());
        let mut total = 0.0;
        for rank in 1..=words.len() {
            total += 1.0 / (rank as f64 + 1.7).powf(1.08); // Zipf–Mandelbrot, s = 1.08
            cdf.push(total);
        }
        for c in &mut cdf {
            *c /= total;
        }
        Vocab { words, cdf }
    }

    fn sample(&self, rng: &mut fastrand::Rng) -> &str {
        let x = rng.f64();
        let i = self.cdf.partition_point(|&c| c < x);
        &self.words[i.min(self.words.len() - 1)]
    }
}

pub struct Article {
    pub title: String,
    /// Lines after the title, one paragraph (or junk line) per line.
    pub body: Vec<String>,
}

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(0..items.len())]
}

fn any_sector_word(rng: &mut fastrand::Rng) -> &'static str {
    let sector: &[&str] = SECTORS[rng.usize(0..SECTORS.len())];
    sector[rng.usize(0..sector.len())]
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Article `n` of the corpus generated with `seed`.
pub fn article(vocab: &Vocab, seed: u64, n: usize) -> Article {
    let mut rng = fastrand::Rng::with_seed(
        seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (n as u64).wrapping_mul(0xbf58_476d_1ce4_e5b9),
    );
    let rng = &mut rng;
    // What the article is about. The first states are the busiest.
    let state_ix = if rng.f64() < 0.6 {
        rng.usize(0..6)
    } else {
        rng.usize(0..STATES.len())
    };
    let (state, cities) = STATES[state_ix];
    let city = *pick(rng, cities);
    let other_state = STATES[rng.usize(0..STATES.len())];
    let company = *pick(rng, COMPANIES);
    let (prefecture, pref_city) = *pick(rng, PREFECTURES);
    let sector_a = *pick(rng, SECTORS);
    let sector_b = *pick(rng, SECTORS);
    let year = 2019 + rng.u32(0..7);
    let month = rng.usize(0..12);
    let day = 1 + rng.u32(0..28);

    let term_a = *pick(rng, sector_a);
    let title = match rng.u32(0..6) {
        0 => format!("{company} to set up {term_a} plant in {city}, {state}"),
        1 => format!("{state} signs MoU with {company} on {term_a}"),
        2 => format!("Japanese delegation from {prefecture} explores {term_a} ties with {state}"),
        3 => format!(
            "{state} Chief Minister woos Japanese investors in {}",
            pick(rng, sector_b)
        ),
        4 => format!("{city} emerges as hub for {term_a} as {company} expands"),
        _ => format!(
            "India and Japan deepen cooperation on {term_a} and {}",
            pick(rng, sector_b)
        ),
    };

    // Entities sprinkled through the text, weighted towards the topic.
    let entity = |rng: &mut fastrand::Rng| -> String {
        match rng.u32(0..20) {
            0..=3 => state.to_string(),
            4..=5 => city.to_string(),
            6 => pick(rng, cities).to_string(),
            7..=8 => company.to_string(),
            9 => prefecture.to_string(),
            10 if !pref_city.is_empty() => pref_city.to_string(),
            10 => "Japan".to_string(),
            11..=14 => pick(rng, sector_a).to_string(),
            15..=16 => pick(rng, sector_b).to_string(),
            17 => any_sector_word(rng).to_string(),
            18 => "Japan".to_string(),
            _ => "India".to_string(),
        }
    };

    let words_total = 400 + rng.usize(0..801);
    let paragraphs = 5 + rng.usize(0..21);
    let mut body: Vec<String> = Vec::new();
    let date_style = rng.u32(0..10);
    let mut title_line = title.clone();
    match date_style {
        // The scraper's stamp on the first line.
        0..=2 => {
            title_line = format!(" date {year}-{:02}-{day:02} {title}", month + 1);
        }
        3 => body.push(format!(
            "{}, {day} {} {year}",
            pick(rng, WEEKDAYS),
            MONTHS[month]
        )),
        4 => body.push(format!("Updated: {} {day}, {year}", MONTHS[month])),
        _ => {}
    }
    let mut budget = words_total;
    for p in 0..paragraphs {
        let remaining = paragraphs - p;
        let mean = budget / remaining;
        let target = if remaining == 1 {
            budget
        } else {
            (mean / 2 + rng.usize(0..mean.max(1)))
                .clamp(8, budget.saturating_sub(8 * (remaining - 1)).max(8))
        };
        budget = budget.saturating_sub(target);
        let mut text = String::with_capacity(target * 7);
        if p == 0 {
            match date_style {
                5..=6 => text.push_str(&format!(
                    "{city} ({state}) [India], {} {day} (ANI): ",
                    MONTHS[month]
                )),
                7 => text.push_str(&format!("On {day} {} {year}, ", MONTHS[month])),
                8 => text.push_str(&format!("On {} {day}, {year}, ", MONTHS[month])),
                _ => {}
            }
        }
        let mut written = 0;
        while written < target {
            let len = (6 + rng.usize(0..20)).min(target - written).max(3);
            // After a dateline or date prefix the sentence goes on in lower case.
            let mut first = !(text.ends_with(": ") || text.ends_with(", "));
            for k in 0..len {
                let w: String = if rng.f64() < 0.07 {
                    entity(rng)
                } else {
                    vocab.sample(rng).to_string()
                };
                if first {
                    text.push_str(&capitalize(&w));
                } else {
                    text.push_str(&w);
                }
                first = false;
                if k + 1 < len {
                    text.push_str(if rng.u32(0..12) == 0 { ", " } else { " " });
                }
            }
            text.push_str(". ");
            written += len;
        }
        body.push(text.trim_end().to_string());
        // Teasers between paragraphs.
        if p + 1 < paragraphs && rng.u32(0..12) == 0 {
            let (s, cs) = STATES[rng.usize(0..STATES.len())];
            body.push(format!(
                "Also read: {} unveils new {} policy for {}",
                s,
                any_sector_word(rng),
                pick(rng, cs)
            ));
        }
    }
    if rng.u32(0..4) == 0 {
        body.push(format!(
            "The {} government also plans a roadshow in {} later this year.",
            other_state.0,
            pick(rng, &["Tokyo", "Osaka", "Nagoya", "Yokohama"])
        ));
    }
    match rng.u32(0..6) {
        0 => {
            body.push("Subscribe".into());
            body.push("0 Comments".into());
        }
        1 => {
            body.push(
                "We use cookies to give you the best experience on our website. By continuing \
                 you accept our cookie policy."
                    .into(),
            );
            body.push("Privacy Settings".into());
            body.push("Accept All".into());
        }
        2 => body.push("Share this article".into()),
        _ => {}
    }
    Article {
        title: title_line,
        body,
    }
}

/// Templates of the templated family: each shares its boilerplate with
/// every story written from it.
const TEMPLATES: usize = 20;

/// Article `n` as a member of a near-duplicate family, or `None` when it is
/// an ordinary article (a share `1 - families` of them, and the first 64).
pub fn family_member(vocab: &Vocab, seed: u64, n: usize, families: f64) -> Option<Article> {
    let mut rng = fastrand::Rng::with_seed(
        seed.wrapping_mul(0xd1b5_4a32_d192_ed03) ^ (n as u64).wrapping_mul(0x94d0_49bb_1331_11eb),
    );
    if n < 64 || rng.f64() >= families {
        return None;
    }
    let earlier = n - 1 - rng.usize(0..63);
    Some(match rng.u32(0..3) {
        // A reprint: new headline, no dateline, about one word in thirty changed.
        0 => {
            let base = article(vocab, seed, earlier);
            let body = base
                .body
                .iter()
                .map(|line| {
                    line.split(' ')
                        .map(|w| {
                            if rng.u32(0..30) == 0 {
                                vocab.sample(&mut rng).to_string()
                            } else {
                                w.to_string()
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            Article {
                title: format!("{} (updated)", base.title.trim_start()),
                body,
            }
        }
        // The same agency story on another site.
        1 => {
            let base = article(vocab, seed, earlier);
            Article {
                title: format!("Agency: {}", base.title.trim_start()),
                body: base.body,
            }
        }
        // A templated story: the template's first paragraphs, then its own.
        _ => {
            let template = article(vocab, seed ^ 0x7e3a_11a7, rng.usize(0..TEMPLATES));
            let own = article(vocab, seed, n);
            // About 0.4 of the shingles of two stories of one template are
            // common: less than a near-duplicate, enough for noisy pairs.
            let shared = (template.body.len() * 3).div_ceil(5);
            let mut body: Vec<String> = template.body[..shared].to_vec();
            let own_len = (shared * 2).div_ceil(3).max(2);
            body.extend(own.body.into_iter().take(own_len));
            Article {
                title: own.title,
                body,
            }
        }
    })
}

impl Article {
    /// The `.txt` form: the title line, then one paragraph per line.
    pub fn text(&self) -> String {
        let mut txt = String::with_capacity(8192);
        txt.push_str(&self.title);
        txt.push('\n');
        for line in &self.body {
            txt.push_str(line);
            txt.push('\n');
        }
        txt
    }
}

fn main() -> std::io::Result<()> {
    let args = parse_args();
    let vocab = Vocab::new();
    let articles_dir = args.out.join("articles");
    if articles_dir.exists() {
        fs::remove_dir_all(&articles_dir)?;
    }
    fs::create_dir_all(&articles_dir)?;
    let mut ndjson =
        BufWriter::with_capacity(1 << 20, fs::File::create(args.out.join("articles.ndjson"))?);
    let digits = (args.articles.max(1) - 1).to_string().len().max(6);
    let folders = args.articles.div_ceil(args.per_folder);
    let folder_digits = folders.saturating_sub(1).to_string().len().max(3);
    let mut bytes = 0u64;
    for folder in 0..folders {
        let start = folder * args.per_folder;
        let end = (start + args.per_folder).min(args.articles);
        let dir = articles_dir.join(format!("{folder:0folder_digits$}"));
        fs::create_dir_all(&dir)?;
        let chunk: Vec<(String, String)> = (start..end)
            .into_par_iter()
            .map(|n| {
                let a = family_member(&vocab, args.seed, n, args.families)
                    .unwrap_or_else(|| article(&vocab, args.seed, n));
                let txt = a.text();
                let json = serde_json::json!({
                    "title": a.title.trim_start(),
                    "body": a.body.join("\n"),
                });
                (txt, json.to_string())
            })
            .collect();
        for (i, (txt, json)) in chunk.iter().enumerate() {
            let path = dir.join(format!("{:0digits$}.txt", start + i));
            fs::write(path, txt)?;
            bytes += txt.len() as u64;
            ndjson.write_all(json.as_bytes())?;
            ndjson.write_all(b"\n")?;
        }
    }
    ndjson.flush()?;
    eprintln!(
        "gen_corpus: {} articles, {:.1} MB of text in {} ({} folders) and articles.ndjson",
        args.articles,
        bytes as f64 / 1e6,
        articles_dir.display(),
        folders
    );
    Ok(())
}

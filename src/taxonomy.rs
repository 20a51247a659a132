//! The vocabulary of metadata: Indian states and union territories (with
//! aliases and a gazetteer of cities), sector slugs with weighted evidence
//! terms, the 47 Japanese prefectures (with cities) and synonym groups for
//! query expansion.
//!
//! It is data, not code: the builtin vocabulary lives in `data/taxonomy.toml`
//! and a user file with the same shape replaces it. Loading also builds the
//! Aho-Corasick automata that [`crate::extract`] scans articles with, so that
//! they are built once per run rather than once per article.

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::rules::{self, Rules};

const BUILTIN: &str = include_str!("../data/taxonomy.toml");
/// The same vocabulary as JSON, written by `build.rs`: quicker to load.
const BUILTIN_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/taxonomy.json"));

/// An Indian state or union territory and the names that point to it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// Canonical spelling ("Tamil Nadu").
    pub name: String,
    /// Other names, matched in text and accepted on input ("Orissa").
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Abbreviations matched in text only in capitals ("UP", "TN").
    #[serde(default)]
    pub codes: Vec<String>,
    /// Abbreviations accepted on input only ("MP" is also a Member of Parliament).
    #[serde(default)]
    pub input_codes: Vec<String>,
    /// Cities and districts that imply the state.
    #[serde(default)]
    pub places: Vec<String>,
    /// Places that mostly stand for something else (New Delhi for the
    /// national government): they count, but little.
    #[serde(default)]
    pub weak_places: Vec<String>,
}

/// A sector slug, its input aliases and the terms that are evidence for it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    pub slug: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Term -> weight; a trailing `*` matches any word starting with the term.
    #[serde(default)]
    pub terms: HashMap<String, f32>,
}

/// A Japanese prefecture and the places in it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prefecture {
    pub name: String,
    /// The name is also a surname, a word or an Indian city (Kochi): it only
    /// counts with a place cue.
    #[serde(default)]
    pub ambiguous: bool,
    /// The name in other scripts and spellings (愛知県, 愛知, आइची): matched
    /// in text as the name, whatever `ambiguous` says (list only forms that
    /// name the prefecture alone: 千葉県, not the surname 千葉), and
    /// accepted on input.
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub places: Vec<String>,
    /// Places that are also common surnames: they only count with a place cue.
    #[serde(default)]
    pub ambiguous_places: Vec<String>,
}

/// A company or agency: its canonical name and the other names it goes by.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Source {
    #[serde(default, rename = "org")]
    orgs: Vec<Organisation>,
    #[serde(default)]
    synonyms: Vec<Vec<String>>,
    #[serde(default, rename = "state")]
    states: Vec<State>,
    #[serde(default, rename = "sector")]
    sectors: Vec<Sector>,
    #[serde(default, rename = "prefecture")]
    prefectures: Vec<Prefecture>,
    /// The `[cleaning]` table; keys left out keep their builtin values.
    #[serde(default)]
    cleaning: Option<serde_json::Value>,
    /// The `[extraction]` table; likewise.
    #[serde(default)]
    extraction: Option<serde_json::Value>,
}

/// What a gazetteer pattern points to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Place {
    /// A state's name or alias (index into [`Taxonomy::state_entries`]).
    StateName(usize),
    /// A state abbreviation: only counts when the text has it in capitals.
    StateCode(usize),
    /// A city or district of a state.
    StateCity(usize),
    /// A place that stands mostly for something else; counts little.
    StateWeak(usize),
    /// A prefecture's name (index into [`Taxonomy::prefecture_entries`]).
    PrefectureName(usize),
    /// A city of a prefecture.
    PrefectureCity(usize),
    /// A prefecture name or city that needs a place cue to count.
    PrefectureAmbiguous(usize),
}

/// A sector term's meaning: which sector, how much evidence, and whether the
/// term is a word prefix.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TermHit {
    pub sector: usize,
    pub weight: f32,
    pub prefix: bool,
}

/// A vocabulary matcher: one automaton for the names written in ASCII and
/// one for the others (Devanagari, kanji…), which scans only text that may
/// hold them, so that English text is scanned by an automaton as small as
/// before the other scripts were added. The second is built when such text
/// first comes: a run over English articles never pays for it.
#[derive(Debug, Clone)]
pub struct Matcher {
    ascii: AhoCorasick,
    /// Pattern number in `ascii` → pattern index of the vocabulary.
    ascii_ids: Vec<usize>,
    /// The names in other scripts, and their pattern indexes.
    other_names: Vec<String>,
    other_ids: Vec<usize>,
    other: OnceLock<Option<AhoCorasick>>,
    /// The automaton kind, for the second automaton too.
    kind: AhoCorasickKind,
}

/// One match of a [`Matcher`]: where, and which vocabulary pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub pattern: usize,
}

impl Matcher {
    /// Leftmost-longest matches of `text`: those of ASCII names, then those
    /// of names in other scripts.
    pub fn find_iter<'a>(&'a self, text: &'a str) -> impl Iterator<Item = Found> + 'a {
        let found = |ids: &'a [usize]| {
            move |m: aho_corasick::Match| Found {
                start: m.start(),
                end: m.end(),
                pattern: ids
                    .get(m.pattern().as_usize())
                    .copied()
                    .unwrap_or(usize::MAX),
            }
        };
        let other = if crate::script::may_hold_other_scripts(text) {
            self.other().map(|ac| (ac, self.other_ids.as_slice()))
        } else {
            None
        };
        self.ascii
            .find_iter(text)
            .map(found(&self.ascii_ids))
            .chain(
                other
                    .into_iter()
                    .flat_map(move |(ac, ids)| ac.find_iter(text).map(found(ids))),
            )
    }

    /// The automaton of the names in other scripts (none without such names).
    fn build_other(&self) -> Result<Option<AhoCorasick>, String> {
        if self.other_names.is_empty() {
            return Ok(None);
        }
        build_automaton(&self.other_names.iter().collect::<Vec<_>>(), self.kind).map(Some)
    }

    /// Builds it now: a user file's mistakes are reported at load time.
    fn validate_other(&self) -> Result<(), String> {
        let _ = self.other.set(self.build_other()?);
        Ok(())
    }

    /// The automaton of the names in other scripts, built on first use.
    fn other(&self) -> Option<&AhoCorasick> {
        self.other
            .get_or_init(|| {
                self.build_other()
                    .expect("taxonomy automata were validated at load time")
            })
            .as_ref()
    }
}

/// The Aho-Corasick automata over the vocabulary, built once at load time.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    /// Place names, ASCII case-insensitive, leftmost-longest.
    pub places: Matcher,
    /// For each place pattern, what it names (a name can be both an Indian
    /// city and a prefecture: Kochi).
    pub place_targets: Vec<Vec<Place>>,
    /// Sector terms, ASCII case-insensitive, leftmost-longest.
    pub terms: Matcher,
    pub term_targets: Vec<Vec<TermHit>>,
}

/// A synonym group member as a query looks it up: its group, and whether
/// it is an abbreviation written in capitals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynonymKey {
    pub group: usize,
    pub capitals: bool,
}

/// Every synonym member, normalised (lowercase, single spaces), with the
/// most words a member has.
pub type SynonymLookup = (HashMap<String, SynonymKey>, usize);

/// The metadata vocabulary; see the module documentation.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    fingerprint: u64,
    states: Vec<State>,
    sectors: Vec<Sector>,
    prefectures: Vec<Prefecture>,
    synonyms: Vec<Vec<String>>,
    /// Built on first use, once per process: a search looks its words up
    /// in it (rebuilding it per query cost tens of microseconds).
    synonym_lookup: OnceLock<SynonymLookup>,
    state_lookup: HashMap<String, usize>,
    sector_lookup: HashMap<String, usize>,
    prefecture_lookup: HashMap<String, usize>,
    /// Built on first use: only extraction needs it, and building it costs
    /// more than the rest of a search's start-up.
    gazetteer: OnceLock<Gazetteer>,
    orgs: Vec<Organisation>,
    /// Matches every organisation name and alias, case-sensitively; built on
    /// first use like the gazetteer.
    org_matcher: OnceLock<Option<AhoCorasick>>,
    org_patterns: Vec<String>,
    /// Pattern number → index into `orgs`.
    org_targets: Vec<usize>,
    org_lookup: HashMap<String, usize>,
    /// The tunable rules of cleaning and extraction: built at load time
    /// from a user file (so that its mistakes are reported then), on first
    /// use for the builtin one (a search never needs them).
    rules: OnceLock<Rules>,
    /// The file's own `[cleaning]` and `[extraction]` tables, for that
    /// first use.
    rule_tables: (Option<serde_json::Value>, Option<serde_json::Value>),
}

impl Taxonomy {
    /// The vocabulary shipped with newsidx.
    pub fn builtin() -> Taxonomy {
        // The builtin file is part of the binary and covered by the tests below,
        // so it failing to parse is a build defect, not an input problem.
        let source: Source = serde_json::from_str(BUILTIN_JSON)
            .expect("data/taxonomy.toml is valid (checked by tests)");
        Taxonomy::from_source(
            source,
            xxhash_rust::xxh3::xxh3_64(BUILTIN.as_bytes()),
            false,
        )
        .expect("data/taxonomy.toml is valid (checked by tests)")
    }

    /// A user vocabulary file, which replaces the builtin one.
    pub fn load(path: &Path) -> Result<Taxonomy> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Taxonomy::parse(&text).map_err(|message| Error::Taxonomy {
            path: path.to_path_buf(),
            message,
        })
    }

    /// Parses and validates vocabulary text; the error is a one-line message.
    pub fn parse(text: &str) -> Result<Taxonomy, String> {
        let source: Source = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .and_then(|span| text.get(..span.start))
                .map(|before| before.lines().count().max(1));
            match line {
                Some(line) => format!("line {line}: {}", e.message()),
                None => e.message().to_string(),
            }
        })?;
        Taxonomy::from_source(source, xxhash_rust::xxh3::xxh3_64(text.as_bytes()), true)
    }

    /// Validates and indexes a parsed vocabulary; `validate_automata` builds
    /// the matching automata now, so that their errors surface at load time
    /// (the builtin file skips it: its automata are checked by the tests and
    /// built on first use).
    fn from_source(
        source: Source,
        fingerprint: u64,
        validate_automata: bool,
    ) -> Result<Taxonomy, String> {
        validate(&source)?;
        let rules = OnceLock::new();
        if validate_automata {
            let _ = rules.set(build_rules(&source.cleaning, &source.extraction, true)?);
        }
        let mut state_lookup = HashMap::new();
        for (i, s) in source.states.iter().enumerate() {
            for key in std::iter::once(&s.name)
                .chain(&s.aliases)
                .chain(&s.codes)
                .chain(&s.input_codes)
            {
                state_lookup.entry(key.trim().to_lowercase()).or_insert(i);
            }
        }
        let mut sector_lookup = HashMap::new();
        for (i, s) in source.sectors.iter().enumerate() {
            for key in std::iter::once(&s.slug).chain(&s.aliases) {
                sector_lookup.entry(key.trim().to_lowercase()).or_insert(i);
            }
            // "electric mobility" for "electric-mobility".
            sector_lookup
                .entry(s.slug.replace('-', " ").to_lowercase())
                .or_insert(i);
        }
        let mut prefecture_lookup = HashMap::new();
        for (i, p) in source.prefectures.iter().enumerate() {
            let name = p.name.trim().to_lowercase();
            for key in [
                name.clone(),
                format!("{name} prefecture"),
                format!("{name}-ken"),
            ] {
                prefecture_lookup.entry(key).or_insert(i);
            }
            for alias in &p.aliases {
                prefecture_lookup.entry(normalize(alias)).or_insert(i);
            }
        }
        let synonyms = source
            .synonyms
            .iter()
            .map(|g| {
                g.iter()
                    .map(|p| {
                        let p = p.trim();
                        if is_abbreviation(p) {
                            p.to_string()
                        } else {
                            p.to_lowercase()
                        }
                    })
                    .collect()
            })
            .collect();
        // Validated now, so that a user file's mistakes are reported at
        // load time; the automata themselves are built on first use.
        let gazetteer = OnceLock::new();
        if validate_automata {
            let built = build_gazetteer(
                &source.states,
                &source.sectors,
                &source.prefectures,
                AhoCorasickKind::DFA,
            )?;
            built.places.validate_other()?;
            built.terms.validate_other()?;
            let _ = gazetteer.set(built);
        }
        let mut org_patterns = Vec::new();
        let mut org_targets = Vec::new();
        let mut org_lookup = HashMap::new();
        for (i, org) in source.orgs.iter().enumerate() {
            for name in std::iter::once(&org.name).chain(&org.aliases) {
                org_patterns.push(name.clone());
                org_targets.push(i);
                org_lookup.insert(name.to_lowercase(), i);
            }
        }
        let org_matcher = OnceLock::new();
        if validate_automata {
            let _ = org_matcher.set(build_org_matcher(&org_patterns)?);
        }
        Ok(Taxonomy {
            fingerprint,
            states: source.states,
            sectors: source.sectors,
            prefectures: source.prefectures,
            synonyms,
            synonym_lookup: OnceLock::new(),
            state_lookup,
            sector_lookup,
            prefecture_lookup,
            gazetteer,
            orgs: source.orgs,
            org_matcher,
            org_patterns,
            org_targets,
            org_lookup,
            rules,
            rule_tables: (source.cleaning, source.extraction),
        })
    }

    /// The tunable rules of cleaning and extraction (the `[cleaning]` and
    /// `[extraction]` tables).
    pub fn rules(&self) -> &Rules {
        self.rules.get_or_init(|| {
            let (cleaning, extraction) = &self.rule_tables;
            build_rules(cleaning, extraction, false)
                .expect("the rules were validated when the vocabulary was loaded")
        })
    }

    /// Canonical organisation for a name or alias, any case.
    pub fn resolve_org(&self, input: &str) -> Option<&str> {
        self.org_lookup
            .get(&input.trim().to_lowercase())
            .map(|&i| self.orgs[i].name.as_str())
    }

    /// Canonical organisation names.
    pub fn orgs(&self) -> Vec<&str> {
        self.orgs.iter().map(|o| o.name.as_str()).collect()
    }

    /// Organisations named in `text` (whole words, as capitalised in the
    /// gazetteer), canonical, sorted and deduplicated.
    pub fn find_orgs(&self, text: &str) -> Vec<String> {
        let matcher = self.org_matcher.get_or_init(|| {
            // Validated at load time, like the gazetteer.
            build_org_matcher(&self.org_patterns).expect("organisation names were validated")
        });
        let Some(matcher) = matcher else {
            return Vec::new();
        };
        let mut found: Vec<String> = matcher
            .find_iter(text)
            .filter(|m| crate::script::stands_alone(text, m.start(), m.end(), true))
            .map(|m| {
                self.orgs[self.org_targets[m.pattern().as_usize()]]
                    .name
                    .clone()
            })
            .collect();
        found.sort();
        found.dedup();
        found
    }

    /// A hash of the vocabulary text: a changed vocabulary means stored
    /// metadata is stale and articles must be extracted again.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// The canonical state for a name, alias or abbreviation, any case.
    pub fn resolve_state(&self, input: &str) -> Option<&str> {
        let i = *self.state_lookup.get(&normalize(input))?;
        Some(self.states[i].name.as_str())
    }

    /// The sector slug for a slug or alias, any case.
    pub fn resolve_sector(&self, input: &str) -> Option<&str> {
        let i = *self.sector_lookup.get(&normalize(input))?;
        Some(self.sectors[i].slug.as_str())
    }

    /// The canonical prefecture for a name, with or without "Prefecture".
    pub fn resolve_prefecture(&self, input: &str) -> Option<&str> {
        let i = *self.prefecture_lookup.get(&normalize(input))?;
        Some(self.prefectures[i].name.as_str())
    }

    /// Canonical state names, in file order.
    pub fn states(&self) -> Vec<&str> {
        self.states.iter().map(|s| s.name.as_str()).collect()
    }

    /// Sector slugs, in file order.
    pub fn sectors(&self) -> Vec<&str> {
        self.sectors.iter().map(|s| s.slug.as_str()).collect()
    }

    /// Prefecture names, in file order.
    pub fn prefectures(&self) -> Vec<&str> {
        self.prefectures.iter().map(|p| p.name.as_str()).collect()
    }

    /// Lowercase phrases that are equivalent for query expansion.
    pub fn synonym_groups(&self) -> &[Vec<String>] {
        &self.synonyms
    }

    /// The synonym members by their normalised text (lowercase, single
    /// spaces), and the most words of a member.
    pub fn synonym_lookup(&self) -> &SynonymLookup {
        self.synonym_lookup.get_or_init(|| {
            let mut map = HashMap::new();
            let mut longest = 1;
            for (group, members) in self.synonyms.iter().enumerate() {
                for member in members {
                    let key = normalize(member);
                    longest = longest.max(key.split(' ').count());
                    map.insert(
                        key,
                        SynonymKey {
                            group,
                            capitals: is_abbreviation(member),
                        },
                    );
                }
            }
            (map, longest)
        })
    }

    /// The full state entries, for extraction.
    pub fn state_entries(&self) -> &[State] {
        &self.states
    }

    /// The full sector entries, for extraction.
    pub fn sector_entries(&self) -> &[Sector] {
        &self.sectors
    }

    /// The full prefecture entries, for extraction.
    pub fn prefecture_entries(&self) -> &[Prefecture] {
        &self.prefectures
    }

    /// The automata extraction scans with: full DFAs, the slowest to build
    /// (a few ms, once per process) and the fastest to scan with, which is
    /// what indexing thousands of articles needs.
    pub fn gazetteer(&self) -> &Gazetteer {
        self.gazetteer_of_kind(AhoCorasickKind::DFA)
    }

    /// Builds the automata for a run over a few articles (unless they are
    /// built already): contiguous NFAs build in a fraction of a DFA's time,
    /// which is most of what they cost such a run.
    pub fn gazetteer_for_a_few(&self) -> &Gazetteer {
        self.gazetteer_of_kind(AhoCorasickKind::ContiguousNFA)
    }

    fn gazetteer_of_kind(&self, kind: AhoCorasickKind) -> &Gazetteer {
        self.gazetteer.get_or_init(|| {
            // The vocabulary was validated when it was parsed (a user file)
            // or by the tests (the builtin one): building cannot fail here.
            build_gazetteer(&self.states, &self.sectors, &self.prefectures, kind)
                .expect("taxonomy automata were validated at load time")
        })
    }
}

/// The rules of a vocabulary file: its `[cleaning]` and `[extraction]`
/// tables laid over the builtin ones.
fn build_rules(
    user_cleaning: &Option<serde_json::Value>,
    user_extraction: &Option<serde_json::Value>,
    compile_now: bool,
) -> Result<Rules, String> {
    static BUILTIN_RULES: std::sync::LazyLock<(serde_json::Value, serde_json::Value)> =
        std::sync::LazyLock::new(|| {
            let value: serde_json::Value =
                serde_json::from_str(BUILTIN_JSON).expect("data/taxonomy.toml is valid");
            (value["cleaning"].clone(), value["extraction"].clone())
        });
    let (mut cleaning, mut extraction) = BUILTIN_RULES.clone();
    if let Some(user) = user_cleaning {
        rules::overlay(&mut cleaning, user.clone());
    }
    if let Some(user) = user_extraction {
        rules::overlay(&mut extraction, user.clone());
    }
    let cleaning = serde_json::from_value(cleaning).map_err(|e| format!("[cleaning]: {e}"))?;
    let extraction =
        serde_json::from_value(extraction).map_err(|e| format!("[extraction]: {e}"))?;
    Rules::new(cleaning, extraction, compile_now)
}

/// Lowercase with inner whitespace collapsed, so "tamil  nadu" resolves.
fn normalize(input: &str) -> String {
    input
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn validate(source: &Source) -> Result<(), String> {
    if source.states.is_empty() && source.sectors.is_empty() && source.prefectures.is_empty() {
        return Err("no [[state]], [[sector]] or [[prefecture]] entries".into());
    }
    let mut seen = HashMap::new();
    let names = source
        .states
        .iter()
        .map(|s| ("state", s.name.as_str()))
        .chain(source.sectors.iter().map(|s| ("sector", s.slug.as_str())))
        .chain(
            source
                .prefectures
                .iter()
                .map(|p| ("prefecture", p.name.as_str())),
        );
    for (kind, name) in names {
        if name.trim().is_empty() {
            return Err(format!("a {kind} has an empty name"));
        }
        if seen.insert((kind, name.to_lowercase()), ()).is_some() {
            return Err(format!("{kind} {name:?} is listed twice"));
        }
    }
    for sector in &source.sectors {
        for (term, weight) in &sector.terms {
            if !weight.is_finite() || *weight < 0.0 {
                return Err(format!(
                    "sector {:?}: term {term:?} has weight {weight}; weights are numbers >= 0",
                    sector.slug
                ));
            }
        }
    }
    Ok(())
}

fn build_org_matcher(patterns: &[String]) -> Result<Option<AhoCorasick>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(patterns)
        .map(Some)
        .map_err(|e| format!("organisation names: {e}"))
}

fn build_gazetteer(
    states: &[State],
    sectors: &[Sector],
    prefectures: &[Prefecture],
    kind: AhoCorasickKind,
) -> Result<Gazetteer, String> {
    let mut place_index: HashMap<String, usize> = HashMap::new();
    let mut place_patterns: Vec<String> = Vec::new();
    let mut place_targets: Vec<Vec<Place>> = Vec::new();
    let mut add_place = |name: &str, target: Place| {
        let key = name.trim().to_lowercase();
        if key.is_empty() {
            return;
        }
        let i = *place_index.entry(key.clone()).or_insert_with(|| {
            place_patterns.push(key);
            place_targets.push(Vec::new());
            place_patterns.len() - 1
        });
        if !place_targets[i].contains(&target) {
            place_targets[i].push(target);
        }
    };
    for (i, s) in states.iter().enumerate() {
        for name in std::iter::once(&s.name).chain(&s.aliases) {
            add_place(name, Place::StateName(i));
        }
        for code in &s.codes {
            add_place(code, Place::StateCode(i));
        }
        for place in &s.places {
            add_place(place, Place::StateCity(i));
        }
        for place in &s.weak_places {
            add_place(place, Place::StateWeak(i));
        }
    }
    for (i, p) in prefectures.iter().enumerate() {
        let name_target = if p.ambiguous {
            Place::PrefectureAmbiguous(i)
        } else {
            Place::PrefectureName(i)
        };
        add_place(&p.name, name_target);
        for alias in &p.aliases {
            add_place(alias, Place::PrefectureName(i));
        }
        for place in &p.places {
            add_place(place, Place::PrefectureCity(i));
        }
        for place in &p.ambiguous_places {
            add_place(place, Place::PrefectureAmbiguous(i));
        }
    }
    // A weak place ("Delhi") is weak even when it is also the state's name.
    for (i, s) in states.iter().enumerate() {
        for place in &s.weak_places {
            if let Some(&j) = place_index.get(&place.trim().to_lowercase()) {
                place_targets[j]
                    .retain(|t| !matches!(t, Place::StateName(k) | Place::StateCity(k) if *k == i));
            }
        }
    }
    let places = automaton(&place_patterns, kind)?;

    let mut term_index: HashMap<String, usize> = HashMap::new();
    let mut term_patterns: Vec<String> = Vec::new();
    let mut term_targets: Vec<Vec<TermHit>> = Vec::new();
    for (i, sector) in sectors.iter().enumerate() {
        // Sorted so that the automaton (and thus extraction) does not depend on
        // hash order.
        let mut terms: Vec<(&String, &f32)> = sector.terms.iter().collect();
        terms.sort_by(|a, b| a.0.cmp(b.0));
        for (term, weight) in terms {
            let term = term.trim().to_lowercase();
            let (text, prefix) = match term.strip_suffix('*') {
                Some(t) => (t.trim_end().to_string(), true),
                None => (term, false),
            };
            if text.is_empty() {
                continue;
            }
            let j = *term_index.entry(text.clone()).or_insert_with(|| {
                term_patterns.push(text);
                term_targets.push(Vec::new());
                term_patterns.len() - 1
            });
            term_targets[j].push(TermHit {
                sector: i,
                weight: *weight,
                prefix,
            });
        }
    }
    let terms = automaton(&term_patterns, kind)?;
    Ok(Gazetteer {
        places,
        place_targets,
        terms,
        term_targets,
    })
}

/// The [`Matcher`] of `patterns`: its ASCII ones and its others apart.
fn automaton(patterns: &[String], kind: AhoCorasickKind) -> Result<Matcher, String> {
    type Part<'p> = Vec<(usize, &'p String)>;
    let (ascii, other): (Part<'_>, Part<'_>) =
        patterns.iter().enumerate().partition(|(_, p)| p.is_ascii());
    let texts: Vec<&String> = ascii.iter().map(|(_, p)| *p).collect();
    Ok(Matcher {
        ascii: build_automaton(&texts, kind)?,
        ascii_ids: ascii.iter().map(|(i, _)| *i).collect(),
        other_names: other.iter().map(|(_, p)| (*p).clone()).collect(),
        other_ids: other.iter().map(|(i, _)| *i).collect(),
        other: OnceLock::new(),
        kind,
    })
}

/// A case-insensitive, leftmost-longest automaton of `kind`.
fn build_automaton(patterns: &[&String], kind: AhoCorasickKind) -> Result<AhoCorasick, String> {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(kind))
        .build(patterns)
        .map_err(|e| format!("cannot build the vocabulary matcher: {e}"))
}

/// A name as near-misses are compared: its letters and digits, lowercase
/// ("Tamil Nadu" and "Tamilnadu" are both "tamilnadu").
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The name of a vocabulary nearest to a typed or misspelt one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nearest<'a> {
    pub name: &'a str,
    /// Edits between the two [`name_key`]s (transpositions counted once).
    pub distance: usize,
    /// Whether no other name is as near.
    pub alone: bool,
}

/// The name among `names` nearest to `typed` (ties: the first in
/// alphabetical order). Callers decide how near is near enough.
pub fn nearest_name<'a>(typed: &str, names: impl Iterator<Item = &'a str>) -> Option<Nearest<'a>> {
    let typed = name_key(typed);
    let mut ranked: Vec<(usize, &'a str)> = names
        .map(|name| (strsim::osa_distance(&typed, &name_key(name)), name))
        .collect();
    ranked.sort_unstable();
    let &(distance, name) = ranked.first()?;
    let alone = ranked.get(1).is_none_or(|next| next.0 > distance);
    Some(Nearest {
        name,
        distance,
        alone,
    })
}

/// Whether a synonym is an abbreviation written in capitals (2 to 5 capital
/// ASCII letters, "UP"): it is also an everyday word or too short to trust,
/// so it expands only when typed in capitals and matches text only where it
/// stands in capitals.
pub fn is_abbreviation(word: &str) -> bool {
    (2..=5).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_parses_with_full_lists() {
        let t = Taxonomy::builtin();
        assert!(
            Taxonomy::parse(BUILTIN).is_ok(),
            "the builtin automata build"
        );
        assert_eq!(t.states().len(), 36);
        assert_eq!(t.sectors().len(), 16);
        assert_eq!(t.prefectures().len(), 47);
        assert_ne!(t.fingerprint(), 0);
    }

    #[test]
    fn builtin_json_is_the_toml_file() {
        let from_json = Taxonomy::builtin();
        let from_toml = Taxonomy::parse(BUILTIN).expect("builtin parses");
        assert_eq!(from_json.fingerprint(), from_toml.fingerprint());
        assert_eq!(
            format!(
                "{:?}",
                (&from_json.states, &from_json.prefectures, &from_json.orgs)
            ),
            format!(
                "{:?}",
                (&from_toml.states, &from_toml.prefectures, &from_toml.orgs)
            )
        );
        assert_eq!(from_json.synonyms, from_toml.synonyms);
        for (a, b) in from_json.sectors.iter().zip(&from_toml.sectors) {
            assert_eq!((&a.slug, &a.aliases), (&b.slug, &b.aliases));
            assert_eq!(a.terms, b.terms);
        }
        assert_eq!(from_json.sectors.len(), from_toml.sectors.len());
    }

    #[test]
    fn resolves_aliases_case_insensitively() {
        let t = Taxonomy::builtin();
        assert_eq!(t.resolve_state("UP"), Some("Uttar Pradesh"));
        assert_eq!(t.resolve_state("tn"), Some("Tamil Nadu"));
        assert_eq!(t.resolve_state("Orissa"), Some("Odisha"));
        assert_eq!(t.resolve_state("  tamil   nadu "), Some("Tamil Nadu"));
        assert_eq!(t.resolve_state("Atlantis"), None);
        assert_eq!(t.resolve_sector("EV"), Some("electric-mobility"));
        assert_eq!(t.resolve_sector("chips"), Some("semiconductors"));
        assert_eq!(t.resolve_sector("semiconductor"), Some("semiconductors"));
        assert_eq!(t.resolve_sector("Clean Energy"), Some("clean-energy"));
        assert_eq!(t.resolve_prefecture("osaka prefecture"), Some("Osaka"));
        assert_eq!(t.resolve_prefecture("KOCHI"), Some("Kochi"));
        assert_eq!(t.resolve_prefecture(""), None);
    }

    #[test]
    fn synonym_groups_are_lowercase_but_for_abbreviations_in_capitals() {
        let t = Taxonomy::builtin();
        let groups = t.synonym_groups();
        assert!(groups
            .iter()
            .any(|g| g.contains(&"uttar pradesh".to_string()) && g.contains(&"UP".to_string())));
        for member in groups.iter().flatten() {
            let capitals = is_abbreviation(member);
            assert!(
                capitals || member.chars().all(|c| !c.is_uppercase()),
                "{member:?}: lowercase, or an abbreviation of 2-5 capitals"
            );
        }
    }

    #[test]
    fn a_user_file_replaces_the_builtin_and_errors_name_the_file() {
        let dir = std::env::temp_dir().join(format!("newsidx-tax-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let good = dir.join("good.toml");
        std::fs::write(&good, "[[state]]\nname = \"Goa\"\nplaces = [\"Panaji\"]\n").expect("write");
        let t = Taxonomy::load(&good).expect("loads");
        assert_eq!(t.states(), vec!["Goa"]);
        assert_ne!(t.fingerprint(), Taxonomy::builtin().fingerprint());
        let bad = dir.join("bad.toml");
        std::fs::write(&bad, "[[state]]\nnmae = \"Goa\"\n").expect("write");
        let err = Taxonomy::load(&bad).expect_err("unknown field");
        assert!(err.to_string().contains("bad.toml"), "{err}");
        let missing = Taxonomy::load(&dir.join("missing.toml")).expect_err("missing");
        assert!(matches!(missing, Error::Io { .. }));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_user_file_overrides_only_the_rules_it_names() {
        let t = Taxonomy::parse(
            "[[state]]\nname = \"Goa\"\n[extraction]\nstate_min_score = 5.0\nstate_zones = { title = 9.0 }\n",
        )
        .expect("parses");
        let builtin = Taxonomy::builtin();
        let (x, b) = (&t.rules().extraction, &builtin.rules().extraction);
        assert_eq!(x.state_min_score, 5.0);
        assert_eq!(x.state_zones.title, 9.0);
        assert_eq!(x.state_zones.body, b.state_zones.body);
        assert_eq!(x.term_cap, b.term_cap);
        assert_eq!(
            t.rules().cleaning.nav_words,
            builtin.rules().cleaning.nav_words
        );
        let err =
            Taxonomy::parse("[[state]]\nname = \"Goa\"\n[extraction]\nstate_min_scor = 5.0\n")
                .expect_err("unknown key");
        assert!(
            err.contains("[extraction]") && err.contains("state_min_scor"),
            "{err}"
        );
        // The builtin phrase lists compile.
        let _ = builtin.rules().compiled();
    }

    /// The quick-to-build automata of a run over a few files find what the
    /// full DFAs find, in every script.
    #[test]
    fn both_automaton_kinds_find_the_same_names() {
        let t = Taxonomy::builtin();
        let build = |kind| build_gazetteer(&t.states, &t.sectors, &t.prefectures, kind).unwrap();
        let (dfa, nfa) = (
            build(AhoCorasickKind::DFA),
            build(AhoCorasickKind::ContiguousNFA),
        );
        let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut texts: Vec<String> = std::fs::read_dir(seeds)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
            .collect();
        texts.push("उत्तर प्रदेश में सेमीकंडक्टर; 愛知県とタミル・ナードゥ州, Bengaluru EVs".into());
        let mut found = 0;
        for text in &texts {
            for (a, b) in [(&dfa.places, &nfa.places), (&dfa.terms, &nfa.terms)] {
                let a: Vec<Found> = a.find_iter(text).collect();
                assert_eq!(a, b.find_iter(text).collect::<Vec<_>>());
                found += a.len();
            }
        }
        assert!(found > 100, "{found}");
    }

    /// A phrase that is not a pattern on its own is named, even where the
    /// list joined into one pattern would compile ("a)|(b" closes the group
    /// it is put in and opens another).
    #[test]
    fn a_bad_phrase_in_a_user_file_is_named() {
        for phrase in ["sponsored (", "a)|(b", "[z-a]"] {
            let text = format!(
                "[[state]]\nname = \"Goa\"\n[cleaning]\nbanner = [\"subscribe now\", {phrase:?}]\n"
            );
            let err = Taxonomy::parse(&text).expect_err(phrase);
            assert!(
                err.contains("cleaning.banner") && err.contains(&format!("{phrase:?}")),
                "{phrase}: {err}"
            );
        }
        let ok = "[[state]]\nname = \"Goa\"\n[cleaning]\nbanner = [\"subscribe( now)?\"]\n";
        assert!(Taxonomy::parse(ok).is_ok());
    }
}

//! The query language: words, `"phrases"`, `-exclude`, `+require`, `OR`,
//! parentheses and `title:`, `state:`, `sector:`, `prefecture:` terms.
//!
//! Parsing never fails: whatever is malformed (an unbalanced quote, a stray
//! colon, a lone operator) is read as well as it can be and reported as a
//! warning. Compiling expands words with taxonomy synonyms, boosts the title,
//! and corrects words that match nothing in the index.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::query::{
    AllQuery, AllScorer, BooleanQuery, BoostQuery, EmptyQuery, EmptyScorer, EnableScoring,
    Explanation, Occur, PhraseQuery, Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, Term, TERMINATED};

use crate::index::schema;
use crate::index::OpenIndex;
use crate::taxonomy::Taxonomy;

/// Weight of a title match relative to a passage-text match.
pub const TITLE_BOOST: f32 = 2.0;
/// Weight of a synonym relative to the word typed.
pub const SYNONYM_WEIGHT: f32 = 0.8;
/// Weight of a corrected word relative to a word found as typed.
pub const FUZZY_WEIGHT: f32 = 0.8;
/// Weight of the proximity clause: passages where the typed words stand
/// close together rank above passages that merely contain them.
pub const PROXIMITY_BOOST: f32 = 1.5;
/// How many positions apart the words may stand for the proximity clause.
const PROXIMITY_SLOP: u32 = 3;
/// Parentheses nest at most this deep; deeper ones are read as plain text.
const MAX_DEPTH: usize = 16;
/// Terms (words, phrases, `field:value`s, at any depth) beyond this many are
/// dropped, so that no query is unboundedly slow.
const MAX_CLAUSES: usize = 64;
/// At most this many warnings about one query; the same warning is given once.
const MAX_WARNINGS: usize = 8;

/// Whether every word must match or any may.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    All,
    Any,
}

/// A word that matched nothing and what it was read as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    pub from: String,
    pub to: String,
}

/// How a clause takes part in its query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occurrence {
    /// Plain: required in all-words mode, optional in any-word mode.
    Default,
    /// `+word`: always required.
    Required,
    /// `-word`: must not match.
    Excluded,
}

/// Metadata and title fields usable as `field:value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldName {
    Title,
    State,
    Sector,
    Prefecture,
    Org,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Word(String),
    Phrase(String),
    Field(FieldName, String),
    Group(Vec<Clause>),
    Or(Vec<Node>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub occurrence: Occurrence,
    pub node: Node,
}

/// A parsed query and what was wrong with it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub clauses: Vec<Clause>,
    pub warnings: Vec<String>,
}

impl ParsedQuery {
    /// True when any-word matching could find more than all-words matching.
    pub fn has_optional_alternatives(&self) -> bool {
        self.clauses
            .iter()
            .filter(|c| c.occurrence == Occurrence::Default)
            .count()
            >= 2
    }
}

/// Parses a query; never fails.
pub fn parse(text: &str) -> ParsedQuery {
    let mut parser = Parser {
        chars: text.chars().collect(),
        pos: 0,
        warnings: Vec::new(),
        terms: 0,
    };
    let clauses = parser.sequence(0);
    // A hostile query can repeat a problem thousands of times: each is told
    // once, and only the first few.
    let mut seen = std::collections::HashSet::new();
    let mut warnings: Vec<String> = parser
        .warnings
        .into_iter()
        .filter(|w| seen.insert(w.clone()))
        .collect();
    if warnings.len() > MAX_WARNINGS {
        let more = warnings.len() - (MAX_WARNINGS - 1);
        warnings.truncate(MAX_WARNINGS - 1);
        warnings.push(format!("{more} more problems with the query: ignored"));
    }
    ParsedQuery { clauses, warnings }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    warnings: Vec<String>,
    /// Words, phrases and `field:value`s read so far, at any depth.
    terms: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn at_keyword(&self, keyword: &str) -> bool {
        let n = keyword.chars().count();
        let matches = self.chars[self.pos..]
            .iter()
            .take(n)
            .copied()
            .eq(keyword.chars());
        matches
            && self
                .chars
                .get(self.pos + n)
                .is_none_or(|c| c.is_whitespace() || *c == '(' || *c == ')' || *c == '"')
    }

    /// Clauses up to the end or the `)` closing this depth.
    fn sequence(&mut self, depth: usize) -> Vec<Clause> {
        let mut clauses = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                None => {
                    if depth > 0 && self.terms <= MAX_CLAUSES {
                        self.warnings
                            .push("unbalanced '(': closed at the end of the query".into());
                    }
                    return clauses;
                }
                Some(')') => {
                    self.pos += 1;
                    if depth > 0 {
                        return clauses;
                    }
                    self.warnings.push("unbalanced ')': ignored".into());
                    continue;
                }
                _ => {}
            }
            if self.at_keyword("OR") {
                self.pos += 2;
                self.warnings
                    .push("'OR' without a term before it: ignored".into());
                continue;
            }
            let Some(first) = self.unary(depth) else {
                continue;
            };
            let mut alternatives = vec![first];
            loop {
                let save = self.pos;
                self.skip_space();
                if !self.at_keyword("OR") {
                    self.pos = save;
                    break;
                }
                self.pos += 2;
                self.skip_space();
                if self.peek().is_none_or(|c| c == ')') || self.at_keyword("OR") {
                    self.warnings
                        .push("'OR' without a term after it: ignored".into());
                    break;
                }
                if let Some(next) = self.unary(depth) {
                    alternatives.push(next);
                }
            }
            if alternatives.len() == 1 {
                clauses.extend(alternatives);
            } else {
                let occurrence = alternatives[0].occurrence;
                clauses.push(Clause {
                    occurrence,
                    node: Node::Or(alternatives.into_iter().map(|c| c.node).collect()),
                });
            }
        }
    }

    fn unary(&mut self, depth: usize) -> Option<Clause> {
        if self.terms >= MAX_CLAUSES {
            // Enough: the rest of the query is not read at all.
            self.terms = MAX_CLAUSES + 1;
            self.pos = self.chars.len();
            self.warnings.push(format!(
                "query has more than {MAX_CLAUSES} terms; the rest were ignored"
            ));
            return None;
        }
        let mut occurrence = Occurrence::Default;
        if let Some(sign @ ('-' | '+')) = self.peek() {
            self.pos += 1;
            if self.peek().is_none_or(|c| c.is_whitespace() || c == ')') {
                self.warnings
                    .push(format!("lone '{sign}' without a term: ignored"));
                return None;
            }
            occurrence = if sign == '-' {
                Occurrence::Excluded
            } else {
                Occurrence::Required
            };
        }
        let node = self.atom(depth)?;
        if !matches!(node, Node::Group(_) | Node::Or(_)) {
            self.terms += 1;
        }
        Some(Clause { occurrence, node })
    }

    fn atom(&mut self, depth: usize) -> Option<Node> {
        match self.peek()? {
            '(' => {
                self.pos += 1;
                if depth + 1 >= MAX_DEPTH {
                    self.warnings.push(format!(
                        "parentheses nested deeper than {MAX_DEPTH}: ignored"
                    ));
                    return None;
                }
                let inner = self.sequence(depth + 1);
                (!inner.is_empty()).then_some(Node::Group(inner))
            }
            '"' => {
                self.pos += 1;
                if !self.chars[self.pos..].contains(&'"') {
                    // No closing quote: the words are read one by one.
                    self.warnings
                        .push("unbalanced '\"': ignored, the words are searched separately".into());
                    return None;
                }
                let phrase = self.phrase();
                (!phrase.trim().is_empty()).then_some(Node::Phrase(phrase))
            }
            _ => self.word(),
        }
    }

    /// The text up to the closing quote, which is consumed.
    fn phrase(&mut self) -> String {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c == '"' {
                let text: String = self.chars[start..self.pos].iter().collect();
                self.pos += 1;
                return text;
            }
            self.pos += 1;
        }
        self.warnings
            .push("unbalanced '\"': the phrase runs to the end of the query".into());
        self.chars[start..].iter().collect()
    }

    fn word(&mut self) -> Option<Node> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| !c.is_whitespace() && c != '(' && c != ')' && c != '"')
        {
            self.pos += 1;
        }
        let word: String = self.chars[start..self.pos].iter().collect();
        if word == "AND" {
            return None;
        }
        let Some((name, value)) = word.split_once(':') else {
            return (!word.is_empty()).then_some(Node::Word(word));
        };
        let field = match name.to_ascii_lowercase().as_str() {
            "title" => Some(FieldName::Title),
            "state" => Some(FieldName::State),
            "sector" => Some(FieldName::Sector),
            "prefecture" => Some(FieldName::Prefecture),
            "org" => Some(FieldName::Org),
            _ => None,
        };
        match field {
            Some(field) if !value.is_empty() => Some(Node::Field(field, value.to_string())),
            Some(field) if self.peek() == Some('"') => {
                self.pos += 1;
                let phrase = self.phrase();
                Some(Node::Field(field, phrase))
            }
            _ => {
                self.warnings
                    .push(format!("stray ':' in {word:?}: read as plain words"));
                let text = word.replace(':', " ");
                (!text.trim().is_empty()).then(|| Node::Word(text.trim().to_string()))
            }
        }
    }
}

/// A query ready to run, with what was done to it.
pub struct Compiled {
    pub query: Box<dyn Query>,
    /// The positive text part, for highlighting; `None` when nothing is
    /// matched by words.
    pub highlight: Option<Box<dyn Query>>,
    pub corrections: Vec<Correction>,
    pub warnings: Vec<String>,
    /// No term survived: the query had only operators, punctuation or
    /// symbols (or nothing), so it would match every passage.
    pub empty: bool,
}

/// Turns a [`ParsedQuery`] into a tantivy query against one index.
pub struct Compiler<'a> {
    index: &'a OpenIndex,
    searcher: &'a Searcher,
    taxonomy: &'a Taxonomy,
    synonyms: HashMap<String, usize>,
    longest_synonym: usize,
}

struct Context {
    mode: Mode,
    corrections: Vec<Correction>,
    warnings: Vec<String>,
    fuzzy_budget: usize,
}

impl<'a> Compiler<'a> {
    pub fn new(index: &'a OpenIndex, searcher: &'a Searcher, taxonomy: &'a Taxonomy) -> Self {
        let mut synonyms = HashMap::new();
        let mut longest_synonym = 1;
        for (group, members) in taxonomy.synonym_groups().iter().enumerate() {
            for member in members {
                let key = normalize(member);
                longest_synonym = longest_synonym.max(key.split(' ').count());
                synonyms.insert(key, group);
            }
        }
        Compiler {
            index,
            searcher,
            taxonomy,
            synonyms,
            longest_synonym,
        }
    }

    pub fn compile(&self, parsed: &ParsedQuery, mode: Mode) -> Compiled {
        let mut cx = Context {
            mode,
            corrections: Vec::new(),
            warnings: Vec::new(),
            fuzzy_budget: 8,
        };
        let clauses = self.join_synonym_phrases(&parsed.clauses);
        let empty = clauses.iter().all(|c| self.compiles_to_nothing(&c.node));
        let (mut query, positive) = self.clauses(&clauses, &mut cx);
        let highlight = positive.then(|| query.box_clone());
        if let Some(proximity) = self.proximity(&clauses) {
            query = Box::new(BooleanQuery::new(vec![
                (Occur::Must, query),
                (Occur::Should, boosted(proximity, PROXIMITY_BOOST)),
            ]));
        }
        Compiled {
            query,
            highlight,
            corrections: cx.corrections,
            warnings: cx.warnings,
            empty,
        }
    }

    /// True when no word of `node` survives analysis, as [`Self::node`]
    /// would find: it compiles to no query.
    fn compiles_to_nothing(&self, node: &Node) -> bool {
        match node {
            Node::Word(text) | Node::Phrase(text) | Node::Field(FieldName::Title, text) => {
                self.analyze(text).is_empty()
            }
            Node::Field(..) => false,
            Node::Group(clauses) => clauses.iter().all(|c| self.compiles_to_nothing(&c.node)),
            Node::Or(nodes) => nodes.iter().all(|n| self.compiles_to_nothing(n)),
        }
    }

    /// A sloppy phrase of the query's plain words, in the order typed: it only
    /// adds score, to passages where the words stand close together.
    fn proximity(&self, clauses: &[Clause]) -> Option<Box<dyn Query>> {
        let words: Vec<&str> = clauses
            .iter()
            .filter(|c| c.occurrence != Occurrence::Excluded)
            .filter_map(|c| match &c.node {
                Node::Word(w) => Some(w.as_str()),
                _ => None,
            })
            .collect();
        if !(2..=8).contains(&words.len()) {
            return None;
        }
        let terms: Vec<(usize, Term)> = words
            .iter()
            .flat_map(|w| self.analyze(w))
            .enumerate()
            .map(|(i, t)| (i, Term::from_field_text(self.index.fields.text, &t)))
            .collect();
        (terms.len() >= 2)
            .then(|| Box::new(PhraseQuery::new_with_offset_and_slop(terms, PROXIMITY_SLOP)) as _)
    }

    /// Runs of plain words that spell a multi-word synonym ("electric
    /// vehicle") become one phrase, so that they expand as a unit.
    fn join_synonym_phrases(&self, clauses: &[Clause]) -> Vec<Clause> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < clauses.len() {
            let mut joined = None;
            for n in (2..=self.longest_synonym.min(clauses.len() - i)).rev() {
                let run = &clauses[i..i + n];
                let words: Option<Vec<&str>> = run
                    .iter()
                    .map(|c| match (&c.occurrence, &c.node) {
                        (Occurrence::Default, Node::Word(w)) => Some(w.as_str()),
                        _ => None,
                    })
                    .collect();
                if let Some(words) = words {
                    let phrase = words.join(" ");
                    if self.synonyms.contains_key(&normalize(&phrase)) {
                        joined = Some((n, phrase));
                        break;
                    }
                }
            }
            match joined {
                Some((n, phrase)) => {
                    out.push(Clause {
                        occurrence: Occurrence::Default,
                        node: Node::Phrase(phrase),
                    });
                    i += n;
                }
                None => {
                    out.push(clauses[i].clone());
                    i += 1;
                }
            }
        }
        out
    }

    /// A boolean query of `clauses`, and whether it has a positive part.
    fn clauses(&self, clauses: &[Clause], cx: &mut Context) -> (Box<dyn Query>, bool) {
        let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut positive = false;
        for clause in clauses {
            let Some(query) = self.node(&clause.node, cx) else {
                continue;
            };
            let occur = match (clause.occurrence, cx.mode) {
                (Occurrence::Excluded, _) => Occur::MustNot,
                (Occurrence::Required, _) | (Occurrence::Default, Mode::All) => Occur::Must,
                (Occurrence::Default, Mode::Any) => Occur::Should,
            };
            positive |= occur != Occur::MustNot;
            let query = if occur == Occur::MustNot {
                Box::new(Excluded(query)) as Box<dyn Query>
            } else {
                query
            };
            parts.push((occur, query));
        }
        if !positive {
            // Only exclusions (or nothing): everything, minus the exclusions.
            parts.push((Occur::Must, Box::new(AllQuery)));
        }
        (Box::new(BooleanQuery::new(parts)), positive)
    }

    fn node(&self, node: &Node, cx: &mut Context) -> Option<Box<dyn Query>> {
        match node {
            Node::Word(word) => self.words(word, true, cx),
            Node::Phrase(phrase) => self.words(phrase, false, cx),
            Node::Field(field, value) => self.field(*field, value, cx),
            Node::Group(clauses) => Some(self.clauses(clauses, cx).0),
            Node::Or(nodes) => {
                let alternatives: Vec<(Occur, Box<dyn Query>)> = nodes
                    .iter()
                    .filter_map(|n| self.node(n, cx))
                    .map(|q| (Occur::Should, q))
                    .collect();
                (!alternatives.is_empty()).then(|| Box::new(BooleanQuery::new(alternatives)) as _)
            }
        }
    }

    /// A typed word or phrase, in text or title, with its synonyms; a single
    /// word that matches nothing is corrected when a close word exists.
    fn words(&self, text: &str, correctable: bool, cx: &mut Context) -> Option<Box<dyn Query>> {
        let tokens = self.analyze(text);
        if tokens.is_empty() {
            return None;
        }
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let synonyms: Vec<&String> = self
            .synonyms
            .get(&normalize(text))
            .and_then(|&g| self.taxonomy.synonym_groups().get(g))
            .map(|members| {
                members
                    .iter()
                    .filter(|m| normalize(m) != normalize(text))
                    .collect()
            })
            .unwrap_or_default();
        let mut tokens = tokens;
        let mut weight = 1.0;
        if correctable && synonyms.is_empty() && tokens.len() == 1 && !self.exists(&tokens[0]) {
            if let Some(fixed) = self.correct(&text.to_lowercase(), &tokens[0], cx) {
                cx.corrections.push(Correction {
                    from: text.to_string(),
                    to: fixed.clone(),
                });
                tokens = vec![fixed];
                weight = FUZZY_WEIGHT;
            }
        }
        alternatives.push((Occur::Should, self.text_or_title(&tokens, weight)));
        for synonym in synonyms {
            let tokens = self.analyze(synonym);
            if !tokens.is_empty() {
                alternatives.push((Occur::Should, self.text_or_title(&tokens, SYNONYM_WEIGHT)));
            }
        }
        Some(Box::new(Alternatives::new(
            alternatives.into_iter().map(|(_, q)| q).collect(),
        )))
    }

    fn text_or_title(&self, tokens: &[String], weight: f32) -> Box<dyn Query> {
        let f = &self.index.fields;
        Box::new(Alternatives::new(vec![
            Box::new(Words::new(f.text, tokens, weight)),
            Box::new(Words::new(f.title, tokens, weight * TITLE_BOOST)),
        ]))
    }

    fn field(&self, field: FieldName, value: &str, cx: &mut Context) -> Option<Box<dyn Query>> {
        let f = &self.index.fields;
        let (target, resolved, kind) = match field {
            FieldName::Title => {
                let tokens = self.analyze(value);
                return (!tokens.is_empty()).then(|| terms_query(f.title, &tokens));
            }
            FieldName::State => (f.state, self.taxonomy.resolve_state(value), "state"),
            FieldName::Sector => (f.sector, self.taxonomy.resolve_sector(value), "sector"),
            FieldName::Prefecture => (
                f.prefecture,
                self.taxonomy.resolve_prefecture(value),
                "prefecture",
            ),
            FieldName::Org => (f.org, self.taxonomy.resolve_org(value), "organisation"),
        };
        match resolved {
            Some(canonical) => Some(Box::new(TermQuery::new(
                Term::from_field_text(target, canonical),
                IndexRecordOption::Basic,
            ))),
            None => {
                cx.warnings.push(format!(
                    "unknown {kind} {value:?} in the query: it matches nothing"
                ));
                Some(Box::new(EmptyQuery))
            }
        }
    }

    fn analyze(&self, text: &str) -> Vec<String> {
        let mut analyzer: TextAnalyzer = schema::analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    /// Whether a stemmed token occurs in any passage text or title.
    fn exists(&self, token: &str) -> bool {
        let f = &self.index.fields;
        [f.text, f.title].iter().any(|&field| {
            self.searcher
                .doc_freq(&Term::from_field_text(field, token))
                .is_ok_and(|n| n > 0)
        })
    }

    /// The indexed term closest to a word that matched nothing: edit distance
    /// 1 from 5 letters, 2 from 9, sharing the first letter; the most frequent
    /// wins a tie.
    fn correct(&self, word: &str, stem: &str, cx: &mut Context) -> Option<String> {
        let letters = word.chars().count();
        let allowed = match letters {
            0..=4 => return None,
            5..=8 => 1,
            9..=40 => 2,
            _ => return None,
        };
        if cx.fuzzy_budget == 0 {
            return None;
        }
        cx.fuzzy_budget -= 1;
        let first = stem.chars().next()?;
        let next = char::from_u32(first as u32 + 1)?;
        let (lo, hi) = (first.to_string(), next.to_string());
        let mut candidates: HashMap<String, (usize, u64)> = HashMap::new();
        for segment in self.searcher.segment_readers() {
            let Ok(inverted) = segment.inverted_index(self.index.fields.text) else {
                continue;
            };
            let Ok(mut stream) = inverted.terms().range().ge(&lo).lt(&hi).into_stream() else {
                continue;
            };
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else {
                    continue;
                };
                if term.len().abs_diff(stem.len()) > allowed + 2 {
                    continue;
                }
                let distance = strsim::levenshtein(stem, term).min(strsim::levenshtein(word, term));
                if distance <= allowed {
                    let entry = candidates.entry(term.to_string()).or_insert((distance, 0));
                    entry.1 += u64::from(stream.value().doc_freq);
                }
            }
        }
        candidates
            .into_iter()
            .min_by(|a, b| {
                (a.1 .0, std::cmp::Reverse(a.1 .1), &a.0).cmp(&(
                    b.1 .0,
                    std::cmp::Reverse(b.1 .1),
                    &b.0,
                ))
            })
            .map(|(term, _)| term)
    }
}

fn boosted(query: Box<dyn Query>, weight: f32) -> Box<dyn Query> {
    if (weight - 1.0).abs() < f32::EPSILON {
        query
    } else {
        Box::new(BoostQuery::new(query, weight))
    }
}

/// An excluded clause. Works around a debug assertion of tantivy 0.27
/// (quickwit-oss/tantivy#2811): an exclusion is probed with `seek_danger` for
/// documents before the one its scorer stands on, which a phrase scorer
/// rejects with a panic, so `-"two words"` crashed debug builds. Here the
/// probe gets DocSet's default `seek_danger`, which only ever seeks forward.
#[derive(Debug)]
struct Excluded(Box<dyn Query>);

impl Clone for Excluded {
    fn clone(&self) -> Self {
        Excluded(self.0.box_clone())
    }
}

impl Query for Excluded {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExcludedWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor);
    }
}

struct ExcludedWeight(Box<dyn Weight>);

impl Weight for ExcludedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let scorer = self.0.scorer(reader, boost)?;
        // tantivy simplifies these two; they need no guard.
        if scorer.is::<EmptyScorer>() || scorer.is::<AllScorer>() {
            return Ok(scorer);
        }
        Ok(Box::new(ForwardOnly(scorer)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct ForwardOnly(Box<dyn Scorer>);

impl DocSet for ForwardOnly {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let doc = self.0.doc();
        if doc >= target {
            doc
        } else {
            self.0.seek(target)
        }
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }

    fn cost(&self) -> u64 {
        self.0.cost()
    }
}

impl Scorer for ForwardOnly {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}

/// A word or phrase in one field, with its weight: tantivy's term or phrase
/// query (boosted), which it runs unchanged, plus what the top-k search needs
/// to bound its score without reading positions (see `search::pruning`).
#[derive(Debug)]
pub struct Words {
    pub field: Field,
    /// The analysed tokens, each with its position in the phrase.
    pub terms: Vec<(usize, Term)>,
    pub boost: Score,
    query: Box<dyn Query>,
}

impl Words {
    pub fn new(field: Field, tokens: &[String], boost: Score) -> Words {
        Words {
            field,
            terms: tokens
                .iter()
                .enumerate()
                .map(|(i, t)| (i, Term::from_field_text(field, t)))
                .collect(),
            boost,
            query: boosted(terms_query(field, tokens), boost),
        }
    }
}

impl Clone for Words {
    fn clone(&self) -> Self {
        Words {
            field: self.field,
            terms: self.terms.clone(),
            boost: self.boost,
            query: self.query.box_clone(),
        }
    }
}

impl Query for Words {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        self.query.weight(enable_scoring)
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

/// The alternatives of one word: text or title, the word or its synonyms.
/// Matches and scores are those of a boolean query of optional clauses, but
/// the scorer merges its clauses as it goes instead of through tantivy's
/// union buffer, which refills a 4,096-document window on every seek: when
/// the word is one side of an intersection ("chip plant"), most of the time
/// went there. At the top of a query the alternatives are flattened into
/// one union instead (`search::flatten_union`), for block-max WAND.
#[derive(Debug)]
pub struct Alternatives {
    union: BooleanQuery,
}

impl Alternatives {
    pub fn new(clauses: Vec<Box<dyn Query>>) -> Alternatives {
        Alternatives {
            union: BooleanQuery::new(clauses.into_iter().map(|q| (Occur::Should, q)).collect()),
        }
    }

    /// The clauses, in order.
    pub fn clauses(&self) -> impl Iterator<Item = &dyn Query> {
        self.union.clauses().iter().map(|(_, q)| q.as_ref())
    }
}

impl Clone for Alternatives {
    fn clone(&self) -> Self {
        Alternatives {
            union: self.union.clone(),
        }
    }
}

impl Query for Alternatives {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let clauses = self
            .clauses()
            .map(|q| q.weight(enable_scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Box::new(AlternativesWeight {
            union: self.union.weight(enable_scoring)?,
            clauses,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.union.query_terms(visitor);
    }
}

struct AlternativesWeight {
    /// tantivy's union, for explanations.
    union: Box<dyn Weight>,
    clauses: Vec<Box<dyn Weight>>,
}

impl Weight for AlternativesWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let scorers = self
            .clauses
            .iter()
            .map(|w| w.scorer(reader, boost))
            .collect::<tantivy::Result<Vec<_>>>()?;
        // Dense alternatives are better merged a window at a time, which
        // tantivy's union does: a seek inside its window is a bit test.
        let hits: u64 = scorers.iter().map(|s| u64::from(s.size_hint())).sum();
        if hits.saturating_mul(DENSE) > u64::from(reader.max_doc()) {
            return self.union.scorer(reader, boost);
        }
        Ok(Box::new(LazyUnion::new(scorers)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.union.explain(reader, doc)
    }
}

/// Alternatives matching more than one document in this many are merged by
/// tantivy's union (measured at 100k: 4, 8 and 16 tried, 8 best overall).
const DENSE: u64 = 8;

/// A union that advances its scorers only as far as asked.
pub(crate) struct LazyUnion {
    scorers: Vec<Box<dyn Scorer>>,
    /// Each scorer's document, kept here to spare a virtual call.
    docs: Vec<DocId>,
    doc: DocId,
}

impl LazyUnion {
    fn new(scorers: Vec<Box<dyn Scorer>>) -> LazyUnion {
        let docs: Vec<DocId> = scorers.iter().map(|s| s.doc()).collect();
        let doc = docs.iter().copied().min().unwrap_or(TERMINATED);
        LazyUnion { scorers, docs, doc }
    }
}

impl DocSet for LazyUnion {
    fn advance(&mut self) -> DocId {
        let doc = self.doc;
        let mut lowest = TERMINATED;
        for (s, d) in self.scorers.iter_mut().zip(self.docs.iter_mut()) {
            if *d == doc {
                *d = s.advance();
            }
            lowest = lowest.min(*d);
        }
        self.doc = lowest;
        lowest
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        let mut lowest = TERMINATED;
        for (s, d) in self.scorers.iter_mut().zip(self.docs.iter_mut()) {
            if *d < target {
                *d = s.seek(target);
            }
            lowest = lowest.min(*d);
        }
        self.doc = lowest;
        lowest
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.scorers
            .iter()
            .map(|s| s.size_hint())
            .max()
            .unwrap_or(0)
    }

    fn cost(&self) -> u64 {
        self.scorers.iter().map(|s| s.cost()).sum()
    }
}

impl Scorer for LazyUnion {
    /// The clauses' scores summed in order from zero, as tantivy's union
    /// sums them.
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut score: Score = 0.0;
        for (s, d) in self.scorers.iter_mut().zip(&self.docs) {
            if *d == doc {
                score += s.score();
            }
        }
        score
    }
}

/// A term query for one token, a phrase query for several.
fn terms_query(field: Field, tokens: &[String]) -> Box<dyn Query> {
    let terms: Vec<Term> = tokens
        .iter()
        .map(|t| Term::from_field_text(field, t))
        .collect();
    if terms.len() == 1 {
        Box::new(TermQuery::new(
            terms[0].clone(),
            IndexRecordOption::WithFreqs,
        ))
    } else {
        Box::new(PhraseQuery::new(terms))
    }
}

/// Lowercase, single-spaced: the key for synonym lookups.
fn normalize(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(clauses: &[Clause]) -> Vec<(Occurrence, Node)> {
        clauses
            .iter()
            .map(|c| (c.occurrence, c.node.clone()))
            .collect()
    }

    #[test]
    fn full_grammar() {
        let q =
            parse(r#"chip "industrial park" -cookies +Assam (EV OR battery) title:japan state:UP"#);
        assert!(q.warnings.is_empty(), "{:?}", q.warnings);
        use Node::*;
        use Occurrence::*;
        assert_eq!(
            words(&q.clauses),
            vec![
                (Default, Word("chip".into())),
                (Default, Phrase("industrial park".into())),
                (Excluded, Word("cookies".into())),
                (Required, Word("Assam".into())),
                (
                    Default,
                    Group(vec![Clause {
                        occurrence: Default,
                        node: Or(vec![Word("EV".into()), Word("battery".into())])
                    }])
                ),
                (Default, Field(FieldName::Title, "japan".into())),
                (Default, Field(FieldName::State, "UP".into())),
            ]
        );
    }

    #[test]
    fn malformed_queries_parse_with_warnings() {
        for (text, expected) in [
            ("\"open phrase", 1),
            ("word :", 1),
            ("OR alone", 1),
            ("alone OR", 1),
            ("- x", 1),
            ("(unclosed", 1),
            ("closed)", 1),
            ("foo:bar", 1),
        ] {
            let q = parse(text);
            assert_eq!(q.warnings.len(), expected, "{text}: {:?}", q.warnings);
        }
        assert_eq!(
            parse("\"open phrase").clauses[1].node,
            Node::Word("phrase".into())
        );
        assert_eq!(
            parse("foo:bar").clauses[0].node,
            Node::Word("foo bar".into())
        );
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let q = parse(&"(".repeat(10_000));
        assert!(!q.warnings.is_empty());
        let q = parse(&"a ".repeat(1000));
        assert_eq!(q.clauses.len(), MAX_CLAUSES);
    }

    #[test]
    fn hostile_queries_are_bounded_at_any_depth() {
        fn terms(clauses: &[Clause]) -> usize {
            fn node(n: &Node) -> usize {
                match n {
                    Node::Group(c) => terms(c),
                    Node::Or(nodes) => nodes.iter().map(node).sum(),
                    _ => 1,
                }
            }
            clauses.iter().map(|c| node(&c.node)).sum()
        }
        for text in ["(a OR ".repeat(10_000), "a OR ".repeat(10_000)] {
            let q = parse(&text);
            assert_eq!(terms(&q.clauses), MAX_CLAUSES);
            assert!(q.warnings.len() <= MAX_WARNINGS, "{:?}", q.warnings);
        }
        // A problem repeated ten thousand times is told once.
        assert_eq!(
            parse(&")".repeat(10_000)).warnings,
            ["unbalanced ')': ignored"]
        );
        // Many different problems: the first few, and how many more.
        let q = parse(&(0..50).map(|i| format!("x{i}: ")).collect::<String>());
        assert_eq!(q.warnings.len(), MAX_WARNINGS);
        assert!(q.warnings[MAX_WARNINGS - 1].starts_with("43 more problems"));
    }
}

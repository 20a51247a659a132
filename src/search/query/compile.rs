//! Compiling a parsed query against one index into a [`Plan`]: the query's
//! top-level clauses as [`Group`]s (each a unit an article holds or lacks),
//! with tantivy queries in the shape tantivy runs fastest, and the word forms
//! that count as a group inside a passage.
//!
//! A word expands to its taxonomy synonyms and is searched in the title
//! (weighted) and the text; a word found nowhere is corrected to the closest
//! indexed word. An abbreviation that the taxonomy writes in capitals ("UP")
//! expands only when typed in capitals and then matches the text only where
//! it stands in capitals (see [`crate::index::analyzer`]) or as its full name.

use std::collections::HashMap;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use super::exclude::Excluded;
use super::parse::{Clause, FieldName, Node, Occurrence, ParsedQuery};
use crate::index::analyzer::{self, capitals_term, is_capitals_term};
use crate::index::docs;
use crate::index::schema::Fields;
use crate::taxonomy::{SynonymKey, Taxonomy};

/// Weight of a title match relative to a text match.
pub const TITLE_BOOST: f32 = 1.0;
/// Weight of a synonym relative to the word typed.
pub const SYNONYM_WEIGHT: f32 = 0.8;
/// Weight of a corrected word relative to a word found as typed.
pub const FUZZY_WEIGHT: f32 = 0.8;
/// Words corrected at most per query (each scans part of the dictionary).
const MAX_CORRECTIONS: usize = 8;

/// English function words: a query word among them is neither required nor
/// counted as missing (Lucene's English stop set). Inside a phrase they stay.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// A word that matched nothing and what it was read as.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Correction {
    pub from: String,
    pub to: String,
}

/// A text form that counts as a group inside a passage: a word (one token)
/// or a phrase (consecutive tokens), with its weight.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    pub tokens: Vec<String>,
    pub weight: f32,
}

/// One top-level clause of a query: the unit an article holds or lacks.
pub struct Group {
    /// The clause as typed, for the `missing` list of a partial match.
    pub label: String,
    /// Matches the articles that hold the clause (in title or text), scored.
    pub query: Box<dyn Query>,
    /// `+word`: required even when partial matches are ranked.
    pub required: bool,
    /// A phrase's words anywhere (the phrase itself ranking first): what
    /// counts as part of the phrase when partial matches are ranked.
    pub relaxed: Option<Box<dyn Query>>,
    /// The forms that count as this clause in a passage's text; empty for
    /// clauses that only the title or metadata can hold (`title:`, `state:`).
    pub leaves: Vec<Leaf>,
    /// A typed word whose forms are all single terms: its query is a union
    /// of term queries, which tantivy prunes with block-max WAND.
    terms_only: bool,
}

/// A compiled query.
pub struct Plan {
    pub groups: Vec<Group>,
    /// Excluded clauses: an article holding one anywhere does not match.
    pub excluded: Vec<Box<dyn Query>>,
    /// Stop words typed outside phrases: they add score, nothing else.
    pub optional: Vec<Box<dyn Query>>,
    pub corrections: Vec<Correction>,
    pub warnings: Vec<String>,
    /// Nothing survived: the query had only operators, punctuation or
    /// symbols (or nothing).
    pub empty: bool,
    kind: Field,
}

impl Plan {
    /// The query that matches articles holding every group (`all`) or any
    /// (`all` false; `+required` groups still required), without the excluded
    /// ones. A query of one group alone is that group's flat union, which
    /// tantivy runs with block-max WAND.
    pub fn query(&self, all: bool) -> Box<dyn Query> {
        let positive = !self.groups.is_empty();
        if self.groups.len() == 1 && self.excluded.is_empty() && self.optional.is_empty() {
            let group = &self.groups[0];
            let query = match &group.relaxed {
                Some(relaxed) if !all && !group.required => relaxed,
                _ => &group.query,
            };
            return query.box_clone();
        }
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for group in &self.groups {
            if all || group.required {
                clauses.push((Occur::Must, group.query.box_clone()));
            } else {
                let q = group.relaxed.as_ref().unwrap_or(&group.query);
                clauses.push((Occur::Should, q.box_clone()));
            }
        }
        if !positive {
            // Only exclusions or stop words (or nothing): every article.
            clauses.push((Occur::Must, docs::articles_by_kind(self.kind)));
        }
        for q in &self.optional {
            clauses.push((Occur::Should, q.box_clone()));
        }
        for q in &self.excluded {
            clauses.push((Occur::MustNot, Box::new(Excluded::new(q.box_clone()))));
        }
        if clauses.len() == 1 && clauses[0].0 == Occur::Must {
            return clauses.remove(0).1;
        }
        Box::new(BooleanQuery::new(clauses))
    }

    /// Whether articles holding only part of the query can be told from
    /// those holding all of it: two groups or more, or a phrase whose words
    /// can match apart.
    pub fn has_partial_matches(&self) -> bool {
        let optional = self.groups.iter().filter(|g| !g.required);
        self.groups.len() >= 2 && optional.clone().count() > 0
            || optional.clone().any(|g| g.relaxed.is_some())
    }

    /// Whether the query of every word (`query(true)`) is a union of term
    /// queries alone, which tantivy's top-k collection prunes (block-max
    /// WAND) without scoring every match.
    pub fn prunable(&self) -> bool {
        matches!(self.groups.as_slice(), [group] if group.terms_only)
            && self.excluded.is_empty()
            && self.optional.is_empty()
    }

    /// The leaves of every group, each with its group's index.
    pub fn leaves(&self) -> impl Iterator<Item = (usize, &Leaf)> {
        self.groups
            .iter()
            .enumerate()
            .flat_map(|(g, group)| group.leaves.iter().map(move |leaf| (g, leaf)))
    }
}

/// A query matching every article.
pub fn every_article(fields: &Fields) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
        (Occur::Must, docs::articles(fields)),
    ]))
}

/// Turns a [`ParsedQuery`] into a [`Plan`] against one index.
pub struct Compiler<'a> {
    fields: &'a Fields,
    searcher: &'a Searcher,
    taxonomy: &'a Taxonomy,
    /// Normalised member text → member (built once per taxonomy).
    synonyms: &'a HashMap<String, SynonymKey>,
    longest_synonym: usize,
}

struct Context {
    corrections: Vec<Correction>,
    warnings: Vec<String>,
    fuzzy_budget: usize,
}

impl<'a> Compiler<'a> {
    pub fn new(fields: &'a Fields, searcher: &'a Searcher, taxonomy: &'a Taxonomy) -> Self {
        let (synonyms, longest_synonym) = taxonomy.synonym_lookup();
        let longest_synonym = *longest_synonym;
        Compiler {
            fields,
            searcher,
            taxonomy,
            synonyms,
            longest_synonym,
        }
    }

    pub fn compile(&self, parsed: &ParsedQuery) -> Plan {
        let mut cx = Context {
            corrections: Vec::new(),
            warnings: Vec::new(),
            fuzzy_budget: MAX_CORRECTIONS,
        };
        let clauses = self.join_synonym_phrases(&parsed.clauses);
        let only_stop_words = clauses
            .iter()
            .all(|c| c.occurrence != Occurrence::Default || self.is_stop_word(&c.node));
        let mut plan = Plan {
            groups: Vec::new(),
            excluded: Vec::new(),
            optional: Vec::new(),
            corrections: Vec::new(),
            warnings: Vec::new(),
            empty: clauses.iter().all(|c| self.compiles_to_nothing(&c.node)),
            kind: self.fields.kind,
        };
        for clause in &clauses {
            let Some((query, leaves)) = self.node(&clause.node, &mut cx) else {
                continue;
            };
            match clause.occurrence {
                Occurrence::Excluded => plan.excluded.push(query),
                Occurrence::Default if !only_stop_words && self.is_stop_word(&clause.node) => {
                    plan.optional.push(query)
                }
                occurrence => plan.groups.push(Group {
                    label: label(&clause.node),
                    relaxed: self.relaxed(&clause.node, &query),
                    query,
                    required: occurrence == Occurrence::Required,
                    terms_only: matches!(clause.node, Node::Word(_))
                        && leaves.iter().all(|l| l.tokens.len() == 1),
                    leaves,
                }),
            }
        }
        plan.corrections = cx.corrections;
        plan.warnings = cx.warnings;
        plan
    }

    fn is_stop_word(&self, node: &Node) -> bool {
        matches!(node, Node::Word(w) if STOP_WORDS.contains(&w.as_str()))
    }

    /// True when no word of `node` survives analysis: it compiles to no query.
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

    /// A typed phrase of several words, relaxed: the phrase, or any of its
    /// words in text or title.
    fn relaxed(&self, node: &Node, exact: &dyn Query) -> Option<Box<dyn Query>> {
        let Node::Phrase(text) = node else {
            return None;
        };
        let words = self.analyze(text);
        if words.len() < 2 {
            return None;
        }
        let f = self.fields;
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Should, exact.box_clone())];
        for word in words {
            let word = [word];
            alternatives.push((Occur::Should, terms_query(f.text, &word, 1.0)));
            alternatives.push((Occur::Should, terms_query(f.title, &word, TITLE_BOOST)));
        }
        Some(Box::new(BooleanQuery::new(alternatives)))
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

    /// The query of a node and the leaves that count for it in a passage.
    fn node(&self, node: &Node, cx: &mut Context) -> Option<(Box<dyn Query>, Vec<Leaf>)> {
        match node {
            Node::Word(word) => self.words(word, true, cx),
            Node::Phrase(phrase) => self.words(phrase, false, cx),
            Node::Field(field, value) => self.field(*field, value, cx).map(|q| (q, Vec::new())),
            Node::Group(clauses) => self.nested(clauses, cx),
            Node::Or(nodes) => {
                let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                let mut leaves = Vec::new();
                for node in nodes {
                    if let Some((q, l)) = self.node(node, cx) {
                        alternatives.push((Occur::Should, q));
                        leaves.extend(l);
                    }
                }
                (!alternatives.is_empty())
                    .then(|| (Box::new(BooleanQuery::new(alternatives)) as _, leaves))
            }
        }
    }

    /// A parenthesised sequence: its plain clauses are all required.
    fn nested(&self, clauses: &[Clause], cx: &mut Context) -> Option<(Box<dyn Query>, Vec<Leaf>)> {
        let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut leaves = Vec::new();
        for clause in clauses {
            let Some((query, l)) = self.node(&clause.node, cx) else {
                continue;
            };
            if clause.occurrence == Occurrence::Excluded {
                parts.push((Occur::MustNot, Box::new(Excluded::new(query))));
            } else {
                parts.push((Occur::Must, query));
                leaves.extend(l);
            }
        }
        if parts.iter().all(|(o, _)| *o == Occur::MustNot) {
            if parts.is_empty() {
                return None;
            }
            parts.push((Occur::Must, every_article(self.fields)));
        }
        if parts.len() == 1 {
            return parts.pop().map(|(_, q)| (q, leaves));
        }
        Some((Box::new(BooleanQuery::new(parts)), leaves))
    }

    /// A typed word or phrase, in text or title, with its synonyms; a single
    /// word that matches nothing is corrected when a close word exists.
    fn words(
        &self,
        text: &str,
        correctable: bool,
        cx: &mut Context,
    ) -> Option<(Box<dyn Query>, Vec<Leaf>)> {
        let typed_capitals = capitals_term(text.trim());
        let member = self.synonyms.get(&normalize(text));
        // An abbreviation the taxonomy writes in capitals expands only when
        // typed in capitals; typed otherwise it is an ordinary word.
        let member = member.filter(|m| !m.capitals || typed_capitals.is_some());
        let mut leaves = Vec::new();
        match (member, typed_capitals) {
            (Some(m), Some(marked)) if m.capitals => leaves.push(Leaf {
                tokens: vec![marked],
                weight: 1.0,
            }),
            _ => {
                let mut tokens = self.analyze(text);
                if tokens.is_empty() {
                    return None;
                }
                let unknown = correctable
                    && member.is_none()
                    && tokens.len() == 1
                    && !self.exists(&tokens[0]);
                if unknown {
                    // A near-miss of a state, prefecture or organisation
                    // ("Tamilnadu", "Shizouka") is read as that name.
                    if let Some(name) = self.taxonomy_name(text) {
                        cx.corrections.push(Correction {
                            from: text.to_string(),
                            to: name.to_string(),
                        });
                        return self.words(name, false, cx);
                    }
                }
                let mut weight = 1.0;
                if unknown {
                    if let Some(fixed) = self.correct(&text.to_lowercase(), &tokens[0], cx) {
                        cx.corrections.push(Correction {
                            from: text.to_string(),
                            to: fixed.clone(),
                        });
                        tokens = vec![fixed];
                        weight = FUZZY_WEIGHT;
                    }
                }
                leaves.push(Leaf { tokens, weight });
            }
        }
        if let Some(m) = member {
            let typed = normalize(text);
            let typed_script = crate::script::script_key(text);
            let typed_idf = leaves.first().map(|l| self.idf(&l.tokens));
            for synonym in &self.taxonomy.synonym_groups()[m.group] {
                if normalize(synonym) == typed {
                    continue;
                }
                let tokens = match capitals_term(synonym) {
                    Some(marked) => vec![marked],
                    None => self.analyze(synonym),
                };
                if tokens.is_empty() || leaves.iter().any(|l| l.tokens == tokens) {
                    continue;
                }
                // A translation (a member in another script) is as rare as
                // the commoner of itself and the typed word: the idf of the
                // more frequent of the two, as Elasticsearch's cross-field
                // queries blend term statistics. Otherwise जापान, in a few
                // articles, would outweigh "Japan", in nearly every one
                // (and "Japan" would not outweigh 日本 for a query typed
                // in Japanese).
                // A translation found nowhere is left out: it would add
                // queries and postings reads and no score.
                let mut weight = SYNONYM_WEIGHT;
                if crate::script::script_key(synonym) != typed_script {
                    let Some(own) = self.idf_if_present(&tokens) else {
                        continue;
                    };
                    if let Some(typed_idf) = typed_idf {
                        if own > typed_idf {
                            weight *= typed_idf / own;
                        }
                    }
                }
                leaves.push(Leaf { tokens, weight });
            }
        }
        let f = self.fields;
        let mut alternatives: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for leaf in &leaves {
            alternatives.push((
                Occur::Should,
                terms_query(f.text, &leaf.tokens, leaf.weight),
            ));
            alternatives.push((
                Occur::Should,
                terms_query(f.title, &leaf.tokens, leaf.weight * TITLE_BOOST),
            ));
        }
        Some((Box::new(BooleanQuery::new(alternatives)), leaves))
    }

    fn field(&self, field: FieldName, value: &str, cx: &mut Context) -> Option<Box<dyn Query>> {
        let f = self.fields;
        let (target, resolved, kind) = match field {
            FieldName::Title => {
                let tokens = self.analyze(value);
                return (!tokens.is_empty()).then(|| terms_query(f.title, &tokens, 1.0));
            }
            FieldName::State => (f.state, self.taxonomy.resolve_state(value), "state"),
            FieldName::Sector => (f.sector, self.taxonomy.resolve_sector(value), "sector"),
            FieldName::Prefecture => (
                f.prefecture,
                self.taxonomy.resolve_prefecture(value),
                "prefecture",
            ),
            FieldName::Org => (f.org, self.taxonomy.resolve_org(value), "organisation"),
            FieldName::Lang => (f.lang, crate::lang::resolve(value), "language"),
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

    /// The state, prefecture or organisation whose name `typed` nearly
    /// spells, when it differs from what was typed.
    fn taxonomy_name(&self, typed: &str) -> Option<&'a str> {
        let t = self.taxonomy;
        let names = t
            .states()
            .into_iter()
            .chain(t.prefectures())
            .chain(t.orgs());
        crate::search::filters::closest(typed, names).filter(|name| *name != typed)
    }

    /// The terms of `text` as indexed, without the marked twins of words in
    /// capitals (those are asked for explicitly).
    fn analyze(&self, text: &str) -> Vec<String> {
        let mut analyzer: TextAnalyzer = analyzer::analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            if !is_capitals_term(&token.text) {
                out.push(token.text.clone());
            }
        }
        out
    }

    /// The BM25 idf of `tokens` in the text (summed over a phrase's words,
    /// as tantivy sums them), from the article counts.
    fn idf(&self, tokens: &[String]) -> f32 {
        let docs = self.searcher.num_docs() as f32;
        tokens
            .iter()
            .map(|t| {
                let n = self.doc_freq(t) as f32;
                (1.0 + (docs - n + 0.5) / (n + 0.5)).ln()
            })
            .sum()
    }

    /// [`Compiler::idf`], or `None` when a token is in no article's text.
    fn idf_if_present(&self, tokens: &[String]) -> Option<f32> {
        tokens
            .iter()
            .all(|t| self.doc_freq(t) > 0)
            .then(|| self.idf(tokens))
    }

    fn doc_freq(&self, token: &str) -> u64 {
        self.searcher
            .doc_freq(&Term::from_field_text(self.fields.text, token))
            .unwrap_or(0)
    }

    /// Whether a token occurs in any text or title.
    fn exists(&self, token: &str) -> bool {
        let f = self.fields;
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
            let Ok(inverted) = segment.inverted_index(self.fields.text) else {
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

/// A clause as the user typed it, for `missing`.
fn label(node: &Node) -> String {
    match node {
        Node::Word(w) => w.clone(),
        Node::Phrase(p) => format!("\"{p}\""),
        Node::Field(field, value) => {
            let name = match field {
                FieldName::Title => "title",
                FieldName::State => "state",
                FieldName::Sector => "sector",
                FieldName::Prefecture => "prefecture",
                FieldName::Org => "org",
                FieldName::Lang => "lang",
            };
            if value.contains(' ') {
                format!("{name}:\"{value}\"")
            } else {
                format!("{name}:{value}")
            }
        }
        Node::Or(nodes) => nodes.iter().map(label).collect::<Vec<_>>().join(" OR "),
        Node::Group(clauses) => format!(
            "({})",
            clauses
                .iter()
                .map(|c| {
                    let sign = match c.occurrence {
                        Occurrence::Excluded => "-",
                        Occurrence::Required => "+",
                        Occurrence::Default => "",
                    };
                    format!("{sign}{}", label(&c.node))
                })
                .collect::<Vec<_>>()
                .join(" ")
        ),
    }
}

fn boosted(query: Box<dyn Query>, weight: f32) -> Box<dyn Query> {
    if (weight - 1.0).abs() < f32::EPSILON {
        query
    } else {
        Box::new(BoostQuery::new(query, weight))
    }
}

/// A term query for one token, a phrase query for several, weighted. Tantivy
/// passes a boost down to the term scorer, so a union of boosted terms still
/// runs with block-max WAND.
fn terms_query(field: Field, tokens: &[String], weight: f32) -> Box<dyn Query> {
    let terms: Vec<Term> = tokens
        .iter()
        .map(|t| Term::from_field_text(field, t))
        .collect();
    let query: Box<dyn Query> = if terms.len() == 1 {
        Box::new(TermQuery::new(
            terms[0].clone(),
            IndexRecordOption::WithFreqs,
        ))
    } else {
        Box::new(PhraseQuery::new(terms))
    };
    boosted(query, weight)
}

/// Lowercase, single-spaced: the key for synonym lookups.
fn normalize(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

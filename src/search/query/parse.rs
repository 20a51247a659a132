//! The query language: words, `"phrases"`, `-exclude`, `+require`, `OR`,
//! parentheses and `title:`, `state:`, `sector:`, `prefecture:`, `org:` terms.
//!
//! Parsing never fails: whatever is malformed (an unbalanced quote, a stray
//! colon, a lone operator) is read as well as it can be and reported as a
//! warning. Words are counted across phrases, so that no query, however long,
//! is slow.

/// Parentheses nest at most this deep; deeper ones are read as plain text.
const MAX_DEPTH: usize = 16;
/// Words (alone, in phrases or in `field:value`s, at any depth) beyond this
/// many are dropped, so that no query is unboundedly slow.
pub const MAX_WORDS: usize = 64;
/// At most this many warnings about one query; the same warning is given once.
const MAX_WARNINGS: usize = 8;

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
    Lang,
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

/// Characters of a query that are read; a longer query is cut (with a
/// warning), as its words past [`MAX_WORDS`] would be ignored anyway.
pub const MAX_CHARS: usize = 16 * 1024;

/// Parses a query; never fails.
pub fn parse(text: &str) -> ParsedQuery {
    let mut chars: Vec<char> = text.chars().take(MAX_CHARS + 1).collect();
    let mut warnings = Vec::new();
    if chars.len() > MAX_CHARS {
        chars.truncate(MAX_CHARS);
        warnings.push(format!(
            "query is longer than {MAX_CHARS} characters; the rest was ignored"
        ));
    }
    let mut parser = Parser {
        chars,
        pos: 0,
        warnings,
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
    /// Words read so far (alone, in phrases, in `field:value`s), at any depth.
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
                    if depth > 0 && self.terms <= MAX_WORDS {
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
        if self.terms >= MAX_WORDS {
            self.stop_reading();
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
        let node = self.within_budget(node)?;
        Some(Clause { occurrence, node })
    }

    /// Counts the words of a word, phrase or `field:value` against
    /// [`MAX_WORDS`]; one that would pass it is cut there, and the rest of the
    /// query is not read.
    fn within_budget(&mut self, node: Node) -> Option<Node> {
        let (Node::Word(text) | Node::Phrase(text) | Node::Field(_, text)) = &node else {
            return Some(node);
        };
        let words = text.split_whitespace().count().max(1);
        let left = MAX_WORDS.saturating_sub(self.terms);
        if words <= left {
            self.terms += words;
            return Some(node);
        }
        let cut = text
            .split_whitespace()
            .take(left)
            .collect::<Vec<_>>()
            .join(" ");
        self.stop_reading();
        if cut.is_empty() {
            return None;
        }
        Some(match node {
            Node::Word(_) => Node::Word(cut),
            Node::Phrase(_) => Node::Phrase(cut),
            Node::Field(field, _) => Node::Field(field, cut),
            other => other,
        })
    }

    /// Enough: the rest of the query is not read at all.
    fn stop_reading(&mut self) {
        self.terms = MAX_WORDS + 1;
        self.pos = self.chars.len();
        self.warnings.push(format!(
            "query has more than {MAX_WORDS} words; the rest were ignored"
        ));
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
            "lang" => Some(FieldName::Lang),
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
        assert_eq!(q.clauses.len(), MAX_WORDS);
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
            assert_eq!(terms(&q.clauses), MAX_WORDS);
            assert!(q.warnings.len() <= MAX_WARNINGS, "{:?}", q.warnings);
        }
        // Words count across phrases: a 20,000-word phrase is cut at the
        // budget, and so is one that starts after other words.
        let long = format!("\"{}\"", "word ".repeat(2_000));
        let q = parse(&long);
        assert_eq!(
            q.clauses[0].node,
            Node::Phrase(vec!["word"; MAX_WORDS].join(" "))
        );
        assert_eq!(q.warnings.len(), 1, "{:?}", q.warnings);
        let q = parse(&format!("one two {long} three"));
        assert_eq!(q.clauses.len(), 3);
        assert_eq!(
            q.clauses[2].node,
            Node::Phrase(vec!["word"; MAX_WORDS - 2].join(" "))
        );
        // Past MAX_CHARS, the query is cut before it is read.
        let q = parse(&"x".repeat(10 * MAX_CHARS));
        assert!(q.warnings[0].contains("longer than"), "{:?}", q.warnings);
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

//! States: mentions weighted by where they stand (headline, dateline,
//! opening, body, lists), so that a state named in passing does not count.

use super::lists::LineLists;
use super::places::{is_dateline, is_prefecture_use, Mention};
use super::{Document, Zone};
use crate::taxonomy::{Place, Taxonomy};

/// Points a state needs to count: two ordinary mentions, or one in the
/// headline, dateline, opening paragraph or a list item of its own.
const STATE_MIN_SCORE: f32 = 2.0;
/// A state far behind the main one is a passing mention.
const STATE_MIN_SHARE: f32 = 0.15;

pub(super) fn find_states(
    doc: &Document<'_>,
    mentions: &[Mention],
    lists: &LineLists<'_>,
    taxonomy: &Taxonomy,
) -> Vec<String> {
    let states = taxonomy.state_entries();
    let mut scores = vec![0f32; states.len()];
    let first_opening = doc.lines.iter().position(|l| l.zone == Zone::Opening);
    for m in mentions {
        let (i, kind) = match m.target {
            Place::StateName(i) | Place::StateCode(i) => (i, 1.0),
            Place::StateCity(i) => (i, 1.0),
            Place::StateWeak(i) => (i, 0.3),
            _ => continue,
        };
        let line = &doc.lines[m.line];
        if is_prefecture_use(line.text, m.start, m.end, m.target, taxonomy) {
            continue;
        }
        let mut w = match line.zone {
            Zone::Title => 3.0,
            Zone::Opening | Zone::Heading => 2.0,
            Zone::Body => 1.0,
            Zone::Meta => 0.0,
        };
        if Some(m.line) == first_opening && m.start < 40 && is_dateline(line.text, m.end) {
            w += 1.0;
        }
        if lists.in_enumeration(m.line, m.start) {
            w *= 0.25;
        }
        if let Some(s) = scores.get_mut(i) {
            *s += w * kind;
        }
    }
    let top = scores.iter().copied().fold(0f32, f32::max);
    let mut out: Vec<String> = states
        .iter()
        .zip(&scores)
        .filter(|(_, s)| **s >= STATE_MIN_SCORE && **s >= top * STATE_MIN_SHARE)
        .map(|(st, _)| st.name.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

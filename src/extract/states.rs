//! States: mentions weighted by where they stand (headline, dateline,
//! opening, body, lists), so that a state named in passing does not count.
//! The weights and thresholds are `[extraction]` rules.

use super::lists::LineLists;
use super::places::{is_dateline, is_prefecture_use, Mention};
use super::{Choice, Document, Zone};
use crate::taxonomy::{Place, Taxonomy};

/// The states an article is about, and (with `explain`) every candidate.
pub(super) fn find_states(
    doc: &Document<'_>,
    mentions: &[Mention],
    lists: &LineLists<'_>,
    taxonomy: &Taxonomy,
    explain: bool,
) -> (Vec<String>, Vec<Choice>) {
    let rules = &taxonomy.rules().extraction;
    let states = taxonomy.state_entries();
    let mut scores = vec![0f32; states.len()];
    // Points from the dateline alone, per state.
    let mut dateline = vec![0f32; states.len()];
    let mut evidence: Vec<Vec<String>> = vec![Vec::new(); if explain { states.len() } else { 0 }];
    let first_opening = doc.lines.iter().position(|l| l.zone == Zone::Opening);
    for m in mentions {
        let (i, kind) = match m.target {
            Place::StateName(i) | Place::StateCode(i) | Place::StateCity(i) => (i, 1.0),
            Place::StateWeak(i) => (i, rules.weak_place),
            _ => continue,
        };
        let line = &doc.lines[m.line];
        if is_prefecture_use(line.text, m.start, m.end, m.target, taxonomy) {
            continue;
        }
        let mut w = line.zone.weight(&rules.state_zones);
        let at_dateline =
            Some(m.line) == first_opening && m.start < 40 && is_dateline(line.text, m.end);
        if at_dateline {
            w += rules.dateline_bonus;
        }
        let listed = lists.in_enumeration(m.line, m.start);
        if listed {
            w *= rules.state_zones.list;
        }
        let passing = line.zone != Zone::Title && in_passing(line.text, m.start, m.end, taxonomy);
        if passing {
            w *= rules.weak_place;
        }
        let points = w * kind;
        if let Some(s) = scores.get_mut(i) {
            *s += points;
        }
        if at_dateline {
            dateline[i] += points;
        }
        if let Some(e) = evidence.get_mut(i) {
            let matched = line.text.get(m.start..m.end).unwrap_or("");
            let mut note = Choice::mention(matched, line, points);
            if at_dateline {
                note.push_str(" (dateline)");
            }
            if listed {
                note.push_str(" (one item of a list)");
            }
            if passing {
                note.push_str(" (in passing: an office's seat or a comparison)");
            }
            e.push(note);
        }
    }
    // A dateline says where the story was filed ("Chandigarh, Nov 15"): when
    // another state is the subject and the dateline's state is named nowhere
    // else, the dateline alone does not make it a subject.
    // "Another state is the subject": it scores, without any dateline, at
    // least the threshold and more than the dateline gives this one.
    let others_lead = |i: usize| {
        scores.iter().enumerate().any(|(j, s)| {
            let own = *s - dateline[j];
            j != i && own >= rules.state_min_score && own > scores[i]
        })
    };
    let mut dateline_only = vec![false; states.len()];
    for i in 0..states.len() {
        if dateline[i] > 0.0 && scores[i] - dateline[i] <= 0.0 && others_lead(i) {
            dateline_only[i] = true;
        }
    }
    for (i, only) in dateline_only.iter().enumerate() {
        if *only {
            scores[i] = 0.0;
            if let Some(e) = evidence.get_mut(i) {
                e.push("named only in the dateline while another state is the subject".into());
            }
        }
    }
    let top = scores.iter().copied().fold(0f32, f32::max);
    let chosen = |s: f32| s >= rules.state_min_score && s >= top * rules.state_min_share;
    super::choose(states.len(), |i| &states[i].name, &scores, evidence, chosen)
}

/// Whether the name at `start..end` is named in passing: an office's seat or
/// the other side of a comparison (`passing_place_cues_before`/`_after`). A
/// headline names its subject, so the caller skips this there.
fn in_passing(text: &str, start: usize, end: usize, taxonomy: &Taxonomy) -> bool {
    let re = taxonomy.rules().compiled();
    let before = super::text_before(text, start, 80);
    let after = super::text_after(text, end, 80);
    re.passing_before.is_match(before) || re.passing_after.is_match(after)
}

//! Near-duplicate wire copy: the same agency story (ANI, PTI…) reprinted by
//! several sites with small edits.
//!
//! Each article gets a MinHash signature over its word 3-shingles: the share
//! of equal entries in two signatures estimates the Jaccard similarity of the
//! two shingle sets. Articles with an estimate of at least [`THRESHOLD`] are
//! near-duplicates. Candidates are found by locality-sensitive hashing: the
//! signature is cut into [`BANDS`] bands, and two articles are compared only
//! when some band is equal (an indexed term), so no step compares every pair.
//!
//! Groups ([`leaders`]) never chain: taken in the order of their ids, an
//! article joins the first group all of whose members it is a
//! near-duplicate of, or leads a group of its own. Every two articles of a
//! group are near-duplicates, the group's id is its leader's (its smallest
//! id), and the groups depend only on the set of articles, not on the order
//! they were indexed in.

use std::collections::{BTreeMap, HashMap};

/// Words per shingle.
pub const SHINGLE: usize = 3;
/// Entries of a signature.
pub const SIGNATURE: usize = 32;
/// Bands for candidate search: 8 bands of 4 entries find a pair with
/// similarity 0.7 with probability 0.89, and 0.8 with 0.99.
pub const BANDS: usize = 8;
const ROWS: usize = SIGNATURE / BANDS;
/// Estimated Jaccard similarity from which two articles are the same story.
/// Measured on the test fixtures: a reprint with a new headline, dateline and
/// a few changed words scores 0.6–0.9; another story on the same event, 0.0–0.1.
pub const THRESHOLD: f64 = 0.5;

/// Texts with fewer words than this have no signature worth comparing (an
/// empty or junk-only body): they are near-duplicates of nothing.
pub const MIN_WORDS: usize = 8;

/// A MinHash signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature(pub [u32; SIGNATURE]);

/// Odd multipliers and offsets of the hash permutations (fixed: signatures
/// must be the same on every machine and every run).
const fn permutation(i: usize) -> (u64, u64) {
    let a = 0x9E37_79B9_7F4A_7C15u64.wrapping_mul(2 * i as u64 + 1) | 1;
    let b = 0xD1B5_4A32_D192_ED03u64.wrapping_mul(i as u64 + 7);
    (a, b)
}

/// The permutations' multipliers and offsets, computed at compile time and
/// kept in two arrays so that the per-shingle loop vectorizes.
const MULTIPLIERS: [u64; SIGNATURE] = permutation_table(0);
const OFFSETS: [u64; SIGNATURE] = permutation_table(1);

const fn permutation_table(part: usize) -> [u64; SIGNATURE] {
    let mut table = [0; SIGNATURE];
    let mut i = 0;
    while i < SIGNATURE {
        let (a, b) = permutation(i);
        table[i] = if part == 0 { a } else { b };
        i += 1;
    }
    table
}

/// The signature of `text`; a text of fewer than [`MIN_WORDS`] words gets
/// all-ones, which is a near-duplicate of nothing (see [`Signature::is_blank`]).
pub fn signature(text: &str) -> Signature {
    // Each word is hashed once (lowercased); a shingle's hash combines its
    // words' hashes, so no shingle string is ever built.
    let mut lower = String::new();
    let words: Vec<u64> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            lower.clear();
            if w.is_ascii() {
                // The same bytes as the per-char lowercasing below, faster.
                lower.push_str(w);
                lower.make_ascii_lowercase();
            } else {
                lower.extend(w.chars().flat_map(char::to_lowercase));
            }
            xxhash_rust::xxh3::xxh3_64(lower.as_bytes())
        })
        .collect();
    let mut sig = [u32::MAX; SIGNATURE];
    if words.len() < MIN_WORDS {
        return Signature(sig);
    }
    let n = words.len().saturating_sub(SHINGLE - 1).max(1);
    for i in 0..n {
        let end = (i + SHINGLE).min(words.len());
        let h = words[i..end]
            .iter()
            .fold(0x51_7C_C1_B7_27_22_0A_95u64, |acc, w| {
                (acc.rotate_left(23) ^ w).wrapping_mul(0x9E37_79B9_7F4A_7C15)
            });
        for k in 0..SIGNATURE {
            let v = (h.wrapping_mul(MULTIPLIERS[k]).wrapping_add(OFFSETS[k]) >> 32) as u32;
            sig[k] = sig[k].min(v);
        }
    }
    Signature(sig)
}

impl Signature {
    /// Estimated Jaccard similarity.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let equal = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        equal as f64 / SIGNATURE as f64
    }

    pub fn is_duplicate(&self, other: &Signature) -> bool {
        !self.is_blank() && !other.is_blank() && self.similarity(other) >= THRESHOLD
    }

    /// The signature of a text too short to compare.
    pub fn is_blank(&self) -> bool {
        self.0.iter().all(|&v| v == u32::MAX)
    }

    /// Band terms: the band number in the top byte, a hash of its rows
    /// below; none for a blank signature.
    pub fn bands(&self) -> impl Iterator<Item = u64> + '_ {
        let rows = if self.is_blank() {
            &[][..]
        } else {
            &self.0[..]
        };
        rows.chunks(ROWS).enumerate().map(|(b, rows)| {
            let bytes: Vec<u8> = rows.iter().flat_map(|r| r.to_le_bytes()).collect();
            (b as u64) << 56 | (xxhash_rust::xxh3::xxh3_64(&bytes) & 0x00FF_FFFF_FFFF_FFFF)
        })
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Signature> {
        if bytes.len() != SIGNATURE * 4 {
            return None;
        }
        let mut sig = [0u32; SIGNATURE];
        for (slot, chunk) in sig.iter_mut().zip(bytes.chunks_exact(4)) {
            *slot = u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        }
        Some(Signature(sig))
    }
}

/// The near-duplicate groups of `items` (article id, signature): for each
/// article in a group of two or more, its group's leader (the group's
/// smallest id, its own for the leader). Taken in id order, an article joins
/// the first group (by leader) all of whose members it is a near-duplicate
/// of (candidates share a band with a member), or leads a new one. Groups
/// never chain: every two members are near-duplicates, and the result
/// depends only on the set of items.
pub fn leaders(items: &[(u64, Signature)]) -> BTreeMap<u64, u64> {
    struct Group {
        leader: usize,
        /// The members' distinct signatures: a copy whose signature equals
        /// a member's is a near-duplicate of the same articles.
        distinct: Vec<Signature>,
    }
    let mut order: Vec<&(u64, Signature)> = items.iter().collect();
    order.sort_by_key(|(aid, _)| *aid);
    order.dedup_by_key(|(aid, _)| *aid);
    let mut groups: Vec<Group> = Vec::new();
    // Band -> groups with a member holding it, in leader order.
    let mut by_band: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut group_of: Vec<usize> = Vec::with_capacity(order.len());
    for (i, (_, sig)) in order.iter().enumerate() {
        let mut candidates: Vec<usize> = sig
            .bands()
            .filter_map(|b| by_band.get(&b))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let joined = candidates
            .into_iter()
            .find(|&g| groups[g].distinct.iter().all(|m| m.is_duplicate(sig)));
        let g = joined.unwrap_or_else(|| {
            groups.push(Group {
                leader: i,
                distinct: Vec::new(),
            });
            groups.len() - 1
        });
        if !groups[g].distinct.contains(sig) {
            groups[g].distinct.push(*sig);
            for b in sig.bands() {
                let held = by_band.entry(b).or_default();
                if held.last() != Some(&g) {
                    held.push(g);
                    held.sort_unstable();
                    held.dedup();
                }
            }
        }
        group_of.push(g);
    }
    let mut size = vec![0usize; groups.len()];
    for &g in &group_of {
        size[g] += 1;
    }
    group_of
        .iter()
        .enumerate()
        .filter(|(_, &g)| size[g] > 1)
        .map(|(i, &g)| (order[i].0, order[groups[g].leader].0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "New Delhi, March 3 (PTI): Japan will invest in a semiconductor \
        plant in Gujarat, the Union minister said on Monday. The plant, to be built with a \
        Japanese partner, will make chips for cars and phones and employ about 2,000 people. \
        The minister said talks with three more Japanese companies were at an advanced stage \
        and that the state would offer land and power at concessional rates. Officials said \
        the first phase would be completed by 2027 and the second by 2029, subject to approvals.
        The project is part of a wider push to bring chip assembly and testing to India, \
        where demand for electronics has grown quickly over the past decade. Industry groups \
        welcomed the announcement but said the country still lacked a deep base of component \
        suppliers, chemicals and specialised gases that fabs need to run without interruption.
        The Japanese partner, which already runs two plants in southern India, said it would \
        train local engineers at its facilities in Kumamoto before the Gujarat line starts. \
        State officials said a township with housing, schools and a hospital would be built \
        next to the plant, and that a new road would link the site to the Ahmedabad highway.
        Opposition leaders questioned the incentives offered to the company and asked the \
        government to publish the terms of the agreement, including the subsidy on power and \
        water, before the cabinet approves the final investment later this year.";

    #[test]
    fn reprints_are_close_and_other_stories_far() {
        let a = signature(STORY);
        let edited = STORY
            .replace("New Delhi, March 3 (PTI):", "NEW DELHI:")
            .replace("about 2,000", "nearly 2,000")
            .replace("Officials said", "Officials added");
        let b = signature(&format!("Japan to invest in Gujarat chip plant\n{edited}"));
        let other = signature(
            "Gandhinagar, March 4: Gujarat signed an agreement with a Japanese company for a \
             semiconductor plant on Tuesday, a day after the Union minister announced the \
             investment. The state will offer land and power at concessional rates and build a \
             township next to the plant. Officials said the company would train engineers in \
             Japan and that the first phase would start production in 2027. Industry groups said \
             the state must now attract suppliers of chemicals and gases, and the opposition \
             asked the government to publish the terms of the agreement and the subsidies.",
        );
        assert!(a.is_duplicate(&b), "similarity {}", a.similarity(&b));
        assert!(
            !a.is_duplicate(&other),
            "similarity {}",
            a.similarity(&other)
        );
        let g = leaders(&[(3, other), (2, b), (1, a)]);
        assert_eq!(g, BTreeMap::from([(1, 1), (2, 1)]));
    }

    /// Signatures are stored in indexes and compared across rebuilds: these
    /// values, from before the ASCII fast path and the permutation tables,
    /// must never change.
    #[test]
    fn signature_values_are_pinned() {
        let mixed = "New Delhi, March 3 (PTI): Japan's Über-ÉLAN chips; ΣΟΦΙΑΣ Straße \
                     İstanbul 2024 a b c, the plant's DEAL.";
        assert_eq!(
            signature(mixed).0,
            [
                42301910, 86798637, 251662223, 217611628, 42913481, 86894825, 74105355, 414585633,
                13492359, 1556262, 74239946, 104060777, 68698687, 378289444, 72905705, 116653159,
                865512321, 540038207, 65686329, 110435164, 25525211, 314840839, 458751109,
                102953527, 193538178, 27311881, 1308842941, 52195686, 86145273, 19411395,
                347976556, 115463193
            ]
        );
        // Fewer than MIN_WORDS words: blank.
        assert!(signature("one two").is_blank());
    }

    #[test]
    fn signatures_round_trip_and_identical_texts_share_every_band() {
        let a = signature(STORY);
        assert_eq!(Signature::from_bytes(&a.to_bytes()), Some(a));
        assert_eq!(Signature::from_bytes(&[1, 2, 3]), None);
        let b = signature(&STORY.to_uppercase());
        assert_eq!(a.bands().collect::<Vec<_>>(), b.bands().collect::<Vec<_>>());
        // Empty and junk-only bodies are near-duplicates of nothing, not
        // of each other.
        assert!(!signature("").is_duplicate(&signature("")));
        assert!(!signature("Share this").is_duplicate(&signature("Share this")));
        assert!(!signature("").is_duplicate(&a));
        assert_eq!(signature("").bands().count(), 0);
    }

    /// A chain a ≈ b ≈ c with a and c far apart never makes one group,
    /// whichever leads.
    #[test]
    fn groups_never_chain() {
        // b shares entries 0-19 with a; c shares 8-31 with b, only 8-19
        // with a.
        let a = Signature(std::array::from_fn(|i| i as u32));
        let b = Signature(std::array::from_fn(|i| {
            if i < 20 {
                i as u32
            } else {
                100 + i as u32
            }
        }));
        let c = Signature(std::array::from_fn(|i| {
            if i < 8 {
                200 + i as u32
            } else {
                b.0[i]
            }
        }));
        assert!(a.is_duplicate(&b) && b.is_duplicate(&c));
        assert!(!a.is_duplicate(&c), "{}", a.similarity(&c));
        // In any order of the input, by id: a (1) leads, b (2) joins it,
        // c (3) is a near-duplicate of no leader.
        for items in [vec![(1, a), (2, b), (3, c)], vec![(3, c), (2, b), (1, a)]] {
            assert_eq!(leaders(&items), BTreeMap::from([(1, 1), (2, 1)]));
        }
        // With b first, b leads and a joins it; c is not a near-duplicate
        // of a, so it stays out.
        let g = leaders(&[(5, a), (4, b), (6, c)]);
        assert_eq!(g, BTreeMap::from([(4, 4), (5, 4)]));
        // Exact copies all join.
        let g = leaders(&[(9, a), (7, a), (8, a)]);
        assert_eq!(g, BTreeMap::from([(7, 7), (8, 7), (9, 7)]));
    }
}

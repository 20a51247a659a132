//! Near-duplicate wire copy: the same agency story (ANI, PTI…) reprinted by
//! several sites with small edits.
//!
//! Each article gets a MinHash signature over its word 3-shingles: the share
//! of equal entries in two signatures estimates the Jaccard similarity of the
//! two shingle sets. Articles with an estimate of at least [`THRESHOLD`] are
//! near-duplicates. Candidates are found by locality-sensitive hashing: the
//! signature is cut into [`BANDS`] bands, and two articles are compared only
//! when some band is equal (an indexed term), so no step compares every pair.

use std::collections::HashMap;

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

/// The signature of `text`; an empty text gets all-ones, equal to nothing real.
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
    if words.is_empty() {
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
        self.similarity(other) >= THRESHOLD
    }

    /// Band terms: the band number in the top byte, a hash of its rows below.
    pub fn bands(&self) -> impl Iterator<Item = u64> + '_ {
        self.0.chunks(ROWS).enumerate().map(|(b, rows)| {
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

/// Groups of near-duplicates among `items` (path, signature): connected
/// components of the near-duplicate relation, each sorted by path, the groups
/// sorted by their first path; articles without a twin are left out. The same
/// items always give the same groups.
pub fn groups(items: &[(String, Signature)]) -> Vec<Vec<String>> {
    let mut parent: Vec<usize> = (0..items.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, (_, sig)) in items.iter().enumerate() {
        for band in sig.bands() {
            buckets.entry(band).or_default().push(i);
        }
    }
    for members in buckets.values() {
        for (k, &a) in members.iter().enumerate() {
            for &b in &members[k + 1..] {
                if items[a].1.is_duplicate(&items[b].1) {
                    let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
                    if ra != rb {
                        parent[ra.max(rb)] = ra.min(rb);
                    }
                }
            }
        }
    }
    let mut by_root: HashMap<usize, Vec<String>> = HashMap::new();
    for (i, (path, _)) in items.iter().enumerate() {
        let r = root(&mut parent, i);
        by_root.entry(r).or_default().push(path.clone());
    }
    let mut out: Vec<Vec<String>> = by_root.into_values().filter(|g| g.len() > 1).collect();
    for g in &mut out {
        g.sort();
    }
    out.sort();
    out
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
        let g = groups(&[
            ("c.txt".into(), other),
            ("b.txt".into(), b),
            ("a.txt".into(), a),
        ]);
        assert_eq!(g, vec![vec!["a.txt".to_string(), "b.txt".to_string()]]);
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
        assert_eq!(
            signature("one two").0,
            [
                1994554780, 3195188290, 100854503, 1301488012, 2502121522, 3702755031, 608421244,
                1809054754, 3009688263, 4210321772, 1115987986, 2316621495, 3517255004, 422921218,
                1623554727, 2824188236, 4024821746, 930487959, 2131121468, 3331754978, 237421191,
                1438054700, 2638688210, 3839321719, 744987932, 1945621442, 3146254951, 51921164,
                1252554674, 2453188183, 3653821692, 559487906
            ]
        );
    }

    #[test]
    fn signatures_round_trip_and_identical_texts_share_every_band() {
        let a = signature(STORY);
        assert_eq!(Signature::from_bytes(&a.to_bytes()), Some(a));
        assert_eq!(Signature::from_bytes(&[1, 2, 3]), None);
        let b = signature(&STORY.to_uppercase());
        assert_eq!(a.bands().collect::<Vec<_>>(), b.bands().collect::<Vec<_>>());
        assert_eq!(signature("").similarity(&signature("")), 1.0);
        assert!(!signature("").is_duplicate(&a));
    }
}

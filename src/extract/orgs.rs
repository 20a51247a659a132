//! Organisations named in the title or body (canonical names from the
//! taxonomy's `[[org]]` entries).

use crate::taxonomy::Taxonomy;

/// Organisations named in the title or body.
pub(super) fn find_orgs(title: Option<&str>, body: &str, taxonomy: &Taxonomy) -> Vec<String> {
    let mut orgs = taxonomy.find_orgs(body);
    if let Some(title) = title {
        orgs.extend(taxonomy.find_orgs(title));
        orgs.sort();
        orgs.dedup();
    }
    orgs
}

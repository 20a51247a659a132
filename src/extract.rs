//! Metadata extraction (stub).
use crate::article::Metadata;
use crate::taxonomy::Taxonomy;
pub fn extract(
    title: Option<&str>,
    body: &str,
    _taxonomy: &Taxonomy,
    _today: chrono::NaiveDate,
) -> Metadata {
    Metadata {
        title: title
            .map(str::to_string)
            .unwrap_or_else(|| body.lines().next().unwrap_or("").to_string()),
        ..Metadata::default()
    }
}

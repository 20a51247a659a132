//! Junk removal (stub; see the extraction work).
pub fn clean(text: &str) -> String {
    text.to_string()
}

//! Plain text: one paragraph per non-blank line, as scrapers write it.

/// Plain text: one paragraph per non-blank line, as scrapers write it.
pub(super) fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let line = line.trim();
        if !line.is_empty() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

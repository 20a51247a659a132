//! Plain text: one paragraph per non-blank line, as scrapers write it, and
//! the scraper's `date YYYY-MM-DD` stamp in front of the first line.

use chrono::NaiveDate;

use super::{publication_date, DateError};

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

/// A text with the scraper's stamp lifted off.
pub(super) struct Stamped<'a> {
    pub text: &'a str,
    /// The stamp's date: `None` without a stamp, an error for a stamp that
    /// names no real publication day.
    pub date: Option<Result<NaiveDate, DateError>>,
}

/// Lifts the scraper's ` date YYYY-MM-DD` stamp off the start of `text`: it is
/// metadata, read here once, so that neither cleaning, extraction nor the
/// passages see it.
pub(super) fn lift_stamp(text: &str) -> Stamped<'_> {
    let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let Some(rest) = trimmed.strip_prefix("date ") else {
        return Stamped { text, date: None };
    };
    let rest = rest.trim_start_matches([' ', '\t']);
    let b = rest.as_bytes();
    let shaped = b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        })
        && b.get(10).is_none_or(|c| c.is_ascii_whitespace());
    if !shaped {
        return Stamped { text, date: None };
    }
    Stamped {
        text: &rest[10..],
        date: Some(publication_date(&rest[..10])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stamp_is_lifted_once() {
        let s = lift_stamp(" date 2023-05-30 Goa opens a port\n\nBody.\n");
        assert_eq!(s.text, " Goa opens a port\n\nBody.\n");
        assert_eq!(
            s.date,
            Some(Ok(NaiveDate::from_ymd_opt(2023, 5, 30).unwrap()))
        );
        let s = lift_stamp("date 2025-02-31\nBody.\n");
        assert_eq!(s.date, Some(Err(DateError::NoSuchDay("2025-02-31".into()))));
        for plain in [
            "dated 2023-05-30 x",
            "date 2023-5-30 x",
            "Body date 2023-05-30",
            "date 2023-05-301",
        ] {
            let s = lift_stamp(plain);
            assert_eq!((s.text, s.date), (plain, None), "{plain}");
        }
    }
}

//! Terminal-safe text. Nothing read from a scraped page or a file name may
//! move the cursor, clear the screen, retitle the window, print a hyperlink,
//! reorder a line (bidi overrides) or split one. Human output therefore shows
//! every control character and every bidi control visibly, as `less` and
//! `cat -v` do: C0 controls and DEL in caret notation (`^[`, `^M`, `^?`), C1
//! controls, bidi embeddings, overrides and isolates and the Unicode line and
//! paragraph separators as `<U+202E>`.
//!
//! Two layers: [`Terminal`] wraps every human printer's output and renders
//! everything but the newlines the printers write themselves; [`line`] is for
//! one-line fields (paths, titles, labels, urls, messages), where a newline
//! from the data must not start a line either. `--json` keeps its strings
//! exact ([`super::json::write_line`] only adds `\u` escapes).

use std::borrow::Cow;
use std::io::{self, Write};

use termcolor::{ColorSpec, WriteColor};
use unicode_width::UnicodeWidthStr;

/// Widest label (state, sector, organisation, series) a chart prints, in
/// columns: longer ones are cut with `…`, so that one invented 50,000-
/// character state cannot pad every line of `stats` to 50,000 columns.
pub const LABEL_COLUMNS: usize = 40;

/// True for the characters human output never prints as they are: C0 and
/// C1 controls, DEL, the bidi embeddings, overrides and isolates (the
/// "Trojan Source" set) and the line and paragraph separators. A newline
/// passes only when `keep_newline` is set.
pub fn is_unsafe(c: char, keep_newline: bool) -> bool {
    match c {
        '\n' => !keep_newline,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}' => true,
        c => c.is_control(),
    }
}

/// How `c` is shown: `^X` for C0 controls and DEL, `<U+XXXX>` otherwise.
fn render(c: char, out: &mut String) {
    let code = u32::from(c);
    if code < 0x20 {
        out.push('^');
        out.push(char::from(b'@' + code as u8));
    } else if code == 0x7f {
        out.push_str("^?");
    } else {
        out.push_str(&format!("<U+{code:04X}>"));
    }
}

fn visible(text: &str, keep_newline: bool) -> Cow<'_, str> {
    if !text.chars().any(|c| is_unsafe(c, keep_newline)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c, keep_newline) {
            render(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` as one safe line: every control character, newlines included,
/// shown visibly.
pub fn line(text: &str) -> Cow<'_, str> {
    visible(text, false)
}

/// Columns `text` takes once made safe with [`line`].
pub fn width(text: &str) -> usize {
    line(text).width()
}

/// `text` made safe with [`line`] and cut to at most `columns` columns, with
/// `…` where it was cut.
pub fn clip(text: &str, columns: usize) -> Cow<'_, str> {
    let safe = line(text);
    if safe.width() <= columns {
        return safe;
    }
    let mut out = String::new();
    let mut used = 0;
    for c in safe.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > columns {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    Cow::Owned(out)
}

/// A human printer's output: text written through it has every control
/// character but the newline shown visibly (and bytes that are not UTF-8 as
/// `\xHH`); colours set through [`WriteColor`] go to the inner writer as
/// they are.
pub struct Terminal<W> {
    inner: W,
}

impl<W: WriteColor> Terminal<W> {
    pub fn new(inner: W) -> Terminal<W> {
        Terminal { inner }
    }

    /// The inner writer, for output that must stay exact (`--json`).
    pub fn raw(&mut self) -> &mut W {
        &mut self.inner
    }

    pub fn into_inner(self) -> W {
        self.inner
    }
}

impl<W: WriteColor> Write for Terminal<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut safe = String::new();
        for chunk in buf.utf8_chunks() {
            safe.push_str(&visible(chunk.valid(), true));
            for byte in chunk.invalid() {
                safe.push_str(&format!("\\x{byte:02x}"));
            }
        }
        self.inner.write_all(safe.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: WriteColor> WriteColor for Terminal<W> {
    fn supports_color(&self) -> bool {
        self.inner.supports_color()
    }

    fn set_color(&mut self, spec: &ColorSpec) -> io::Result<()> {
        self.inner.set_color(spec)
    }

    fn reset(&mut self) -> io::Result<()> {
        self.inner.reset()
    }

    fn is_synchronous(&self) -> bool {
        self.inner.is_synchronous()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_shown() {
        assert_eq!(
            line("a\u{1b}]0;pwned\u{7}b\r\u{8}\n\t\u{7f}"),
            "a^[]0;pwned^Gb^M^H^J^I^?"
        );
        assert_eq!(
            line("x\u{202e}y\u{2066}\u{9b}"),
            "x<U+202E>y<U+2066><U+009B>"
        );
        // Marks (LRM) and joiners belong to the text of many scripts.
        assert_eq!(
            line("Kochi — 日本 \u{200e}ज\u{200d}"),
            "Kochi — 日本 \u{200e}ज\u{200d}"
        );
        assert!(matches!(line("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn clip_cuts_at_columns() {
        let long = "x".repeat(50_000);
        let cut = clip(&long, LABEL_COLUMNS);
        assert_eq!(cut.width(), LABEL_COLUMNS);
        assert!(cut.ends_with('…'));
        assert_eq!(clip("Goa", LABEL_COLUMNS), "Goa");
        assert!(clip("日本日本日本", 5).width() <= 5);
    }

    #[test]
    fn terminal_keeps_newlines_and_colours() {
        let mut out = Terminal::new(termcolor::Buffer::ansi());
        out.set_color(ColorSpec::new().set_bold(true)).unwrap();
        writeln!(out, "t\u{1b}[2J\u{202e}").unwrap();
        out.write_all(b"\xff\n").unwrap();
        out.reset().unwrap();
        let text = String::from_utf8(out.into_inner().into_inner()).unwrap();
        assert_eq!(text, "\u{1b}[0m\u{1b}[1mt^[[2J<U+202E>\n\\xff\n\u{1b}[0m");
    }
}

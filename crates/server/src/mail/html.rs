//! The HTML alternative of an e-mail, made from its plain text so the two always say the
//! same: paragraphs, lists (lines starting with `- `), and every URL a link whose text is
//! the whole URL (never cut, whatever the client's width).

/// Escapes text for HTML.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// One line, escaped, with its URLs as links.
fn line(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            if word.starts_with("https://") || word.starts_with("http://") {
                let url = escape(word);
                format!("<a href=\"{url}\" style=\"word-break:break-all\">{url}</a>")
            } else {
                escape(word)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The HTML document of a plain-text e-mail in language `lang`.
pub fn from_text(text: &str, lang: &str) -> String {
    let mut body = String::new();
    for paragraph in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
        let mut lines: Vec<String> = Vec::new();
        let mut items: Vec<String> = Vec::new();
        let flush = |lines: &mut Vec<String>, items: &mut Vec<String>, body: &mut String| {
            if !lines.is_empty() {
                body.push_str(&format!("<p>{}</p>\n", lines.join("<br>\n")));
                lines.clear();
            }
            if !items.is_empty() {
                body.push_str(&format!(
                    "<ul>\n<li>{}</li>\n</ul>\n",
                    items.join("</li>\n<li>")
                ));
                items.clear();
            }
        };
        for l in paragraph.lines() {
            match l.trim_start().strip_prefix("- ") {
                Some(item) => {
                    if !lines.is_empty() {
                        flush(&mut lines, &mut Vec::new(), &mut body);
                    }
                    items.push(line(item));
                }
                None => {
                    if !items.is_empty() {
                        flush(&mut Vec::new(), &mut items, &mut body);
                    }
                    lines.push(line(l.trim()));
                }
            }
        }
        flush(&mut lines, &mut items, &mut body);
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"></head>\n<body style=\"font-family:sans-serif;line-height:1.5\">\n{body}</body></html>\n",
        escape(lang)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lists_and_whole_links() {
        let long = format!("https://cpor.example/consent/{}", "x".repeat(120));
        let text = format!(
            "Hello <Ana> & co,\nsecond line\n\nClaimed:\n  - Teams\n  - Intune\n\nOpen:\n  {long}\n"
        );
        let html = from_text(&text, "fr");
        assert!(html.contains("<html lang=\"fr\">"));
        assert!(html.contains("<p>Hello &lt;Ana&gt; &amp; co,<br>\nsecond line</p>"));
        assert!(html.contains("<ul>\n<li>Teams</li>\n<li>Intune</li>\n</ul>"));
        assert!(html.contains(&format!("<a href=\"{long}\"")), "{html}");
        assert!(
            html.contains(&format!(">{long}</a>")),
            "the whole URL is the link's text"
        );
    }
}

//! Text clean-up: lines, paragraphs, HTML in descriptions, slugs and lists of names.

use crate::model::Person;

/// The text with non-breaking spaces as spaces, runs of white space as one space, trimmed.
pub(crate) fn clean_line(text: &str) -> String {
    let mut cleaned = String::with_capacity(text.len());
    for word in text
        .split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|word| !word.is_empty())
    {
        if !cleaned.is_empty() {
            cleaned.push(' ');
        }
        cleaned.push_str(word);
    }
    cleaned
}

/// A cleaned line, or `None` when nothing is left.
pub(crate) fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(clean_line).filter(|text| !text.is_empty())
}

/// Paragraphs as the model keeps them: separated by one blank line, each on one line. Exports
/// wrap lines at 72 or 80 columns and end them with CR LF; a single line break inside a
/// paragraph is a space. `None` when no text is left.
pub(crate) fn paragraphs(text: &str) -> Option<String> {
    let mut result = String::new();
    let mut paragraph = String::new();
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    for line in normalized.split('\n') {
        let line = clean_line(line);
        if line.is_empty() {
            flush_paragraph(&mut result, &mut paragraph);
            continue;
        }
        if !paragraph.is_empty() {
            paragraph.push(' ');
        }
        paragraph.push_str(&line);
    }
    flush_paragraph(&mut result, &mut paragraph);
    (!result.is_empty()).then_some(result)
}

/// An event's abstract in paragraphs; its description when the abstract is missing or blank.
pub(crate) fn abstract_or_description(
    abstract_text: Option<&str>,
    description: Option<&str>,
) -> Option<String> {
    abstract_text
        .and_then(paragraphs)
        .or_else(|| description.and_then(paragraphs))
}

fn flush_paragraph(result: &mut String, paragraph: &mut String) {
    if paragraph.is_empty() {
        return;
    }
    if !result.is_empty() {
        result.push_str("\n\n");
    }
    result.push_str(paragraph);
    paragraph.clear();
}

/// HTML elements whose tags are removed from descriptions. Anything else in angle brackets,
/// such as `<branch-name>` in a talk about git, is text and stays.
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "big",
    "blockquote",
    "br",
    "cite",
    "code",
    "del",
    "div",
    "em",
    "font",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "table",
    "td",
    "th",
    "tr",
    "tt",
    "u",
    "ul",
];

/// Tags after which the text continues in a new paragraph.
const HTML_BLOCK_TAGS: &[&str] = &[
    "blockquote",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "ol",
    "p",
    "pre",
    "table",
    "tr",
    "ul",
];

/// Text from HTML: known tags removed (block tags and `<br>` become line breaks, list items
/// start with "- "), character references decoded. Not a full HTML parser: descriptions are
/// small fragments, and text that only looks like a tag is kept.
pub(crate) fn html_to_text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        return html.to_owned();
    }
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(position) = rest.find(['<', '&']) {
        text.push_str(&rest[..position]);
        rest = &rest[position..];
        if rest.starts_with('<') {
            match html_tag(rest) {
                Some((name, length)) => {
                    if name == "br" {
                        text.push('\n');
                    } else if name == "li" {
                        text.push_str("\n- ");
                    } else if HTML_BLOCK_TAGS.contains(&name.as_str()) {
                        text.push_str("\n\n");
                    }
                    rest = &rest[length..];
                }
                None => {
                    text.push('<');
                    rest = &rest[1..];
                }
            }
        } else {
            match character_reference(rest) {
                Some((decoded, length)) => {
                    text.push(decoded);
                    rest = &rest[length..];
                }
                None => {
                    text.push('&');
                    rest = &rest[1..];
                }
            }
        }
    }
    text.push_str(rest);
    text
}

/// A known tag at the start of `text`: its lower-case name and its length in bytes.
fn html_tag(text: &str) -> Option<(String, usize)> {
    let body = text.strip_prefix('<')?;
    let body = body.strip_prefix('/').unwrap_or(body);
    let name_length = body
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(body.len());
    let name = body[..name_length].to_ascii_lowercase();
    if !HTML_TAGS.contains(&name.as_str()) {
        return None;
    }
    let after_name = &body[name_length..];
    if !after_name.starts_with(['>', '/', ' ', '\t', '\n', '\r']) {
        return None;
    }
    // Find the closing `>`, skipping quoted attribute values, which may contain one.
    let mut quote: Option<char> = None;
    for (index, c) in after_name.char_indices() {
        match (quote, c) {
            (Some(open), c) if c == open => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => {
                let consumed = text.len() - after_name.len() + index + 1;
                return Some((name, consumed));
            }
            (None, '<') => return None,
            (None, _) => {}
        }
    }
    None
}

/// A character reference (`&amp;`, `&#8217;`, `&#x2019;`) at the start of `text`: the
/// character and the reference's length in bytes.
fn character_reference(text: &str) -> Option<(char, usize)> {
    // Byte positions, not a slice: the 12th byte may fall inside a character.
    let end = text.bytes().take(12).position(|byte| byte == b';')?;
    let name = &text[1..end];
    let decoded = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse::<u32>().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((decoded, end + 1))
}

/// A title as an id: lower case, each run of characters other than `a-z` and `0-9` as one
/// `-`, no `-` at either end, at most `max_words` words. "The NIC Is the Hypervisor:
/// Bare-Metal Guests" with 6 words is `the-nic-is-the-hypervisor-bare`.
pub fn slug(text: &str, max_words: usize) -> String {
    text.to_lowercase()
        .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit()))
        .filter(|word| !word.is_empty())
        .take(max_words)
        .collect::<Vec<_>>()
        .join("-")
}

/// Names from a list such as "Ada Lovelace, Charles Babbage and Mary Somerville".
pub(crate) fn split_names(text: &str) -> Vec<Person> {
    text.split([',', ';', '&'])
        .flat_map(|part| part.split(" and "))
        .map(clean_line)
        .map(|name| {
            name.strip_prefix("and ")
                .map_or(name.clone(), str::to_owned)
        })
        .filter(|name| !name.is_empty())
        .map(|name| Person {
            name,
            affiliation: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_the_hotos_rule() {
        assert_eq!(
            slug(
                "The NIC Is the Hypervisor: Bare-Metal Guests in IaaS Clouds",
                6
            ),
            "the-nic-is-the-hypervisor-bare"
        );
        assert_eq!(
            slug("-OVERIFY: Optimizing Programs for Fast Verification", 6),
            "overify-optimizing-programs-for-fast-verification"
        );
        assert_eq!(
            slug("Unified High-Performance I/O: One Stack", 6),
            "unified-high-performance-i-o-one"
        );
    }

    #[test]
    fn html_is_stripped_but_text_in_angle_brackets_stays() {
        let html = "<p><a href=\"/x\">Women of Open Technology Breakfast</a>, Presented</p>\n<p><em>Only</em> &amp; more</p>";
        assert_eq!(
            paragraphs(&html_to_text(html)).as_deref(),
            Some("Women of Open Technology Breakfast, Presented\n\nOnly & more")
        );
        assert_eq!(
            html_to_text("run `git newbranch <branch-name>` 3 < 4 &c."),
            "run `git newbranch <branch-name>` 3 < 4 &c."
        );
        assert_eq!(html_to_text("a&#8217;b&#x2019;c"), "a’b’c");
        // A reference-like text followed by multi-byte characters is kept as it is.
        assert_eq!(html_to_text("&¥�.꯱.Ⱥ𞺣"), "&¥�.꯱.Ⱥ𞺣");
    }

    #[test]
    fn paragraphs_join_wrapped_lines() {
        assert_eq!(
            paragraphs("This talk will\r\ncover things.\r\n\r\n  Second\u{a0}one. ").as_deref(),
            Some("This talk will cover things.\n\nSecond one.")
        );
        assert_eq!(paragraphs(" \n \n"), None);
    }
}

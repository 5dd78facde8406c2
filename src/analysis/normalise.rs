//! Normalised artist and title keys, for matching plays to catalogues by name.

/// Words inside brackets, or after a ` - ` suffix, that mark a version of the same recording.
const VERSION_WORDS: [&str; 14] = [
    "remaster",
    "feat",
    "ft.",
    "featuring",
    "with ",
    "bonus",
    "deluxe",
    "mono",
    "stereo",
    "single version",
    "album version",
    "radio edit",
    "explicit",
    "live",
];

/// Whether `s` holds one of [`VERSION_WORDS`] as whole words ("live", not "Oliver").
fn is_version_note(s: &str) -> bool {
    let words: Vec<&str> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    VERSION_WORDS.iter().any(|phrase| {
        let p: Vec<&str> = phrase
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        // "remaster" also stands for "remastered"; the others must match whole.
        words.windows(p.len()).any(|win| {
            win.iter()
                .zip(&p)
                .all(|(w, q)| w == q || (*q == "remaster" && w.starts_with("remaster")))
        })
    })
}

/// Whether `c` is a combining mark (accents written as a separate character, as in the
/// lowercase of "İ", "i\u{307}"): part of the letter before it, not punctuation.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// Lowercases, turns `&` into `and`, replaces punctuation by spaces and collapses spaces.
///
/// The whole text is lowercased first (not character by character), so the key of a text is the
/// key of its lowercase: a word-final "Σ" becomes "ς" as in the lowercase text, and "İ" (in
/// lowercase "i" and a combining dot) keeps its dot instead of splitting the word there.
fn squash(s: &str) -> String {
    let s = s.to_lowercase().replace('&', " and ");
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() || is_combining_mark(c) {
            out.push(c);
        } else if c == '\'' || c == '’' || c == '.' {
            // "don't" = "dont", "st." = "st"
        } else {
            out.push(' ');
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cuts a trailing "feat. X" / "ft. X" / "featuring X" that is not in brackets; returns the
/// rest in lowercase.
///
/// The markers are looked for in the lowercase text and that text is cut: lowercasing changes the
/// UTF-8 length of some characters ("Ⱥ" → "ⱥ", the Kelvin sign → "k"), so a position found in
/// the lowercase text is not a position in the original.
fn cut_featuring(s: &str) -> String {
    let mut lower = s.to_lowercase();
    let cut = [
        " feat. ",
        " feat ",
        " ft. ",
        " featuring ",
        " (feat",
        " [feat",
        " (ft",
        " [ft",
    ]
    .iter()
    .filter_map(|marker| lower.find(marker))
    .min()
    .unwrap_or(lower.len());
    lower.truncate(cut);
    lower
}

/// The key of a track title: version notes in brackets (`(feat. X)`, `[Remastered 2011]`) and
/// after ` - ` (`- Remastered 2009`, `- Live`, `- Radio Edit`) are dropped, featured artists cut,
/// then case and punctuation folded. Remixes stay distinct.
pub fn title_key(title: &str) -> String {
    let mut t = title.to_lowercase();
    // Bracketed notes.
    loop {
        let open = t.rfind(['(', '[']);
        let Some(o) = open else { break };
        let close = t[o..].find([')', ']']).map(|c| o + c);
        let Some(c) = close else { break };
        let inner = &t[o + 1..c];
        if is_version_note(inner) {
            t.replace_range(o..=c, " ");
        } else {
            // Keep it, and stop: earlier brackets are rarely version notes.
            break;
        }
    }
    // Featured artists outside brackets, before the suffixes: in "Song - X Remix feat. Y" the
    // "feat." would make the whole suffix a version note and the remix the original.
    let mut t = cut_featuring(&t);
    // " - " suffixes, repeatedly ("Song - 2011 Remaster - Live").
    while let Some(i) = t.rfind(" - ") {
        if is_version_note(&t[i + 3..]) {
            t.truncate(i);
        } else {
            break;
        }
    }
    squash(&t)
}

/// The key of an artist credit: the first of a `,`- or `;`-separated list, featured artists cut,
/// case and punctuation folded, a leading "the" dropped.
pub fn artist_key(artist: &str) -> String {
    let first = artist.split([',', ';']).next().unwrap_or(artist);
    let k = squash(&cut_featuring(first));
    k.strip_prefix("the ").map(str::to_string).unwrap_or(k)
}

/// All artist keys of a catalogue credit (`A;B` or `A, B`), for indexing.
pub fn artist_keys(artists: &str) -> Vec<String> {
    artists
        .split([',', ';'])
        .map(|a| {
            let k = squash(&cut_featuring(a));
            k.strip_prefix("the ").map(str::to_string).unwrap_or(k)
        })
        .filter(|k| !k.is_empty())
        .collect()
}

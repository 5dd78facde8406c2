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

/// Lowercases, turns `&` into `and`, replaces punctuation by spaces and collapses spaces.
fn squash(s: &str) -> String {
    let s = s.replace('&', " and ");
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == '\'' || c == '’' || c == '.' {
            // "don't" = "dont", "st." = "st"
        } else {
            out.push(' ');
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cuts a trailing "feat. X" / "ft. X" / "featuring X" that is not in brackets.
fn cut_featuring(s: &str) -> &str {
    let lower = s.to_lowercase();
    let mut cut = s.len();
    for marker in [
        " feat. ",
        " feat ",
        " ft. ",
        " featuring ",
        " (feat",
        " [feat",
        " (ft",
        " [ft",
    ] {
        if let Some(i) = lower.find(marker) {
            // `to_lowercase` keeps byte offsets for ASCII markers unless earlier chars change
            // length; guard with a char-boundary check.
            if i < cut && s.is_char_boundary(i) {
                cut = i;
            }
        }
    }
    &s[..cut]
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
    // " - " suffixes, repeatedly ("Song - 2011 Remaster - Live").
    while let Some(i) = t.rfind(" - ") {
        if is_version_note(&t[i + 3..]) {
            t.truncate(i);
        } else {
            break;
        }
    }
    squash(cut_featuring(&t))
}

/// The key of an artist credit: the first of a `,`- or `;`-separated list, featured artists cut,
/// case and punctuation folded, a leading "the" dropped.
pub fn artist_key(artist: &str) -> String {
    let first = artist.split([',', ';']).next().unwrap_or(artist);
    let k = squash(cut_featuring(first));
    k.strip_prefix("the ").map(str::to_string).unwrap_or(k)
}

/// All artist keys of a catalogue credit (`A;B` or `A, B`), for indexing.
pub fn artist_keys(artists: &str) -> Vec<String> {
    artists
        .split([',', ';'])
        .map(|a| {
            let k = squash(cut_featuring(a));
            k.strip_prefix("the ").map(str::to_string).unwrap_or(k)
        })
        .filter(|k| !k.is_empty())
        .collect()
}

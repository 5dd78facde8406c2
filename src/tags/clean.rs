//! Tag normalisation: one spelling per tag, and the tags that are not genres taken out, each
//! counted by reason.

use super::{ARTIST, SOURCE, TAG, TITLE, WEIGHT};
use crate::analysis::join::{need, str_values};
use crate::analysis::normalise::artist_key;
use crate::error::Result;
use polars::prelude::*;
use std::collections::HashMap;

const RULES_CSV: &str = include_str!("../../data/tag_rules.csv");

/// One line of `data/tag_rules.csv`: a normalised tag, what happens to it, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagRule {
    /// The tag after case, hyphen and punctuation folding ([`normalise_tag`] before renames).
    pub tag: String,
    /// `Some(new)` renames the tag to `new`; `None` drops it.
    pub into: Option<String>,
    /// Why (shown as the drop reason).
    pub why: String,
}

/// The rules of `data/tag_rules.csv` (compiled in; a unit test checks the file parses whole).
/// Columns `tag,rule,into,why`: `rule` is `rename` (to `into`) or `drop`.
pub fn tag_rules() -> Vec<TagRule> {
    let mut r = csv::Reader::from_reader(RULES_CSV.as_bytes());
    r.records()
        .filter_map(|rec| rec.ok())
        .filter_map(|rec| {
            let tag = fold(rec.get(0)?);
            let into = match rec.get(1)? {
                "rename" => Some(fold(rec.get(2)?)),
                "drop" => None,
                _ => return None,
            };
            Some(TagRule {
                tag,
                into,
                why: rec.get(3).unwrap_or("").to_string(),
            })
        })
        .collect()
}

/// Case, hyphens and punctuation folded: lowercase, `-` and `_` as spaces, punctuation around
/// the tag removed (`'80s` → `80s`, `rock!` → `rock`; inner `&` and `'` kept), spaces collapsed.
fn fold(raw: &str) -> String {
    let lower = raw.to_lowercase().replace(['-', '_'], " ");
    let trimmed = lower.trim_matches(|c: char| !c.is_alphanumeric());
    trimmed.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The normalised form of one tag: [`fold`]ed, then renamed by the rules (`hiphop` → `hip hop`,
/// `rnb` → `r&b`). `hip-hop`, `Hip Hop` and `hiphop` all become `hip hop`.
pub fn normalise_tag(raw: &str) -> String {
    let f = fold(raw);
    tag_rules()
        .into_iter()
        .find(|r| r.tag == f && r.into.is_some())
        .and_then(|r| r.into)
        .unwrap_or(f)
}

/// Whether a normalised tag is a number, a year or a decade (`2008`, `80s`, `1990s`, `00s`):
/// eras, not genres.
fn is_number(tag: &str) -> bool {
    let t = tag.strip_suffix('s').unwrap_or(tag);
    !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == ' ')
}

/// Tags after [`clean_tags`], and what was taken out.
#[derive(Debug, Clone)]
pub struct CleanTags {
    /// The tidy tags table with normalised tags, one row per (artist, title, source, tag): tags
    /// that fold into one keep the largest weight.
    pub df: DataFrame,
    /// Rows taken out by reason: `reason`, `rows`, `distinct_tags`, `example` (the most frequent
    /// tag dropped for that reason).
    pub dropped: DataFrame,
    /// Distinct tags before (as written) and after.
    pub distinct_before: usize,
    pub distinct_after: usize,
    /// Rows before, and rows merged into another row of the same item after folding.
    pub rows_before: usize,
    pub rows_merged: usize,
}

impl std::fmt::Display for CleanTags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let dropped: usize = self.rows_before - self.rows_merged - self.df.height();
        write!(
            f,
            "{} tag rows → {} ({} dropped, {} merged); {} distinct tags → {}",
            self.rows_before,
            self.df.height(),
            dropped,
            self.rows_merged,
            self.distinct_before,
            self.distinct_after
        )
    }
}

/// Per distinct raw tag: its normalised form and, when dropped, why.
fn tag_map(raw: &[String]) -> Result<DataFrame> {
    let rules: HashMap<String, TagRule> = tag_rules()
        .into_iter()
        .map(|r| (r.tag.clone(), r))
        .collect();
    let mut norm = Vec::with_capacity(raw.len());
    let mut why: Vec<Option<String>> = Vec::with_capacity(raw.len());
    for r in raw {
        let f = fold(r);
        let (n, reason) = match rules.get(&f) {
            Some(TagRule { into: Some(to), .. }) => (to.clone(), None),
            Some(TagRule {
                into: None, why, ..
            }) => (f, Some(format!("junk ({why})"))),
            None if f.is_empty() => (f, Some("empty after folding".to_string())),
            None if is_number(&f) => (f, Some("number, year or decade".to_string())),
            None => (f, None),
        };
        norm.push(n);
        why.push(reason);
    }
    Ok(DataFrame::new(
        raw.len(),
        vec![
            Column::new("__raw".into(), raw.to_vec()),
            Column::new("__norm".into(), norm),
            Column::new("__why".into(), why),
        ],
    )?)
}

/// Per distinct artist: the artist's name as a tag would be written, and its catalogue key.
fn artist_map(artists: &[String]) -> Result<DataFrame> {
    Ok(DataFrame::new(
        artists.len(),
        vec![
            Column::new("__artist".into(), artists.to_vec()),
            Column::new(
                "__a1".into(),
                artists.iter().map(|a| fold(a)).collect::<Vec<_>>(),
            ),
            Column::new(
                "__a2".into(),
                artists.iter().map(|a| artist_key(a)).collect::<Vec<_>>(),
            ),
        ],
    )?)
}

fn distinct_strings(df: &DataFrame, column: &str) -> Result<Vec<String>> {
    let u = df
        .clone()
        .lazy()
        .select([col(column)])
        .unique_stable_generic(None, UniqueKeepStrategy::First)
        .collect()?;
    Ok(str_values(&u, "tags", column)?
        .into_iter()
        .flatten()
        .collect())
}

/// Normalises the tags of a tidy tags table (see [`normalise_tag`]) and takes out, each counted
/// by reason in [`CleanTags::dropped`]: the junk of `data/tag_rules.csv` (personal tags like
/// `seen live` and `favorites`, opinions, who sings, places, `oldies`), numbers, years and
/// decades, and tags that are the artist's own name (folded, or as the artist key of the
/// plays↔catalogue join). Tags that fold into one for the same item are merged (largest weight).
///
/// # Errors
/// [`crate::Error::Column`] when a column of the tidy table is missing; polars errors.
pub fn clean_tags(tags: &DataFrame) -> Result<CleanTags> {
    for c in [ARTIST, TITLE, TAG, WEIGHT, SOURCE] {
        need(tags, "tags", c)?;
    }
    let raw = distinct_strings(tags, TAG)?;
    let artists = distinct_strings(tags, ARTIST)?;
    let on = |a: &str, b: &str| (vec![col(a)], vec![col(b)]);
    let (l1, r1) = on(TAG, "__raw");
    let (l2, r2) = on(ARTIST, "__artist");
    let marked = tags
        .clone()
        .lazy()
        .join(tag_map(&raw)?.lazy(), l1, r1, JoinArgs::new(JoinType::Left))
        .join(
            artist_map(&artists)?.lazy(),
            l2,
            r2,
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            when(col("__why").is_not_null())
                .then(col("__why"))
                .when(
                    col("__norm")
                        .eq(col("__a1"))
                        .or(col("__norm").eq(col("__a2"))),
                )
                .then(lit("the artist's own name"))
                .otherwise(lit(NULL).cast(DataType::String))
                .alias("__reason"),
        )
        .collect()?;
    let dropped = marked
        .clone()
        .lazy()
        .filter(col("__reason").is_not_null())
        .group_by([col("__reason"), col("__norm")])
        .agg([len().alias("rows")])
        .sort_by_exprs(
            [col("rows"), col("__norm")],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .group_by_stable([col("__reason").alias("reason")])
        .agg([
            col("rows").sum().alias("rows"),
            len().alias("distinct_tags"),
            col("__norm").first().alias("example"),
        ])
        .sort(
            ["rows"],
            SortMultipleOptions::default().with_order_descending(true),
        )
        .collect()?;
    let kept_rows = marked
        .clone()
        .lazy()
        .filter(col("__reason").is_null())
        .collect()?
        .height();
    let df = marked
        .lazy()
        .filter(col("__reason").is_null())
        .group_by_stable([
            col(ARTIST),
            col(TITLE),
            col(SOURCE),
            col("__norm").alias(TAG),
        ])
        .agg([col(WEIGHT).max()])
        .select([col(ARTIST), col(TITLE), col(TAG), col(WEIGHT), col(SOURCE)])
        .collect()?;
    let distinct_after = distinct_strings(&df, TAG)?.len();
    Ok(CleanTags {
        rows_before: tags.height(),
        rows_merged: kept_rows - df.height(),
        distinct_before: raw.len(),
        distinct_after,
        dropped,
        df,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_file_parses_whole() {
        let lines = RULES_CSV
            .lines()
            .skip(1)
            .filter(|l| !l.trim().is_empty())
            .count();
        assert_eq!(tag_rules().len(), lines);
    }

    #[test]
    fn hip_hop_three_ways() {
        for t in ["hip-hop", "Hip Hop", "hiphop", " hip_hop! "] {
            assert_eq!(normalise_tag(t), "hip hop", "{t}");
        }
        assert_eq!(normalise_tag("RnB"), "r&b");
        assert!(is_number("80s") && is_number("2008") && !is_number("mos def"));
    }
}

//! Tests of the score requirements on real news sentences, and of the index's losslessness.

use super::*;
use proptest::prelude::*;
use rusqlite::Connection;

const AR: &str = include_str!("../../tests/data/fuzzy/ntrex.ar.txt");
const EN: &str = include_str!("../../tests/data/fuzzy/ntrex.en.txt");

/// Real Arabic sentences with at least `min_words` words.
fn sentences(min_words: usize) -> Vec<&'static str> {
    AR.lines().filter(|l| text::words(l).len() >= min_words).collect()
}

/// Applies `f` to every Arabic word of `s` (keeping everything else), in order.
fn map_words(s: &str, mut f: impl FnMut(usize, &str) -> String) -> String {
    let mut out = String::new();
    let mut pos = 0;
    for (k, t) in text::tokenize(s)
        .iter()
        .filter(|t| t.kind == TokenKind::Word)
        .enumerate()
    {
        out.push_str(&s[pos..t.start]);
        out.push_str(&f(k, t.raw(s)));
        pos = t.end;
    }
    out.push_str(&s[pos..]);
    out
}

#[test]
fn identical_scores_100_and_only_identical() {
    for s in sentences(3).into_iter().take(200) {
        assert_eq!(score(s, s), 100.0);
        assert_eq!(score(&format!("  {}\t", s.replace(' ', "  ")), s), 100.0);
        // Any visible change, however small, is below 100.
        let dotted = format!("{s}.");
        assert!(score(s, &dotted) < 100.0, "{s}");
    }
}

#[test]
fn orthography_only_differences_score_95_to_below_100() {
    type Variant = (&'static str, fn(&str) -> String);
    let variants: [Variant; 7] = [
        ("tashkeel", |s| {
            map_words(s, |k, w| {
                if k % 2 == 0 {
                    format!("{w}\u{064E}")
                } else {
                    w.to_string()
                }
            })
        }),
        ("tatweel", |s| s.replacen("ب", "بـــ", 3)),
        ("hamza", |s| s.replace(['أ', 'إ'], "ا")),
        ("alef maqsura", |s| s.replace("ى ", "ي ")),
        ("ta marbuta", |s| s.replace('ة', "ه")),
        ("digits", |s| {
            s.chars()
                .map(|c| {
                    if c.is_ascii_digit() {
                        char::from_u32(0x0660 + (c as u32 - 48)).unwrap_or(c)
                    } else {
                        c
                    }
                })
                .collect()
        }),
        ("quotes", |s| s.replace('"', "«")),
    ];
    let mut checked = 0;
    for s in sentences(4) {
        for (name, f) in &variants {
            let v = f(s);
            if v == s {
                continue;
            }
            let sc = score(s, &v);
            assert!((95.0..100.0).contains(&sc), "{name}: {sc} for {s} / {v}");
            assert!((95.0..100.0).contains(&score(&v, s)), "{name} (reversed): {s}");
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} variants exercised");
}

/// Adds 1 to every number written with ASCII digits, writing the new one in Arabic-Indic digits.
fn bump_numbers(s: &str) -> String {
    let mut out = String::new();
    let mut pos = 0;
    for t in text::tokenize(s).iter().filter(|t| t.kind == TokenKind::Number) {
        out.push_str(&s[pos..t.start]);
        match t.norm.parse::<u64>() {
            Ok(n) => out.extend(
                (n + 1)
                    .to_string()
                    .chars()
                    .map(|c| char::from_u32(0x0660 + (c as u32 - 48)).unwrap_or(c)),
            ),
            Err(_) => out.push_str(t.raw(s)),
        }
        pos = t.end;
    }
    out.push_str(&s[pos..]);
    out
}

#[test]
fn number_only_differences_score_95_and_substitute_into_target() {
    let mut checked = 0;
    for (ar, en) in AR.lines().zip(EN.lines()) {
        let nums = text::numbers(ar);
        if nums.is_empty() || nums.len() > 3 || nums.iter().any(|n| n.parse::<u64>().is_err()) {
            continue;
        }
        let q = bump_numbers(ar);
        let sc = score(&q, ar);
        assert!((95.0..100.0).contains(&sc), "{sc}: {ar} / {q}");
        // Every number of the source that the English target shows is replaced by the query's.
        let en_nums = text::numbers(en);
        let suggestion = substitute_numbers(&q, ar, en);
        for n in &nums {
            let bumped = (n.parse::<u64>().unwrap_or(0) + 1).to_string();
            if en_nums.iter().any(|e| e.replace(',', "") == *n) {
                assert!(
                    text::numbers(&suggestion).iter().any(|e| e.replace(',', "") == bumped),
                    "{suggestion} lacks {bumped}"
                );
                checked += 1;
            }
        }
        // Nothing but numbers changed in the suggestion.
        assert_eq!(text::words(&suggestion), text::words(en));
    }
    assert!(checked > 20, "only {checked} numbers exercised");
}

#[test]
fn substitution_keeps_target_digit_script_and_unrelated_numbers() {
    let q = "ارتفع العدد إلى ٢٠٢٤ شخصا في 5 مدن";
    let s = "ارتفع العدد إلى 2022 شخصا في 5 مدن";
    assert_eq!(
        substitute_numbers(q, s, "The number rose to 2,022 people in 5 cities."),
        "The number rose to 2024 people in 5 cities."
    );
    assert_eq!(substitute_numbers(q, s, "بلغ ٢٠٢٢ في ٥ مدن"), "بلغ ٢٠٢٤ في ٥ مدن");
    assert_eq!(substitute_numbers(s, s, "As is: 2022"), "As is: 2022");
}

#[test]
fn a_clitic_costs_less_than_an_unrelated_word() {
    let unrelated = ["الطقس", "برتقال", "كرسي", "موسيقى"];
    let mut checked = 0;
    for s in sentences(6).into_iter().take(300) {
        // Add و to the third word, or the article to it; versus replacing it.
        let words = text::words(s);
        let third = &words[2];
        let c = text::clitics(third);
        if c.prefixes != 0 || c.suffix != 0 || third.starts_with('و') || third.chars().count() < 4 {
            continue;
        }
        let with_wa = map_words(s, |k, w| if k == 2 { format!("و{w}") } else { w.to_string() });
        let with_al = map_words(s, |k, w| if k == 2 { format!("ال{w}") } else { w.to_string() });
        let other = map_words(s, |k, w| {
            if k == 2 {
                unrelated[checked % 4].to_string()
            } else {
                w.to_string()
            }
        });
        let (a, b, c) = (score(s, &with_wa), score(s, &with_al), score(s, &other));
        assert!(a > c && b > c, "{a} {b} {c}: {s}");
        assert!(
            a >= 95.0 || words.len() < 7,
            "a clitic on a long sentence costs little: {a}: {s}"
        );
        checked += 1;
    }
    assert!(checked > 50);
    // The examples of the issue.
    let q = "قال الرئيس إن المفاوضات ستستأنف الأسبوع المقبل";
    let clitic = score(q, "قال والرئيس إن المفاوضات ستستأنف الأسبوع المقبل");
    let li = score(q, "قال للرئيس إن المفاوضات ستستأنف الأسبوع المقبل");
    let other = score(q, "قال الوزير إن المفاوضات ستستأنف الأسبوع المقبل");
    assert!(clitic > other && li > other, "{clitic} {li} {other}");
}

#[test]
fn more_edits_never_score_higher() {
    let unrelated = ["الطقس", "برتقال", "كرسي", "موسيقى", "قطار"];
    for s in sentences(5).into_iter().take(150) {
        // Cumulative edits: replace word 0, then also delete word 1, then add a clitic to word 2,
        // then replace word 3 ...
        let n = text::words(s).len();
        let mut prev = 100.0;
        for upto in 0..n.min(8) {
            let edited = map_words(s, |k, w| {
                if k > upto {
                    return w.to_string();
                }
                match k % 3 {
                    0 => unrelated[k % 5].to_string(),
                    1 => String::new(),
                    _ => format!("و{w}"),
                }
            });
            let sc = score(s, &edited);
            assert!(sc <= prev, "{sc} > {prev} after {} edits: {edited}", upto + 1);
            prev = sc;
        }
    }
}

#[test]
fn word_order_matters() {
    for s in sentences(6).into_iter().take(100) {
        let words: Vec<&str> = s.split_whitespace().collect();
        let mut swapped = words.clone();
        swapped.swap(1, 2);
        if swapped == words {
            continue;
        }
        let mut reversed = words.clone();
        reversed.reverse();
        let sw = score(s, &swapped.join(" "));
        let rev = score(s, &reversed.join(" "));
        assert!(sw < 100.0, "{s}");
        assert!(rev < sw, "{rev} !< {sw}: {s}");
    }
}

#[test]
fn english_gets_a_word_level_score() {
    let q = "The president said the talks would resume next week.";
    assert_eq!(score(q, q), 100.0);
    let case = score(q, "The President said the talks would resume next week.");
    assert!((95.0..100.0).contains(&case));
    let one = score(q, "The president said the talks would start next week.");
    let two = score(q, "The minister said the talks would start next week.");
    let none = score(q, "Heavy rain fell on the capital overnight.");
    assert!(one > two && two > none, "{one} {two} {none}");
    // Nine words of weight 1 and one full stop of weight ⅒: one word changed = 1 / 9.1.
    assert_eq!(one, round1(100.0 * (1.0 - 1.0 / 9.1)));
    assert!(none < 50.0);
}

#[test]
fn tags_are_cheap_placeables() {
    let q = "قال <b0>الرئيس</b0> إن الاجتماع ناجح";
    let s = "قال <b1>الرئيس</b1> إن الاجتماع ناجح";
    let sc = score(q, s);
    assert!((95.0..100.0).contains(&sc), "{sc}");
    let e = explain(q, s);
    assert!(e.penalties.iter().any(|p| p.kind == PenaltyKind::Tags));
    // A dropped tag pair costs like two tokens.
    assert!(score(q, "قال الرئيس إن الاجتماع ناجح") < sc);
}

#[test]
fn explanation_adds_up_and_serializes() {
    for s in sentences(6).into_iter().take(100) {
        let first = text::words(s)[0].clone();
        let c = text::clitics(&first);
        if c.prefixes != 0 || first.starts_with('و') || first.chars().count() < 4 {
            continue;
        }
        let v = map_words(s, |k, w| match k {
            0 => format!("و{w}"),
            2 => "مختلف".to_string(),
            4 => String::new(),
            _ => w.replace('أ', "ا"),
        });
        let e = explain(&v, s);
        assert_eq!(e.score, score(&v, s));
        let total: f64 = e.ops.iter().map(|o| o.cost).sum();
        assert!((total - e.distance).abs() < 1e-9, "{total} vs {}", e.distance);
        assert!(e.ops.iter().any(|o| o.reason == Some(Reason::Clitic)));
        let points: f64 = e.penalties.iter().map(|p| p.points).sum();
        assert!(e.score <= e.base - points + 1e-9);
        let json = serde_json::to_value(&e).expect("explanation serializes");
        assert!(json["ops"].as_array().is_some_and(|a| !a.is_empty()));
        if s.contains('أ') {
            assert!(e.source_normalizations.contains(&Normalization::AlefHamza));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Index.

fn memory_tm(sources: &[String]) -> Connection {
    let conn = Connection::open_in_memory().expect("in-memory SQLite");
    conn.execute_batch(
        "CREATE TABLE unit(id INTEGER PRIMARY KEY, source TEXT NOT NULL, target TEXT NOT NULL,
                           source_lang TEXT, target_lang TEXT)",
    )
    .expect("schema");
    let mut ix = Indexer::new(&conn).expect("indexer");
    for (k, s) in sources.iter().enumerate() {
        let id = (k as i64 + 1) * 3; // non-contiguous ids
        conn.execute(
            "INSERT INTO unit(id, source, target) VALUES (?1, ?2, '')",
            rusqlite::params![id, s],
        )
        .expect("insert");
        ix.add(id, s).expect("index");
    }
    ix.finish().expect("finish");
    conn
}

fn assert_lossless(conn: &Connection, loaded: &FuzzyIndex, query: &str, min: f64, top: usize) {
    let want = search_exhaustive(conn, query, min, top).expect("exhaustive");
    let got = search(conn, query, min, top).expect("search");
    assert_eq!(got, want, "min {min} top {top}: {query}");
    let got = loaded.search(conn, query, min, top).expect("loaded search");
    assert_eq!(got, want, "loaded, min {min} top {top}: {query}");
    for seed in [0, 7] {
        let want = search_exhaustive_ranked(conn, query, min, top, None, &mut Scrambled(seed)).expect("exhaustive");
        for ix in [&FuzzyIndex::new(), loaded] {
            let got = ix
                .search_ranked(conn, query, min, top, None, &mut Scrambled(seed))
                .expect("ranked search");
            assert_eq!(got, want, "ranked (seed {seed}), min {min} top {top}: {query}");
        }
    }
}

#[test]
fn index_equals_exhaustive_on_news_tm() {
    let lines: Vec<String> = AR.lines().map(str::to_string).collect();
    let mut tm = lines.clone();
    // Near duplicates so that the high bands are populated.
    for s in lines.iter().take(120) {
        tm.push(bump_numbers(s));
        tm.push(map_words(
            s,
            |k, w| {
                if k == 1 {
                    format!("و{w}")
                } else {
                    w.to_string()
                }
            },
        ));
        tm.push(map_words(
            s,
            |k, w| {
                if k == 3 {
                    String::new()
                } else {
                    w.replace('ة', "ه")
                }
            },
        ));
    }
    let conn = memory_tm(&tm);
    let loaded = FuzzyIndex::load(&conn).expect("load");
    let queries: Vec<String> = lines
        .iter()
        .step_by(53)
        .map(|s| map_words(s, |k, w| if k == 2 { "مختلف".into() } else { w.to_string() }))
        .chain(lines.iter().step_by(61).cloned())
        .chain(["الرئيس", "قال الرئيس", "في عام 2019"].map(String::from))
        .collect();
    let mut nonempty = 0;
    for q in &queries {
        for (min, top) in [(50.0, 5), (60.0, 0), (75.0, 3), (95.0, 0), (100.0, 1)] {
            assert_lossless(&conn, &loaded, q, min, top);
        }
        nonempty += usize::from(!search(&conn, q, 75.0, 1).expect("search").is_empty());
    }
    assert!(nonempty > queries.len() / 2);
}

#[test]
fn removal_and_reindexing_keep_the_index_exact() {
    let lines: Vec<String> = AR.lines().take(200).map(str::to_string).collect();
    let conn = memory_tm(&lines);
    // Remove every 5th unit; give every 7th a new source (stale postings remain).
    for (k, s) in lines.iter().enumerate() {
        let id = (k as i64 + 1) * 3;
        if k % 5 == 0 {
            conn.execute("DELETE FROM unit WHERE id = ?1", [id]).expect("delete");
            remove_unit(&conn, id, s).expect("remove");
        } else if k % 7 == 0 {
            let new = lines[(k + 1) % lines.len()].clone();
            conn.execute("UPDATE unit SET source = ?2 WHERE id = ?1", rusqlite::params![id, new])
                .expect("update");
            index_unit(&conn, id, &new).expect("reindex");
        }
    }
    let loaded = FuzzyIndex::load(&conn).expect("load");
    for q in lines.iter().step_by(3) {
        assert_lossless(&conn, &loaded, q, 50.0, 0);
        let found = search(&conn, q, 100.0, 0).expect("search");
        assert!(
            found.iter().all(|m| (m.unit_id / 3 - 1) % 5 != 0),
            "removed unit returned"
        );
    }
    // Document frequencies equal a fresh rebuild's.
    let df = |c: &Connection| -> Vec<(String, i64)> {
        let mut st = c
            .prepare("SELECT key, df FROM fuzzy_key WHERE df > 0 ORDER BY key")
            .expect("prepare");
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).expect("query");
        rows.collect::<rusqlite::Result<_>>().expect("rows")
    };
    let before = df(&conn);
    rebuild(&conn).expect("rebuild");
    assert_eq!(df(&conn), before);
    let loaded = FuzzyIndex::load(&conn).expect("load");
    for q in lines.iter().step_by(9) {
        assert_lossless(&conn, &loaded, q, 50.0, 5);
    }
}

#[test]
fn schema_is_idempotent_and_blank_queries_work() {
    let conn = memory_tm(&["قال الرئيس".to_string(), " ".to_string()]);
    create_schema(&conn).expect("again");
    create_schema(&conn).expect("and again");
    let loaded = FuzzyIndex::load(&conn).expect("load");
    assert_lossless(&conn, &loaded, "", 50.0, 5);
    assert_lossless(&conn, &loaded, "   ", 50.0, 5);
    assert_lossless(&conn, &loaded, "قال", 0.0, 5);
}

/// A ranking that depends on the unit id only: no penalty for a third of the units, else 0.1 to
/// 12 points (so that units cross `min` and each other), and tie-break keys 0–3 (so that equal
/// ranked scores are common).
struct Scrambled(i64);

impl Rank for Scrambled {
    fn rank(&mut self, unit_id: i64) -> rusqlite::Result<Ranking> {
        let h = (unit_id.wrapping_mul(0x9E37_79B9) ^ self.0).rem_euclid(997);
        let penalty = if h % 3 == 0 { 0.0 } else { (h % 120 + 1) as f64 / 10.0 };
        Ok(Ranking { penalty, tie: h % 4 })
    }
}

#[test]
fn a_penalty_that_takes_a_unit_below_min_drops_it_and_top_counts_ranked_scores() {
    let sources: Vec<String> = AR.lines().take(60).map(str::to_string).collect();
    let conn = memory_tm(&sources);
    let loaded = FuzzyIndex::load(&conn).expect("load");
    let q = &sources[10];
    let exact_id = 33; // (10 + 1) * 3: the unit whose source is the query
    /// Ten points off the exact unit only, nothing off the others.
    struct Down(i64);
    impl Rank for Down {
        fn rank(&mut self, unit_id: i64) -> rusqlite::Result<Ranking> {
            Ok(Ranking {
                penalty: if unit_id == self.0 { 10.0 } else { 0.0 },
                tie: 0,
            })
        }
    }
    // Fuzzy 100 passes --min 95; ranked 90 does not: the unit is not returned.
    let plain = loaded.search(&conn, q, 95.0, 1).expect("search");
    assert_eq!(plain[0].unit_id, exact_id);
    let ranked = loaded
        .search_ranked(&conn, q, 95.0, 1, None, &mut Down(exact_id))
        .expect("ranked");
    assert!(ranked.iter().all(|m| m.unit_id != exact_id), "{ranked:?}");
    // At --min 50 it comes back with its ranked score, and --top 1 takes the best ranked score.
    let all = search_exhaustive_ranked(&conn, q, 50.0, 0, None, &mut Down(exact_id)).expect("all");
    let exact = all.iter().find(|m| m.unit_id == exact_id).expect("exact unit");
    assert_eq!((exact.score, exact.fuzzy_score), (90.0, 100.0));
    let top1 = loaded
        .search_ranked(&conn, q, 50.0, 1, None, &mut Down(exact_id))
        .expect("top 1");
    assert_eq!(top1, all[..1]);
}

const STEMS: [&str; 12] = [
    "رئيس",
    "وزير",
    "مدينة",
    "حكومة",
    "اجتماع",
    "قال",
    "أعلن",
    "عام",
    "شهر",
    "مجلس",
    "اتفاق",
    "منطقة",
];
const PREFIXES: [&str; 9] = ["", "و", "ال", "وال", "ب", "بال", "ل", "لل", "ف"];
const SUFFIXES: [&str; 3] = ["", "ها", "هم"];

fn arabicish_token() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (0..PREFIXES.len(), 0..STEMS.len(), 0..SUFFIXES.len(), any::<bool>()).prop_map(|(p, s, x, marks)| {
            let w = format!("{}{}{}", PREFIXES[p], STEMS[s], SUFFIXES[x]);
            if marks { w.replacen('ا', "أ", 1).replace('ل', "لَ") } else { w }
        }),
        1 => (0u32..3000, any::<bool>()).prop_map(|(n, arabic)| {
            let s = n.to_string();
            if arabic { s.chars().map(|c| char::from_u32(0x0660 + (c as u32 - 48)).unwrap_or(c)).collect() } else { s }
        }),
        1 => prop_oneof![Just("،".to_string()), Just(".".to_string()), Just("<b0>".to_string())],
    ]
}

fn sentence() -> impl Strategy<Value = String> {
    prop::collection::vec(arabicish_token(), 1..9).prop_map(|t| t.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn indexed_search_equals_exhaustive(
        tm in prop::collection::vec(sentence(), 1..40),
        picks in prop::collection::vec((any::<prop::sample::Index>(), 0usize..4, sentence()), 1..6),
        min in 50u32..=100,
        tenth in 0u32..10,
        top in prop_oneof![Just(0usize), Just(1), Just(3), Just(5)],
        rewrites in prop::collection::vec((any::<prop::sample::Index>(), sentence()), 0..4),
        seed in any::<i64>(),
    ) {
        let conn = memory_tm(&tm);
        // Some units get a new source: their old postings stay behind, stale, with the old length.
        for (pick, new) in rewrites {
            let id = (pick.index(tm.len()) as i64 + 1) * 3;
            conn.execute("UPDATE unit SET source = ?2 WHERE id = ?1", rusqlite::params![id, new]).expect("update");
            index_unit(&conn, id, &new).expect("reindex");
        }
        let loaded = FuzzyIndex::load(&conn).expect("load");
        let min = f64::from(min) + if min < 100 { f64::from(tenth) / 10.0 } else { 0.0 };
        for (pick, how, other) in picks {
            let base = &tm[pick.index(tm.len())];
            // Queries near TM units (every band) and unrelated ones.
            let q = match how {
                0 => base.clone(),
                1 => format!("{base} {other}"),
                2 => base.split(' ').skip(1).collect::<Vec<_>>().join(" "),
                _ => other,
            };
            let want = search_exhaustive(&conn, &q, min, top).expect("exhaustive");
            prop_assert_eq!(&search(&conn, &q, min, top).expect("search"), &want);
            prop_assert_eq!(&loaded.search(&conn, &q, min, top).expect("loaded"), &want);
            // With penalties and tie-breaks: still exactly the exhaustive answer.
            let mut rank = Scrambled(seed);
            let want = search_exhaustive_ranked(&conn, &q, min, top, None, &mut rank).expect("exhaustive");
            for ix in [&FuzzyIndex::new(), &loaded] {
                prop_assert_eq!(&ix.search_ranked(&conn, &q, min, top, None, &mut rank).expect("ranked"), &want);
            }
            prop_assert!(want.iter().all(|m| m.score >= min && m.score <= m.fuzzy_score));
        }
    }

    #[test]
    fn score_is_bounded_and_symmetric_in_identity(a in sentence(), b in sentence()) {
        let s = score(&a, &b);
        prop_assert!((0.0..=100.0).contains(&s));
        prop_assert_eq!(s == 100.0, text::fold_whitespace(&a) == text::fold_whitespace(&b));
    }
}

#[test]
fn language_pair_restriction_is_exact() {
    let lines: Vec<String> = AR.lines().take(150).map(str::to_string).collect();
    let conn = memory_tm(&lines);
    // Every third unit is ar→fr, every fifth has no languages, the others ar-SA→en-US.
    conn.execute_batch(
        "UPDATE unit SET source_lang = 'ar-SA', target_lang = 'en-US';
         UPDATE unit SET target_lang = 'fr' WHERE id % 9 = 0;
         UPDATE unit SET source_lang = NULL WHERE id % 15 = 0;",
    )
    .expect("languages");
    let loaded = FuzzyIndex::load(&conn).expect("load");
    let pair = LangPair {
        source: "ar",
        target: "EN",
    };
    let mut found = 0;
    for q in lines.iter().step_by(4) {
        let want = search_exhaustive_in(&conn, q, 50.0, 5, Some(pair)).expect("exhaustive");
        assert_eq!(loaded.search_in(&conn, q, 50.0, 5, Some(pair)).expect("loaded"), want);
        assert_eq!(
            FuzzyIndex::new()
                .search_in(&conn, q, 50.0, 5, Some(pair))
                .expect("cold"),
            want
        );
        assert!(want.iter().all(|m| m.unit_id % 9 != 0 && m.unit_id % 15 != 0));
        found += want.len();
    }
    assert!(found > 0);
}

#[test]
fn explain_names_every_invisible_mark_that_matching_ignores() {
    for mark in ['\u{061C}', '\u{2060}', '\u{00AD}', '\u{200F}', '\u{2067}'] {
        let query = format!("الرئ{mark}يس");
        let e = explain(&query, "الرئيس");
        assert!(
            e.query_normalizations.contains(&Normalization::Invisible),
            "U+{:04X}: {:?}",
            mark as u32,
            e.query_normalizations
        );
    }
}

//! Fragment matches on the NTREX pairs: the target span where the word links show it (and none
//! where they do not), and the fragment words per segment of `analyze` and `pretranslate`.
use crate::common::{analyze_band, json_lines, ntrex_tsv, Env};

/// Words no NTREX unit shares a run of four with: the tail of a query that only opens a unit.
const TAIL: &str = "ثم انتقل الحديث إلى موضوع آخر تماما";

fn ntrex() -> Vec<(String, String)> {
    ntrex_tsv()
        .lines()
        .map(|l| {
            let (a, e) = l.split_once('\t').unwrap();
            (a.to_string(), e.to_string())
        })
        .collect()
}

/// The numbers written in `s` (runs of Western or Arabic-Indic digits, as values without
/// separators), in order.
fn numbers(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars().chain(std::iter::once(' ')) {
        match c {
            '0'..='9' => cur.push(c),
            '٠'..='٩' => cur.push(char::from(b'0' + (c as u32 - '٠' as u32) as u8)),
            ',' | '٬' if !cur.is_empty() => {}
            _ if !cur.is_empty() => out.push(std::mem::take(&mut cur)),
            _ => {}
        }
    }
    out
}

fn chars(s: &str, span: &serde_json::Value) -> String {
    let (a, b) = (span[0].as_u64().unwrap() as usize, span[1].as_u64().unwrap() as usize);
    s.chars().skip(a).take(b - a).collect()
}

fn fragments_of(env: &Env, args: &[&str], queries: &[String]) -> Vec<serde_json::Value> {
    let stdin: String = queries.iter().map(|q| format!("{q}\n")).collect();
    let out = env
        .mizan()
        .args(["match", "--json", "--fragments"])
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    json_lines(out)
}

#[test]
fn a_fragment_target_span_holds_the_numbers_of_its_run_and_not_the_others() {
    let env = Env::new();
    env.import_stdin(ntrex_tsv());
    let pairs = ntrex();
    // Units that open with a number the translation also writes: the query is the opening seven
    // words, then words no unit has.
    let mut picked = Vec::new();
    for (i, (ar, en)) in pairs.iter().enumerate() {
        let words: Vec<&str> = ar.split(' ').collect();
        let head = words[..words.len().min(7)].join(" ");
        if words.len() >= 14 && numbers(&head).iter().any(|n| numbers(en).contains(n)) {
            picked.push((i as i64 + 1, format!("{head} {TAIL}")));
        }
    }
    assert!(picked.len() >= 10, "{} units", picked.len());
    let queries: Vec<String> = picked.iter().map(|p| p.1.clone()).collect();
    let answers = fragments_of(&env, &[], &queries);
    let mut with_span = 0;
    for ((id, query), answer) in picked.iter().zip(&answers) {
        let f = answer["fragments"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == *id)
            .unwrap_or_else(|| panic!("no fragment of unit {id} for {query}"));
        let target = f["target"].as_str().unwrap();
        if f["target_text"].is_null() {
            assert!(f["target_span"].is_null());
            continue;
        }
        with_span += 1;
        let text = f["target_text"].as_str().unwrap();
        assert_eq!(chars(target, &f["target_span"]), text, "unit {id}");
        // The run's numbers are translated inside the span; a number only the rest of the
        // source has (and the target writes once) is outside it.
        let run = numbers(f["source_text"].as_str().unwrap());
        let rest: Vec<String> = numbers(f["source"].as_str().unwrap())
            .into_iter()
            .filter(|n| !run.contains(n))
            .collect();
        for n in &run {
            if numbers(target).contains(n) {
                assert!(numbers(text).contains(n), "unit {id}: {n} not in «{text}»");
            }
        }
        for n in &rest {
            if numbers(target).iter().filter(|m| *m == n).count() == 1 {
                assert!(!numbers(text).contains(n), "unit {id}: {n} in «{text}»");
            }
        }
    }
    assert!(
        2 * with_span >= picked.len(),
        "{with_span} of {} with a target span",
        picked.len()
    );
}

#[test]
fn a_fragment_without_word_links_has_no_target_span() {
    // A TM of one unit: no other unit to learn word pairs from, and a run without numbers,
    // Latin words or names (the target has at most its first word capitalized).
    let pairs = ntrex();
    let (ar, en) = pairs
        .iter()
        .find(|(ar, en)| {
            let head: Vec<&str> = ar.split(' ').take(7).collect();
            ar.split(' ').count() >= 10
                && numbers(en).is_empty()
                && !head.join(" ").chars().any(|c| c.is_ascii_alphanumeric())
                && en
                    .split(' ')
                    .skip(1)
                    .all(|w| !w.starts_with(|c: char| c.is_uppercase()))
        })
        .expect("such a unit");
    let env = Env::new();
    env.import_stdin(format!("{ar}\t{en}\n"));
    let head = ar.split(' ').take(7).collect::<Vec<_>>().join(" ");
    let query = format!("{head} {TAIL}");
    let answers = fragments_of(&env, &[], std::slice::from_ref(&query));
    let f = &answers[0]["fragments"][0];
    assert_eq!(f["id"], 1);
    assert!(f["target_text"].is_null() && f["target_span"].is_null(), "{f}");
    // The human output names the shared run, and no target part.
    let out = env.mizan().args(["match", &query]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("shared: ") && !text.contains("shared →"), "{text}");

    // With the whole NTREX set, the same run of a unit that has numbers gets its span, shown in
    // the human output too.
    let env = Env::new();
    env.import_stdin(ntrex_tsv());
    let (ar, _) = pairs
        .iter()
        .find(|(ar, _)| ar.starts_with("تم اتهام رجل يبلغ من العمر 45"))
        .expect("the unit");
    let head = ar.split(' ').take(7).collect::<Vec<_>>().join(" ");
    let out = env.mizan().args(["match", &format!("{head} {TAIL}")]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let shown = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("shared → "))
        .unwrap_or_else(|| panic!("no target part in {text}"));
    assert!(shown.contains("45"), "{shown}");
}

/// Words of `text` (white-space separated, with a letter or digit) that overlap a span.
fn words_in(text: &str, spans: &[(usize, usize)]) -> u64 {
    let mut n = 0;
    let mut at = 0;
    for w in text.split(' ') {
        let len = w.chars().count();
        if w.chars().any(char::is_alphanumeric) && spans.iter().any(|&(a, b)| a < at + len && at < b) {
            n += 1;
        }
        at += len + 1;
    }
    n
}

#[test]
fn analyze_and_pretranslate_count_the_words_fragments_cover() {
    let env = Env::new();
    let tsv: String = ntrex_tsv().lines().take(300).map(|l| format!("{l}\n")).collect();
    env.import_stdin(tsv);
    let pairs = ntrex();
    let exact = pairs[5].0.clone();
    let head = pairs[19].0.split(' ').take(7).collect::<Vec<_>>().join(" ");
    let partial = format!("{head} {TAIL}.");
    let unknown = format!("{TAIL}.");
    let article = env.write("article.ar.txt", format!("{exact}\n{partial}\n{unknown}\n"));

    // What `match --fragments` shows for the partial segment: the words its runs cover.
    let answer = &fragments_of(&env, &["--top", "20"], std::slice::from_ref(&partial))[0];
    let spans: Vec<(usize, usize)> = answer["fragments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = &f["query_span"];
            (s[0].as_u64().unwrap() as usize, s[1].as_u64().unwrap() as usize)
        })
        .collect();
    let covered = words_in(&partial, &spans);
    assert!(covered >= 7, "{covered}");

    let out = env.mizan().args(["analyze", "--json"]).arg(&article).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &r["files"][0];
    let band = |name: &str| analyze_band(f, name);
    assert_eq!(band("new")["segments"], 2);
    assert_eq!(band("new")["fragment_words"], covered);
    assert!(covered < band("new")["words"].as_u64().unwrap());
    assert_eq!(band("exact")["fragment_words"], 0, "only new segments are looked at");
    assert_eq!(f["fragment_words"], covered);
    assert_eq!(r["total"]["fragment_words"], covered);
    // The human table has the column, filled on the new row and the total.
    let out = env.mizan().arg("analyze").arg(&article).output().unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.lines().nth(1).unwrap().trim_end().ends_with("in frags"),
        "{table}"
    );
    let new_row: Vec<&str> = table
        .lines()
        .find(|l| l.trim_start().starts_with("new "))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(new_row.last().unwrap().parse::<u64>().unwrap(), covered, "{table}");

    // pretranslate: the column comes last, after the columns that were there before.
    let out = env.mizan().arg("pretranslate").arg(&article).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let tsv = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Vec<&str>> = tsv.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(
        rows[0],
        [
            "index",
            "source",
            "suggestion",
            "score",
            "origin",
            "unit_id",
            "status",
            "confirmed",
            "original",
            "terms",
            "fragment_words"
        ]
    );
    assert!(rows.iter().all(|r| r.len() == 11), "{tsv}");
    assert_eq!(rows[1][1], exact);
    assert_eq!(rows[1][10], "", "a segment with a suggestion");
    assert_eq!(rows[2][1], partial);
    assert_eq!(rows[2][10], covered.to_string());
    assert_eq!(rows[3][1], unknown);
    assert_eq!(rows[3][10], "0");
    // The file still imports back: the new column is information, as `terms` is.
    let back = env.write(
        "back.tsv",
        tsv.replacen(&format!("{partial}\t\t"), &format!("{partial}\tA translation\t"), 1),
    );
    env.mizan().arg("import").arg(&back).assert().success();
}

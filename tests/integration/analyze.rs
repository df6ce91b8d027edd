//! `mizan analyze` on the seed article against a TM of its pairs with a few edits; the band
//! counts below were worked out by hand (see the comments), then checked against the tool.
use crate::common::{analyze_band, repo, Env};

/// The TM: the 23 seed pairs, without the headline pair `زيارة نادرة` (segment 12), and with the
/// number of segment 13 changed (24 → 25) in the stored source.
fn edited_pairs() -> String {
    let pairs = std::fs::read_to_string(repo().join("seeds/seed-article.pairs.tsv")).unwrap();
    let mut out = String::new();
    for (i, line) in pairs.lines().skip(1).enumerate() {
        match i {
            12 => continue,
            13 => out.push_str(&line.replacen("منذ 24 عامًا", "منذ 25 عامًا", 1)),
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[test]
fn seed_article_band_counts_worked_out_by_hand() {
    let env = Env::new();
    let tsv = env.write("seed-edited.tsv", edited_pairs());
    env.mizan().arg("import").arg(&tsv).assert().success();
    // The article, plus the headline `زيارة نادرة` repeated at the end.
    let mut article = std::fs::read_to_string(repo().join("seeds/seed-article.ar.txt")).unwrap();
    article.push_str("\n\nزيارة نادرة\n");
    let file = env.write("article.ar.txt", article);
    let out = env.mizan().args(["analyze", "--json"]).arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &r["files"][0];
    let band = |name: &str| analyze_band(f, name);
    // Segments 0–10 and 15–21: exact, with both neighbours exact at neighbouring positions of the
    // same TM document → context (18). Segment 11 (its next, 12, has no unit), 14 (its previous,
    // 13, is only a fuzzy match) and 22 (its next is the repeated headline) → exact (3).
    // Segment 13: only the number differs → 95-99. Segment 12: no unit comes near → new.
    // The repeated headline → repetitions.
    assert_eq!(band("context")["segments"], 18);
    assert_eq!(band("exact")["segments"], 3);
    assert_eq!(band("95-99")["segments"], 1);
    assert_eq!(band("95-99")["words"], 27);
    for b in ["85-94", "75-84", "50-74"] {
        assert_eq!(band(b)["segments"], 0, "{b}");
    }
    assert_eq!(band("new")["segments"], 1);
    assert_eq!(band("new")["words"], 2);
    assert_eq!(band("repetitions")["segments"], 1);
    assert_eq!(band("repetitions")["words"], 2);
    assert_eq!(f["segments"], 24);
    assert_eq!(f["words"], 430);
    let sum: u64 = f["bands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["words"].as_u64().unwrap())
        .sum();
    assert_eq!(sum, 430);
    assert_eq!(r["total"]["words"], 430);

    // The JSON has what schemas/analysis.schema.json requires, at every level.
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join("schemas/analysis.schema.json")).unwrap()).unwrap();
    let required = |v: &serde_json::Value| -> Vec<String> {
        v["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap().to_string())
            .collect()
    };
    for k in required(&schema) {
        assert!(r.get(&k).is_some(), "missing {k}");
    }
    for k in required(&schema["$defs"]["file"]) {
        assert!(f.get(&k).is_some(), "missing file.{k}");
    }
    for k in required(&schema["$defs"]["file"]["properties"]["bands"]["items"]) {
        assert!(f["bands"][0].get(&k).is_some(), "missing band.{k}");
    }
    let band_fields = schema["$defs"]["file"]["properties"]["bands"]["items"]["properties"]
        .as_object()
        .unwrap()
        .len();
    for b in f["bands"].as_array().unwrap() {
        assert_eq!(b.as_object().unwrap().len(), band_fields, "no extra band fields: {b}");
    }

    // Human table and custom bands.
    let out = env
        .mizan()
        .args(["analyze", "--bands", "100,90,60"])
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("90-99") && text.contains("60-89"), "{text}");
    env.mizan()
        .args(["analyze", "--bands", "90,100"])
        .arg(&file)
        .assert()
        .code(2);
}

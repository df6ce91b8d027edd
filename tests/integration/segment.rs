//! `mizan segment` on the seed article and through its CLI options.
use predicates::prelude::*;

use crate::common::{repo, Env};

#[test]
fn seed_article_reproduces_the_gold_segmentation() {
    let env = Env::new();
    let gold = std::fs::read_to_string(repo().join("tests/data/segment/seed-article.gold.txt"))
        .or_else(|_| std::fs::read_to_string(repo().join("tests/data/segment/seed-article.gold.txt")))
        .unwrap();
    let out = env
        .mizan()
        .args(["segment", "--lang", "ar"])
        .arg(repo().join("seeds/seed-article.ar.txt"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let got = String::from_utf8(out.stdout).unwrap();
    let got: Vec<&str> = got.lines().collect();
    let want: Vec<&str> = gold.lines().collect();
    assert_eq!(got, want);
}

#[test]
fn json_offsets_point_into_the_input() {
    let env = Env::new();
    let input = "  «هل نقبل بهذا؟» تساءل الرئيس أمس. وصل الوفد.\n\nثانيا.\n";
    let out = env
        .mizan()
        .args(["segment", "--json", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert!(out.status.success());
    let chars: Vec<char> = input.chars().collect();
    let recs: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(recs.len(), 3);
    for (i, r) in recs.iter().enumerate() {
        let (s, e) = (
            r["start"].as_u64().unwrap() as usize,
            r["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(chars[s..e].iter().collect::<String>(), r["text"].as_str().unwrap());
        assert_eq!(r["index"], i);
    }
    assert_eq!(recs[0]["text"], "«هل نقبل بهذا؟» تساءل الرئيس أمس.");
    assert_eq!(
        (recs[1]["paragraph"].as_u64(), recs[2]["paragraph"].as_u64()),
        (Some(0), Some(1))
    );
}

#[test]
fn custom_srx_rules_and_their_errors() {
    let env = Env::new();
    let srx = env.write(
        "rules.srx",
        r#"<?xml version="1.0" encoding="UTF-8"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
  <header segmentsubflows="yes" cascade="no"/>
  <body>
    <languagerules>
      <languagerule languagerulename="Semicolons">
        <rule break="yes"><beforebreak>؛</beforebreak><afterbreak>\s</afterbreak></rule>
      </languagerule>
    </languagerules>
    <maprules><languagemap languagepattern=".*" languagerulename="Semicolons"/></maprules>
  </body>
</srx>"#,
    );
    env.mizan()
        .args(["segment", "--rules"])
        .arg(&srx)
        .arg("-")
        .write_stdin("أولا؛ ثانيا. ثالثا\n")
        .assert()
        .success()
        .stdout("أولا؛\nثانيا. ثالثا\n");
    let bad = env.write("bad.srx", "<srx><body><languagerules><languagerule languagerulename=\"x\"><rule><beforebreak>(?=x)</beforebreak></rule></languagerule></languagerules></body></srx>");
    env.mizan()
        .args(["segment", "--rules"])
        .arg(&bad)
        .arg("-")
        .write_stdin("x")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.srx"));
}

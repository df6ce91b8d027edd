//! The page of `mizan serve` (`/`) and the routes it added (`/api/explain`, `/api/align`,
//! `/api/align/accept`, `/api/pretranslate`): the routes over HTTP, then the page in a real
//! headless Chromium driven through WebDriver by `web_drive.py` (Python selenium), compared with
//! what the CLI says about the same TM.
use std::process::Command as StdCommand;

use serde_json::{json, Value};

use crate::common::{ntrex_tsv, repo, Env};
use crate::serve::{encode, Server};

/// A TM with the first 300 NTREX pairs.
fn ntrex_env() -> Env {
    let env = Env::new();
    let tsv: String = ntrex_tsv().lines().take(300).map(|l| format!("{l}\n")).collect();
    env.import_stdin(tsv);
    env
}

fn ntrex_source(i: usize) -> String {
    ntrex_tsv()
        .lines()
        .nth(i)
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_string()
}

/// NTREX line 18: "…قبل الساعة 7 صباحًا…" with another hour and one word dropped.
const QUERY: &str = "ووقع الهجوم قبل الساعة 9 صباحًا بالقرب من شاطئ بيكون.";

fn seed(name: &str) -> String {
    std::fs::read_to_string(repo().join("seeds").join(name)).unwrap()
}

#[test]
fn page_and_assets_are_served_from_the_binary() {
    let env = Env::new();
    let server = Server::start(&env, &env.tm(), &[]);
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
    let html = String::from_utf8(page.body.clone()).unwrap();
    assert!(html.contains("/assets/app.js") && html.contains("dir=\"rtl\""));
    // Nothing from elsewhere: no absolute URL is loaded by the page.
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    assert!(page
        .header("content-security-policy")
        .unwrap()
        .contains("default-src 'self'"));
    for (path, kind) in [("/assets/app.js", "text/javascript"), ("/assets/app.css", "text/css")] {
        let r = server.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.header("content-type").unwrap().starts_with(kind), "{path}");
    }
    assert_eq!(server.get("/assets/nothing.js").status, 404);
}

#[test]
fn explain_marks_what_differs_and_the_substituted_number() {
    let env = ntrex_env();
    let server = Server::start(&env, &env.tm(), &[]);
    let m = server.get(&format!("/api/match?q={}&min=50", encode(QUERY))).json();
    let id = m["matches"][0]["id"].as_i64().unwrap();
    let e = server.get(&format!("/api/explain?q={}&id={id}", encode(QUERY)));
    assert_eq!(e.status, 200);
    let e = e.json();
    let source = e["source"].as_str().unwrap();
    assert_eq!(source, ntrex_source(18));
    // The parts are the source, byte for byte (the query's words the source lacks aside).
    let rebuilt: String = e["source_parts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] != "inserted")
        .map(|p| p["text"].as_str().unwrap())
        .collect();
    assert_eq!(rebuilt, source);
    let kinds: Vec<(&str, &str)> = e["source_parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["kind"].as_str().unwrap(), p["text"].as_str().unwrap()))
        .collect();
    assert!(kinds.contains(&("number", "7")), "{kinds:?}");
    assert!(kinds.contains(&("deleted", "إنسينيتاس")), "{kinds:?}");
    assert_eq!(e["suggestion"], m["matches"][0]["suggestion"]);
    let subs: Vec<&Value> = e["suggestion_parts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == "substituted")
        .collect();
    assert_eq!(subs.len(), 1);
    assert_eq!(subs[0]["text"], "9");
    // Refusals are JSON.
    assert_eq!(
        server.get(&format!("/api/explain?q={}&id=99999", encode(QUERY))).status,
        404
    );
    assert_eq!(server.get("/api/explain?q=%20&id=1").status, 400);
    assert!(server.get("/api/explain?id=1").json()["error"].as_str().is_some());
}

#[test]
fn align_then_accept_stores_reviewed_units_and_refuses_broken_links() {
    let env = Env::new();
    let server = Server::start(&env, &env.tm(), &[]);
    let (ar, en) = (seed("seed-article.ar.txt"), seed("seed-article.en.txt"));
    let a = server.send("POST", "/api/align", &json!({"ar": ar, "en": en}), &[]);
    assert_eq!(a.status, 200);
    let a = a.json();
    // The CLI's alignment of the same files, link for link.
    let cli = crate::common::json_lines(
        env.mizan()
            .args(["align", "--format", "json"])
            .arg(repo().join("seeds/seed-article.ar.txt"))
            .arg(repo().join("seeds/seed-article.en.txt"))
            .output()
            .unwrap(),
    );
    let links = a["links"].as_array().unwrap();
    assert_eq!(links.len(), cli.len());
    for (l, c) in links.iter().zip(&cli) {
        assert_eq!(
            (&l["ar_ids"], &l["en_ids"], &l["kind"]),
            (&c["ar_ids"], &c["en_ids"], &c["kind"])
        );
    }
    let ar_s: Vec<Value> = a["ar"].as_array().unwrap().iter().map(|s| s["text"].clone()).collect();
    let en_s: Vec<Value> = a["en"].as_array().unwrap().iter().map(|s| s["text"].clone()).collect();
    let units_before = env.stats()["units"].as_i64().unwrap();
    assert_eq!(units_before, 0);

    // Broken links: crossing, a sentence twice, one left out, an id past the end. Each is a 422
    // with a message, and nothing is stored.
    let mut crossing: Vec<Value> = links.clone();
    crossing.swap(1, 2);
    let mut twice: Vec<Value> = links.clone();
    twice[1]["ar_ids"] = twice[0]["ar_ids"].clone();
    let mut missing: Vec<Value> = links.clone();
    missing.pop();
    let mut past: Vec<Value> = links.clone();
    past.last_mut().unwrap()["en_ids"] = json!([en_s.len()]);
    for (what, bad) in [
        ("crossing", crossing),
        ("twice", twice),
        ("missing", missing),
        ("past", past),
    ] {
        let r = server.send(
            "POST",
            "/api/align/accept",
            &json!({"ar": ar_s, "en": en_s, "links": bad}),
            &[],
        );
        assert_eq!(r.status, 422, "{what}: {:?}", String::from_utf8_lossy(&r.body));
        assert!(r.json()["error"].as_str().unwrap().contains("link"), "{what}");
    }
    assert_eq!(env.stats()["units"], 0, "nothing stored by refused requests");

    // One link left out by the person: it is not stored.
    let mut accepted: Vec<Value> = links.clone();
    let two_sided =
        |l: &Value| !l["ar_ids"].as_array().unwrap().is_empty() && !l["en_ids"].as_array().unwrap().is_empty();
    let expected = accepted.iter().filter(|l| two_sided(l)).count() - 1;
    let left_out = accepted.iter().position(two_sided).unwrap();
    accepted[left_out]["accepted"] = json!(false);
    for l in &mut accepted {
        l.as_object_mut().unwrap().remove("kind");
    }
    let r = server.send(
        "POST",
        "/api/align/accept",
        &json!({"ar": ar_s, "en": en_s, "links": accepted, "document": "seed-article", "author": "lina"}),
        &[],
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let r = r.json();
    assert_eq!(r["stored"], expected);
    assert_eq!(r["not_accepted"], 1);
    let stats = env.stats();
    assert_eq!(stats["units"], expected);
    assert_eq!(stats["origins"]["align"], expected);
    assert_eq!(stats["statuses"]["reviewed"], expected);
    // The unit is the link's sentences, byte for byte.
    let first = crate::common::units(&env.tm());
    let l = &links[left_out + 1];
    if two_sided(l) {
        let want: Vec<&str> = l["ar_ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| ar_s[i.as_u64().unwrap() as usize].as_str().unwrap())
            .collect();
        assert!(first.iter().any(|u| u.source == want.join(" ")));
    }
}

#[test]
fn align_and_accept_are_guarded_like_every_route() {
    let env = Env::new();
    let token = env.write("token", "s3cret\n");
    let server = Server::start(&env, &env.tm(), &["--token-file", token.to_str().unwrap()]);
    // Aligning only reads: no token needed.
    let a = server.send(
        "POST",
        "/api/align",
        &json!({"ar": "زيارة نادرة", "en": "A rare visit"}),
        &[],
    );
    assert_eq!(a.status, 200);
    let body = json!({"ar": ["زيارة نادرة"], "en": ["A rare visit"], "links": [{"ar_ids": [0], "en_ids": [0]}]});
    assert_eq!(server.send("POST", "/api/align/accept", &body, &[]).status, 401);
    let ok = server.send(
        "POST",
        "/api/align/accept",
        &body,
        &[("Authorization", "Bearer s3cret")],
    );
    assert_eq!(ok.status, 200);
    assert_eq!(ok.json()["stored"], 1);
    drop(server);
    let ro = Server::start(&env, &env.tm(), &["--read-only"]);
    assert_eq!(ro.send("POST", "/api/align/accept", &body, &[]).status, 405);
    assert_eq!(
        ro.send("POST", "/api/align", &json!({"ar": "زيارة", "en": "A visit"}), &[])
            .status,
        200
    );
}

#[test]
fn pretranslate_gives_the_cli_file() {
    let env = ntrex_env();
    let text = format!("{}\n{}\n", ntrex_source(3), QUERY);
    let file = env.write("new.ar.txt", &text);
    let server = Server::start(&env, &env.tm(), &["--read-only"]);
    let dates = regex::Regex::new(r#"\d{8}T\d{6}Z|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"#).unwrap();
    for format in ["tsv", "tmx", "xliff"] {
        let r = server.send(
            "POST",
            &format!("/api/pretranslate?format={format}"),
            &json!({"text": text, "name": "new.ar.txt"}),
            &[],
        );
        assert_eq!(r.status, 200, "{format}");
        let cli = env
            .mizan()
            .args(["pretranslate", "--format", format])
            .arg(&file)
            .output()
            .unwrap();
        assert!(cli.status.success());
        let strip_dates = |b: &[u8]| {
            let s = String::from_utf8_lossy(b).to_string();
            dates.replace_all(&s, "DATE").to_string()
        };
        assert_eq!(strip_dates(&r.body), strip_dates(&cli.stdout), "{format}");
        assert!(r.header("content-disposition").unwrap().contains("new.ar."));
    }
    assert_eq!(
        server
            .send("POST", "/api/pretranslate?format=doc", &json!({"text": "x"}), &[])
            .status,
        400
    );
    let nul = server.send("POST", "/api/pretranslate", &json!({"text": "a\u{0}b"}), &[]);
    assert_eq!(nul.status, 422);
    assert!(nul.json()["error"].as_str().unwrap().contains("binary"));
    assert_eq!(
        server
            .send("POST", "/api/pretranslate", &json!({"text": "  "}), &[])
            .status,
        400
    );
}

#[test]
fn new_answers_follow_their_json_schemas() {
    if !crate::common::python_has("jsonschema") {
        crate::common::skip_without(
            "python3 with jsonschema",
            "checking the page's API answers against schemas/api",
        );
        return;
    }
    let env = ntrex_env();
    let server = Server::start(&env, &env.tm(), &[]);
    let m = server.get(&format!("/api/match?q={}&min=50", encode(QUERY))).json();
    let id = m["matches"][0]["id"].as_i64().unwrap();
    let align = server
        .send(
            "POST",
            "/api/align",
            &json!({"ar": seed("seed-article.ar.txt"), "en": seed("seed-article.en.txt")}),
            &[],
        )
        .json();
    let sentences = |side: &str| -> Vec<Value> {
        align[side]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["text"].clone())
            .collect()
    };
    let links: Vec<Value> = align["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| json!({"ar_ids": l["ar_ids"], "en_ids": l["en_ids"], "confidence": l["confidence"]}))
        .collect();
    let accept_req = json!({"ar": sentences("ar"), "en": sentences("en"), "links": links});
    let accepted = server.send("POST", "/api/align/accept", &accept_req, &[]).json();
    let cases = [
        (
            "explain",
            server.get(&format!("/api/explain?q={}&id={id}", encode(QUERY))).json(),
        ),
        ("align", align.clone()),
        ("align-accept", accept_req),
        ("align-accept", accepted),
    ];
    for (schema, value) in &cases {
        crate::serve::assert_matches_schema(&env, schema, value);
    }
}

/// Whether headless Chromium can be driven here: the browser, its driver and Python selenium.
fn browser_missing() -> Option<&'static str> {
    let chromium = std::env::var("MIZAN_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let driver = std::env::var("MIZAN_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    if !std::path::Path::new(&chromium).exists() {
        return Some("chromium");
    }
    if !std::path::Path::new(&driver).exists() {
        return Some("chromedriver (chromium-driver)");
    }
    if !crate::common::python_has("selenium") {
        return Some("python3 with selenium");
    }
    None
}

#[test]
fn the_page_in_a_real_browser() {
    if let Some(tool) = browser_missing() {
        crate::common::skip_without(tool, "driving the web page in headless Chromium");
        return;
    }
    let env = ntrex_env();
    // The leverage article: two exact sentences, a fuzzy one, a new one, a repetition.
    let article = format!(
        "{}\n{}\n{}\nاستقبل رئيس البلدية وفدًا من المدارس الثانوية صباح اليوم.\n{}\n",
        ntrex_source(0),
        ntrex_source(1),
        QUERY,
        ntrex_source(0)
    );
    let lev = env.write("report.ar.txt", &article);
    let analyze = env.mizan().args(["analyze", "--json"]).arg(&lev).output().unwrap();
    assert!(analyze.status.success());
    let analyze: Value = serde_json::from_slice(&analyze.stdout).unwrap();
    let cli_match = crate::common::json_lines(
        env.mizan()
            .args(["match", "--json", "--min", "75", QUERY])
            .output()
            .unwrap(),
    );
    let expected_id = cli_match[0]["matches"][0]["id"]
        .as_i64()
        .expect("the CLI finds a match");

    // Bad files.
    let empty = env.write("empty.txt", "");
    let binary = env.write("photo.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10");
    let latin1 = env.write("cp1256.txt", b"\xc7\xe1\xd1\xc6\xed\xd3 caf\xe9\n");
    let huge = env.path("huge.ar.txt");
    {
        use std::io::Write as _;
        let line = format!("{}\n", ntrex_source(0));
        let mut f = std::io::BufWriter::new(std::fs::File::create(&huge).unwrap());
        let mut n = 0;
        while n < 50 << 20 {
            f.write_all(line.as_bytes()).unwrap();
            n += line.len();
        }
    }

    let shots = std::env::var("MIZAN_SCREENSHOTS").ok().map(|d| {
        let p = std::path::Path::new(&d);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            repo().join(p)
        }
    });
    let plan = json!({
        "query": QUERY,
        "edit_target": "The attack happened before 7 a.m. near Beacon's Beach in Encinitas.",
        "term": "بيكون",
        "leverage_file": lev,
        "ar_file": repo().join("seeds/seed-article.ar.txt"),
        "en_file": repo().join("seeds/seed-article.en.txt"),
        "bad_files": {"empty": empty, "binary": binary, "latin1": latin1, "huge": huge},
        "screenshots": shots,
    });
    let plan_file = env.write("plan.json", plan.to_string());
    let out_file = env.path("seen.json");
    let server = Server::start(&env, &env.tm(), &[]);
    let units_before = env.stats()["units"].as_i64().unwrap();
    let run = StdCommand::new("python3")
        .arg(repo().join("tests/integration/web_drive.py"))
        .arg(format!("http://{}", server.addr))
        .arg(&plan_file)
        .arg(&out_file)
        .output()
        .expect("run python3");
    assert!(
        run.status.success(),
        "web_drive.py failed:\n{}\n{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let seen: Value = serde_json::from_str(&std::fs::read_to_string(&out_file).unwrap()).unwrap();
    assert_eq!(seen["viewport"], json!([1280, 800]), "{seen}");

    // Search: the CLI's best match first, with the differing number and the dropped words marked,
    // the query's number in the suggestion, Arabic right to left in an Arabic face.
    let s = &seen["search"];
    assert_eq!(s["first_id"], expected_id, "{seen}");
    assert_eq!(s["source_dir"], "rtl");
    assert_eq!(s["target_dir"], "ltr");
    let marked = s["marked"].as_array().unwrap();
    assert!(marked.contains(&json!(["diff-number", "7"])), "{marked:?}");
    assert!(marked.contains(&json!(["diff-deleted", "إنسينيتاس"])), "{marked:?}");
    assert_eq!(s["substituted"], json!(["9"]));
    assert!(s["font"].as_str().unwrap().contains("Noto Naskh Arabic"));
    // The edit went through the API: the unit now has the person's target, reviewed.
    let unit = server.get(&format!("/api/units/{expected_id}")).json();
    assert_eq!(
        unit["target"],
        "The attack happened before 7 a.m. near Beacon's Beach in Encinitas."
    );
    assert_eq!(unit["status"], "reviewed");

    // Concordance: the hit count is the API's, every row has the term marked.
    let c = &seen["concordance"];
    let api_hits = server
        .get(&format!("/api/concordance?term={}&limit=200", encode("بيكون")))
        .json();
    let n = api_hits.as_array().unwrap().len();
    assert!(n >= 1);
    assert_eq!(c["rows"], n);
    assert!(c["count"].as_str().unwrap().starts_with(&format!("{n} hit")));
    assert!(c["marks"].as_u64().unwrap() >= n as u64);

    // Leverage: the chart's bars carry the CLI's counts, band for band.
    let bands = analyze["total"]["bands"].as_array().unwrap();
    let chart = seen["chart"].as_array().unwrap();
    assert_eq!(chart.len(), bands.len());
    for (bar, band) in chart.iter().zip(bands) {
        assert_eq!(bar["band"], band["band"]);
        assert_eq!(bar["segments"], band["segments"], "{}", band["band"]);
        assert_eq!(bar["words"], band["words"], "{}", band["band"]);
        assert_eq!(bar["label_segments"], band["segments"].to_string());
        assert_eq!(bar["label_words"], band["words"].to_string());
    }
    assert!(bands.iter().any(|b| b["band"] == "repetitions" && b["segments"] == 1));
    for f in ["tsv", "tmx", "xliff"] {
        assert!(seen["downloads"][f].as_str().unwrap().contains("ready"), "{f}");
    }

    // Alignment: the fixes kept every sentence once; accepting stored exactly the two-sided
    // links shown at the end, reviewed, origin align.
    let accepted = seen["accepted_links"].as_array().unwrap();
    // The moves: the last English sentence of a 1-2 link went down to the next link, and back.
    let i = seen["after_down"][0].as_u64().unwrap() as usize;
    let (moved, split) = (&seen["after_down"][1], &seen["after_split"]);
    assert_eq!(moved[i][1].as_array().unwrap().len(), 1, "{moved}");
    assert_eq!(moved[i + 1][1][0], split[i][1][1], "{moved}");
    assert_eq!(seen["after_up"], *split);
    let first = &seen["after_detach"][0];
    assert!(first[1].as_array().unwrap().is_empty() || first[0].as_array().unwrap().is_empty());
    let stored = accepted
        .iter()
        .filter(|l| !l[0].as_array().unwrap().is_empty() && !l[1].as_array().unwrap().is_empty())
        .count();
    assert!(stored > 10, "{seen}");
    assert!(
        seen["accept_result"]
            .as_str()
            .unwrap()
            .starts_with(&format!("stored {stored} ")),
        "{}",
        seen["accept_result"]
    );
    let stats = env.stats();
    assert_eq!(stats["origins"]["align"], stored);
    assert_eq!(stats["units"].as_i64().unwrap(), units_before + stored as i64);
    assert_eq!(seen["align_dirs"], json!(["rtl", "ltr"]));

    // Bad input: a message a person can read, and nothing more stored.
    let bad = &seen["bad"];
    assert!(bad["empty"].as_str().unwrap().contains("empty"), "{bad}");
    assert!(bad["binary"].as_str().unwrap().contains("binary"), "{bad}");
    assert!(bad["latin1"].as_str().unwrap().contains("not UTF-8"), "{bad}");
    assert!(bad["align_latin1"].as_str().unwrap().contains("not UTF-8"), "{bad}");
    let huge_msg = bad["huge"].as_str().unwrap();
    assert!(huge_msg.contains("413") || huge_msg.contains("MiB"), "{huge_msg}");
    assert_eq!(env.stats()["units"].as_i64().unwrap(), units_before + stored as i64);
    // Script errors only: the refused requests above are logged by the browser as failed loads.
    let script_errors: Vec<&Value> = seen["console"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| !m.as_str().unwrap_or("").contains("Failed to load resource"))
        .collect();
    assert!(
        script_errors.is_empty(),
        "errors in the browser console: {script_errors:?}"
    );
}

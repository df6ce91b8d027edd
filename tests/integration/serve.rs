//! `mizan serve`: the real binary on a loopback port, driven over HTTP/1.1 by a small client
//! written on `std::net` (no HTTP crate in the tests: what goes over the wire is what is tested).
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::Duration;

use serde_json::{json, Value};

use crate::common::{ntrex_tsv, Env};

/// A running `mizan serve`, stopped (SIGTERM, then kill) when dropped.
pub struct Server {
    child: Child,
    pub addr: String,
}

impl Server {
    /// Starts `mizan --tm <tm> serve --listen 127.0.0.1:0 <args>` and waits for its address.
    pub fn start(env: &Env, tm: &std::path::Path, args: &[&str]) -> Server {
        let bin = assert_cmd::cargo::cargo_bin("mizan");
        let mut child = StdCommand::new(bin)
            .current_dir(env.dir.path())
            .env_remove("MIZAN_TM")
            .arg("--tm")
            .arg(tm)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start mizan serve");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let first = lines.next().expect("a first line").expect("readable stderr");
        let addr = first
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in {first:?}"))
            .to_string();
        // Keep draining stderr so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines.by_ref() {});
        Server { child, addr }
    }

    /// Sends SIGTERM and waits for the exit status.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let _ = StdCommand::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        for _ in 0..100 {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("mizan serve did not stop within 5 s of SIGTERM");
    }

    pub fn get(&self, path: &str) -> Reply {
        request(&self.addr, "GET", path, &[], None)
    }

    pub fn send(&self, method: &str, path: &str, body: &Value, headers: &[(&str, &str)]) -> Reply {
        let mut h = vec![("Content-Type", "application/json")];
        h.extend_from_slice(headers);
        request(&self.addr, method, path, &h, Some(body.to_string().as_bytes()))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP response.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Percent-encodes every byte outside the unreserved set (what a client does to Arabic text).
pub fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One HTTP/1.1 request on a new connection (`Connection: close`); chunked bodies are decoded.
pub fn request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Reply {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    if let Some(b) = body {
        head.push_str(&format!("Content-Length: {}\r\n", b.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    if let Some(b) = body {
        // A server may answer (413) before reading a large body and close: that is not an error.
        let _ = s.write_all(b);
    }
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&raw)));
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .expect("status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Reply { status, headers, body }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).expect("chunk size");
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
    out
}

/// A TM with the first 300 NTREX pairs.
fn ntrex_env() -> Env {
    let env = Env::new();
    let tsv: String = ntrex_tsv().lines().take(300).map(|l| format!("{l}\n")).collect();
    env.import_stdin(tsv);
    env
}

fn ntrex_pair(i: usize) -> (String, String) {
    let line = ntrex_tsv().lines().nth(i).expect("pair").to_string();
    let (a, e) = line.split_once('\t').expect("tab");
    (a.to_string(), e.to_string())
}

#[test]
fn match_over_http_is_the_cli_match_json() {
    let env = ntrex_env();
    let (source, _) = ntrex_pair(17);
    // A query that is not in the TM: one word dropped.
    let words: Vec<&str> = source.split(' ').collect();
    let query = words[..words.len() - 1].join(" ");
    let cli = crate::common::json_lines(
        env.mizan()
            .args(["match", "--json", "--min", "50", &query])
            .output()
            .unwrap(),
    );
    let server = Server::start(&env, &env.tm(), &[]);
    let got = server.get(&format!("/api/match?q={}&min=50", encode(&query)));
    assert_eq!(got.status, 200);
    assert_eq!(
        got.json(),
        cli[0],
        "GET /api/match must answer what `mizan match --json` prints"
    );
    let batch = server.send(
        "POST",
        "/api/match",
        &json!({"queries": [query, "زيارة"], "min": 50}),
        &[],
    );
    assert_eq!(batch.status, 200);
    let batch = batch.json();
    assert_eq!(batch[0], cli[0]);
    assert_eq!(batch[1]["query"], "زيارة");
    assert!(cli[0]["matches"][0]["score"].as_f64().unwrap() < 100.0);
    assert_eq!(cli[0]["matches"][0]["source"], source.as_str());
}

#[test]
fn tmserver_clients_get_quality_lists_and_languages() {
    let env = ntrex_env();
    let (source, target) = ntrex_pair(42);
    let server = Server::start(&env, &env.tm(), &[]);
    // Weblate writes codes in lower case with `_`; a region falls back to the language.
    let r = server.get(&format!("/tmserver/ar/en_us/unit/{}", encode(&source)));
    assert_eq!(r.status, 200);
    let list = r.json();
    assert_eq!(list[0]["source"], source.as_str());
    assert_eq!(list[0]["target"], target.as_str());
    assert_eq!(list[0]["quality"], 100);
    assert!(list.as_array().unwrap().len() <= 3);
    // Another language pair holds nothing.
    let r = server.get(&format!("/tmserver/ar/fr/unit/{}", encode(&source)));
    assert_eq!((r.status, r.json()), (200, json!([])));
    let langs = server.get("/tmserver/languages/").json();
    assert_eq!(langs, json!({"sourceLanguages": ["ar"], "targetLanguages": ["en"]}));
    // A bad code is the client's error, said in JSON.
    let r = server.get("/tmserver/ar/e!n/unit/abc");
    assert_eq!(r.status, 400);
    assert!(r.json()["error"].as_str().unwrap().contains("e!n"));
}

#[test]
fn writes_through_one_worker_are_found_by_every_other_and_by_the_cli() {
    let env = ntrex_env();
    let server = Server::start(&env, &env.tm(), &["--workers", "3"]);
    let added = server.send(
        "POST",
        "/api/units",
        &json!({"source": "وصل الوفد الياباني إلى عمّان مساء الثلاثاء", "target": "The Japanese delegation arrived in Amman on Tuesday evening", "author": "lina"}),
        &[],
    );
    assert_eq!(added.status, 201, "{}", String::from_utf8_lossy(&added.body));
    let id = added.json()["id"].as_i64().unwrap();
    // Every worker (requests go to whichever is free) finds it at once.
    for _ in 0..6 {
        let m = server.get(&format!(
            "/api/match?q={}",
            encode("وصل الوفد الياباني إلى عمّان مساء الأربعاء")
        ));
        assert_eq!(m.json()["matches"][0]["id"], id);
    }
    let unit = server.get(&format!("/api/units/{id}")).json();
    assert_eq!(
        (unit["created_by"].as_str(), unit["origin"].as_str()),
        (Some("lina"), Some("human"))
    );
    let edited = server.send(
        "PUT",
        &format!("/api/units/{id}"),
        &json!({"target": "The Japanese delegation reached Amman on Tuesday evening"}),
        &[],
    );
    assert_eq!(edited.status, 200);
    // The CLI reads what the server wrote.
    let out = env
        .mizan()
        .args(["concordance", "--json", "الياباني"])
        .output()
        .unwrap();
    let hits = crate::common::json_lines(out);
    assert_eq!(
        hits[0]["target"],
        "The Japanese delegation reached Amman on Tuesday evening"
    );
    // And the server finds what another process wrote, at the next query.
    env.mizan()
        .args([
            "add",
            "--source",
            "افتتح الرئيس المعرض الدولي للكتاب صباح السبت",
            "--target",
            "The president opened the international book fair on Saturday morning",
        ])
        .assert()
        .success();
    for _ in 0..6 {
        let m = server.get(&format!(
            "/api/match?q={}",
            encode("افتتح الرئيس المعرض الدولي للكتاب صباح الأحد")
        ));
        assert_eq!(
            m.json()["matches"][0]["target"],
            "The president opened the international book fair on Saturday morning",
            "a unit another process added must be found by every worker"
        );
    }
    let deleted = server.send("DELETE", &format!("/api/units/{id}"), &json!({}), &[]);
    assert_eq!(deleted.status, 200);
    assert_eq!(server.get(&format!("/api/units/{id}")).status, 404);
    assert_eq!(
        server
            .send("DELETE", &format!("/api/units/{id}"), &json!({}), &[])
            .status,
        404
    );
    assert!(server.stop().success(), "SIGTERM is a clean stop");
}

#[test]
fn read_only_and_token_guard_every_write() {
    let env = ntrex_env();
    let before = env.stats()["units"].as_u64().unwrap();
    let unit = json!({"source": "زيارة نادرة", "target": "A rare visit"});
    let ro = Server::start(&env, &env.tm(), &["--read-only"]);
    let r = ro.send("POST", "/api/units", &unit, &[]);
    assert_eq!(r.status, 405);
    assert!(r.json()["error"].as_str().unwrap().contains("read-only"));
    assert_eq!(ro.send("DELETE", "/api/units/1", &json!({}), &[]).status, 405);
    // Reads still work, POST /api/match included.
    assert_eq!(
        ro.send("POST", "/api/match", &json!({"query": "زيارة نادرة"}), &[])
            .status,
        200
    );
    drop(ro);
    let token = env.write("token", "s3cret-token\n");
    let guarded = Server::start(&env, &env.tm(), &["--token-file", token.to_str().unwrap()]);
    let r = guarded.send("POST", "/api/units", &unit, &[]);
    assert_eq!(r.status, 401);
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    assert_eq!(
        guarded
            .send("POST", "/api/units", &unit, &[("Authorization", "Bearer wrong-token!")])
            .status,
        401
    );
    assert_eq!(
        env.stats()["units"].as_u64().unwrap(),
        before,
        "nothing refused was stored"
    );
    let r = guarded.send("POST", "/api/units", &unit, &[("Authorization", "Bearer s3cret-token")]);
    assert_eq!(r.status, 201);
    assert_eq!(guarded.get("/api/health").status, 200, "reads need no token");
    assert_eq!(env.stats()["units"].as_u64().unwrap(), before + 1);
}

#[test]
fn bad_requests_get_json_4xx_never_5xx() {
    let env = ntrex_env();
    let server = Server::start(&env, &env.tm(), &[]);
    let cases: Vec<(Reply, u16)> = vec![
        (
            request(
                &server.addr,
                "POST",
                "/api/units",
                &[("Content-Type", "application/json")],
                Some(b"{not json"),
            ),
            400,
        ),
        (server.send("POST", "/api/units", &json!({"source": "زيارة"}), &[]), 422),
        (
            server.send("POST", "/api/units", &json!({"source": "زيارة", "target": "  "}), &[]),
            422,
        ),
        (
            server.send(
                "POST",
                "/api/units",
                &json!({"source": "زيارة", "target": "visit", "src_lang": "a r"}),
                &[],
            ),
            400,
        ),
        (server.get("/api/match"), 400),
        (server.get("/api/match?q=%20"), 400),
        (server.get("/api/match?q=x&min=101"), 400),
        (server.get("/api/match?q=x&top=zero"), 400),
        (
            server.send("POST", "/api/match", &json!({"query": "a", "queries": ["b"]}), &[]),
            400,
        ),
        (
            server.send(
                "POST",
                "/api/match",
                &json!({"query": "a", "penalties": {"nonsense": 3}}),
                &[],
            ),
            400,
        ),
        (server.get(&format!("/api/match?q={}", "x".repeat(20_000))), 413),
        (server.get("/api/units/abc"), 400),
        (server.get("/api/units/999999"), 404),
        (
            server.send("PUT", "/api/units/999999", &json!({"target": "x"}), &[]),
            404,
        ),
        (server.get("/api/concordance?term=%D9%8E"), 400),
        (server.send("POST", "/api/analyze", &json!({"documents": []}), &[]), 400),
        (
            server.send(
                "POST",
                "/api/analyze",
                &json!({"documents": [{"text": "x"}], "bands": "100,20"}),
                &[],
            ),
            400,
        ),
        (server.get("/api/export?status=maybe"), 400),
        (server.get("/no/such/route"), 404),
    ];
    for (i, (reply, want)) in cases.iter().enumerate() {
        assert_eq!(
            reply.status,
            *want,
            "case {i}: {}",
            String::from_utf8_lossy(&reply.body)
        );
        assert!(reply.json()["error"].is_string(), "case {i}: a JSON error");
    }
    // A body over the JSON limit is refused before it is read whole.
    let big = vec![b'x'; 9 << 20];
    let r = request(
        &server.addr,
        "POST",
        "/api/match",
        &[("Content-Type", "application/json")],
        Some(&big),
    );
    assert_eq!(r.status, 413);
    assert_eq!(server.get("/api/health").status, 200, "the server is still up");
}

#[test]
fn export_streams_the_same_tmx_as_the_cli_and_analyze_matches_the_cli() {
    let env = ntrex_env();
    let cli = env.mizan().args(["export", "-o", "cli.tmx"]).assert().success();
    drop(cli);
    let server = Server::start(&env, &env.tm(), &[]);
    let r = server.get("/api/export");
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().contains("tmx"));
    let strip_date = |s: &str| -> String {
        s.lines()
            .map(|l| {
                if l.contains("<header") {
                    l.split("creationdate").next().unwrap().to_string()
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let http = String::from_utf8(r.body.clone()).unwrap();
    let file = std::fs::read_to_string(env.path("cli.tmx")).unwrap();
    assert_eq!(strip_date(&http), strip_date(&file));
    assert_eq!(http.matches("<tu ").count() + http.matches("<tu>").count(), 300);
    // analyze: the article of the next pairs, some of them already in the TM.
    let text: String = (295..305).map(|i| ntrex_pair(i).0 + "\n").collect();
    let article = env.write("article.txt", &text);
    let cli = crate::common::json_lines(env.mizan().args(["analyze", "--json"]).arg(&article).output().unwrap());
    let r = server.send(
        "POST",
        "/api/analyze",
        &json!({"documents": [{"name": article.display().to_string(), "text": text}]}),
        &[],
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json(), cli[0]);
}

/// Checks `value` against `schemas/api/{schema}.schema.json` with python3's jsonschema.
pub fn assert_matches_schema(env: &Env, schema: &str, value: &Value) {
    let data = env.write("answer.json", value.to_string());
    let script = "import json,sys,jsonschema\n\
        s=json.load(open(sys.argv[1])); d=json.load(open(sys.argv[2]))\n\
        jsonschema.validate(d, s, cls=jsonschema.Draft202012Validator)";
    let out = StdCommand::new("python3")
        .args(["-c", script])
        .arg(crate::common::repo().join(format!("schemas/api/{schema}.schema.json")))
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{schema}: {}\n{value}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn answers_follow_the_published_json_schemas() {
    if !crate::common::python_has("jsonschema") {
        crate::common::skip_without("python3 with jsonschema", "checking HTTP answers against schemas/api");
        return;
    }
    let env = ntrex_env();
    let (source, _) = ntrex_pair(3);
    let server = Server::start(&env, &env.tm(), &[]);
    let added = server.send(
        "POST",
        "/api/units",
        &json!({"source": "زيارة نادرة", "target": "A rare visit", "note": "n"}),
        &[],
    );
    let id = added.json()["id"].as_i64().unwrap();
    let word = source.split(' ').nth(1).unwrap().to_string();
    let cases: Vec<(&str, Value)> = vec![
        (
            "match",
            server.get(&format!("/api/match?q={}&min=40", encode(&source))).json(),
        ),
        (
            "match",
            server
                .send(
                    "POST",
                    "/api/match",
                    &json!({"queries": [source, "زيارة"], "min": 40}),
                    &[],
                )
                .json(),
        ),
        ("unit", server.get(&format!("/api/units/{id}")).json()),
        ("add", added.json()),
        (
            "concordance",
            server.get(&format!("/api/concordance?term={}", encode(&word))).json(),
        ),
        ("stats", server.get("/api/stats").json()),
        ("health", server.get("/api/health").json()),
        ("error", server.get("/api/units/0").json()),
        (
            "tmserver-unit",
            server.get(&format!("/tmserver/ar/en/unit/{}", encode(&source))).json(),
        ),
        ("tmserver-languages", server.get("/tmserver/languages/").json()),
    ];
    for (schema, value) in &cases {
        assert!(
            value.as_array().is_none_or(|a| !a.is_empty()) && !value.is_null(),
            "{schema}: an empty answer proves nothing"
        );
        assert_matches_schema(&env, schema, value);
    }
}

/// A unit added through server `a` is the best match of a query to server `b` at once, and at
/// every one of `b`'s next queries (whichever worker answers), all within a second. `b` answers
/// the query first, so its index is loaded before the write.
fn assert_write_through_one_is_found_by_the_other(a: &Server, b: &Server) {
    let query = "وقّعت الحكومة اتفاقية جديدة للتعاون العلمي مع ثلاث جامعات";
    assert_eq!(
        b.get(&format!("/api/match?q={}", encode(query))).json()["matches"],
        json!([])
    );
    let added = a.send(
        "POST",
        "/api/units",
        &json!({"source": "وقّعت الحكومة اتفاقية جديدة للتعاون العلمي مع أربع جامعات", "target": "The government signed a new scientific cooperation agreement with four universities"}),
        &[],
    );
    assert_eq!(added.status, 201, "{}", String::from_utf8_lossy(&added.body));
    let started = std::time::Instant::now();
    for _ in 0..4 {
        let m = b.get(&format!("/api/match?q={}", encode(query))).json();
        assert_eq!(
            m["matches"][0]["suggestion"],
            "The government signed a new scientific cooperation agreement with four universities",
            "the other server must find the unit at its next query"
        );
    }
    assert!(started.elapsed() < Duration::from_secs(1));
}

#[test]
fn two_servers_on_one_tm_see_each_others_writes_at_once() {
    let env = ntrex_env();
    let a = Server::start(&env, &env.tm(), &["--workers", "2"]);
    let b = Server::start(&env, &env.tm(), &["--workers", "2"]);
    assert_write_through_one_is_found_by_the_other(&a, &b);
}

#[test]
fn import_over_http_is_the_cli_import_and_refusals_store_nothing() {
    let env = Env::new();
    let tmx = crate::common::repo().join("tests/data/tmx/tico19.en-ar.tmx");
    let body = std::fs::read(&tmx).unwrap();
    // The CLI's import into another TM is the reference.
    let cli_tm = env.path("cli.db");
    let cli = crate::common::json_lines(
        env.mizan_at(&cli_tm)
            .args(["import", "--json"])
            .arg(&tmx)
            .output()
            .unwrap(),
    );
    let server = Server::start(&env, &env.tm(), &["--max-import-mib", "2"]);
    let r = request(
        &server.addr,
        "POST",
        "/api/import?format=tmx&name=tico19.en-ar.tmx",
        &[],
        Some(&body),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let got = r.json();
    for key in ["added", "replaced", "duplicates", "rejected", "ignored"] {
        assert_eq!(got[key], cli[0][key], "{key}");
    }
    assert!(got["added"].as_u64().unwrap() > 3000);
    let texts = |path: &std::path::Path| -> Vec<(String, String)> {
        crate::common::units(path)
            .into_iter()
            .map(|u| (u.source, u.target))
            .collect()
    };
    assert_eq!(texts(&env.tm()), texts(&cli_tm));
    let before = env.stats()["units"].clone();
    // Not well-formed: refused with where, nothing stored.
    let broken = b"<tmx version=\"1.4\"><header srclang=\"ar\"/><body><tu><tuv xml:lang=\"ar\"><seg>\xd8\xb2\xd9\x8a\xd8\xa7\xd8\xb1\xd8\xa9</seg></tuv><tuv xml:lang=\"en\"><seg>visit</seg></tuv></tu><tu></body></tmx>";
    let r = request(&server.addr, "POST", "/api/import?format=tmx", &[], Some(broken));
    assert_eq!(r.status, 422, "{}", String::from_utf8_lossy(&r.body));
    assert!(r.json()["line"].as_u64().is_some() && r.json()["error"].is_string());
    // Bad lines are counted and listed; --strict refuses the whole file.
    let tsv = "زيارة نادرة\tA rare visit\nسطر بلا ترجمة\n";
    let r = request(
        &server.addr,
        "POST",
        "/api/import?format=tsv&strict=true",
        &[],
        Some(tsv.as_bytes()),
    );
    assert_eq!(r.status, 422);
    // Over the limit (2 MiB here): 413, nothing stored.
    let big: String = crate::common::ntrex_tsv().repeat(12);
    assert!(big.len() > 2 << 20);
    let r = request(
        &server.addr,
        "POST",
        "/api/import?format=tsv",
        &[],
        Some(big.as_bytes()),
    );
    assert_eq!(r.status, 413, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(env.stats()["units"], before, "nothing refused was stored");
    let r = request(
        &server.addr,
        "POST",
        "/api/import?format=tsv&name=bits.tsv",
        &[],
        Some(tsv.as_bytes()),
    );
    assert_eq!(r.status, 200);
    let got = r.json();
    assert_eq!((got["added"].as_u64(), got["rejected"].as_u64()), (Some(1), Some(1)));
    assert_eq!(got["rejections"][0]["line"], 2);
}

#[test]
fn sigterm_lets_an_import_in_flight_finish() {
    let env = Env::new();
    let server = Server::start(&env, &env.tm(), &[]);
    let body = crate::common::ntrex_tsv();
    let lines = body.lines().count() as u64;
    let mut s = TcpStream::connect(&server.addr).unwrap();
    let head = format!(
        "POST /api/import?format=tsv HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    let (first, rest) = body.as_bytes().split_at(body.len() / 2);
    s.write_all(first).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // Stop the server while half the file is still to come.
    let _ = StdCommand::new("kill")
        .arg("-TERM")
        .arg(server.child.id().to_string())
        .status();
    std::thread::sleep(Duration::from_millis(300));
    s.write_all(rest).unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    assert!(server.stop().success());
    let stats = env.stats();
    assert!(
        stats["units"].as_u64().unwrap() >= lines - 10,
        "the whole file was stored: {stats}"
    );
}

#[test]
fn two_servers_on_one_postgres_database_see_each_others_writes() {
    let Some(db) = crate::common::PgDb::new("two mizan serve processes on one PostgreSQL database") else {
        return;
    };
    let env = Env::new();
    let tm = std::path::PathBuf::from(&db.url);
    let tsv: String = ntrex_tsv().lines().take(200).map(|l| format!("{l}\n")).collect();
    env.mizan_at(&tm)
        .args(["import", "-"])
        .write_stdin(tsv)
        .assert()
        .success();
    let a = Server::start(&env, &tm, &["--workers", "2"]);
    let b = Server::start(&env, &tm, &["--workers", "2"]);
    let (source, target) = ntrex_pair(7);
    let found = b.get(&format!("/tmserver/ar/en/unit/{}", encode(&source))).json();
    assert_eq!(found[0]["target"], target.as_str(), "the database's units are served");
    assert_write_through_one_is_found_by_the_other(&a, &b);
    // The location never shows a password.
    assert!(!a.get("/api/health").json()["store"]
        .as_str()
        .unwrap()
        .contains("mizanpw"));
    // The stores' PostgreSQL clients close outside the server's runtime: a clean stop.
    for server in [a, b] {
        assert!(server.stop().success(), "SIGTERM is a clean stop on PostgreSQL");
    }
}

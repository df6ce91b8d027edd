//! `mizan translate`, driven through a pseudo-terminal: accepted, typed and edited translations are
//! stored at once, and a second session resumes where the first stopped.
use crate::common::{repo, units, Env};
use mizan::tm::Unit;

fn drive(env: &Env, article: &std::path::Path, steps: serde_json::Value) -> (i32, String) {
    let bin = assert_cmd::cargo::cargo_bin("mizan");
    let out = std::process::Command::new("python3")
        .arg(repo().join("tests/integration/pty_drive.py"))
        .arg(steps.to_string())
        .arg("--")
        .arg(bin)
        .arg("--tm")
        .arg(env.tm())
        .args(["translate", "--author", "lina"])
        .arg(article)
        .env("NO_COLOR", "1")
        .output()
        .expect("python3 is needed to drive the pseudo-terminal");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
    )
}

#[test]
fn translate_in_a_terminal_stores_and_resumes() {
    if !crate::common::has_tool("python3") {
        return crate::common::skip_without("python3", "the pseudo-terminal test of `mizan translate`");
    }
    let env = Env::new();
    env.import_seed_pairs();
    // A new article: a stored headline, a new sentence, and a stored sub-headline.
    let article = env.write(
        "new.ar.txt",
        "زيارة نادرة\n\nوقال مسؤول روسي إن الوفد سيعود إلى موسكو مساء الخميس.\n\nالزيارة تثير قلق أمريكا\n",
    );
    let (code, screen) = drive(
        &env,
        &article,
        serde_json::json!([
            ["› ", "\r"],
            ["› ", "t\r"],
            [
                "translation › ",
                "A Russian official said the delegation would return to Moscow on Thursday evening.\r"
            ],
            ["› ", "q\r"]
        ]),
    );
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("1 / 3") && screen.contains("A rare visit"), "{screen}");
    assert!(screen.contains("Stopped at segment 3 of 3"), "{screen}");
    let typed: Vec<Unit> = units(&env.tm())
        .into_iter()
        .filter(|u| u.document.as_deref() == Some("new.ar.txt"))
        .collect();
    assert_eq!(typed.len(), 1);
    assert_eq!(
        typed[0].target,
        "A Russian official said the delegation would return to Moscow on Thursday evening."
    );
    assert_eq!(
        (typed[0].created_by.as_deref(), typed[0].position),
        (Some("lina"), Some(1))
    );
    assert_eq!(typed[0].origin, mizan::tm::Origin::Human);
    // The accepted exact match was counted as a use.
    let headline = units(&env.tm())
        .into_iter()
        .find(|u| u.source == "زيارة نادرة")
        .unwrap();
    assert_eq!(headline.usage_count, 1);

    // Second session: resumes at segment 3; edit the suggestion.
    let (code, screen) = drive(
        &env,
        &article,
        serde_json::json!([["› ", "e\r"], ["edit › ", " (edited)\r"]]),
    );
    assert_eq!(code, 0, "{screen}");
    assert!(screen.contains("Resuming new.ar.txt at segment 3 of 3"), "{screen}");
    assert!(screen.contains("Done: 1 translation stored"), "{screen}");
    let edited = units(&env.tm())
        .into_iter()
        .find(|u| u.document.as_deref() == Some("new.ar.txt") && u.position == Some(2))
        .unwrap();
    assert_eq!(edited.source, "الزيارة تثير قلق أمريكا");
    assert_eq!(edited.target, "Visit stirs US concern (edited)");
}

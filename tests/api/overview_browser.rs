//! The overview pages in headless Chromium on the demo data: the text each page type must show, with
//! JavaScript and without; no console error and no request that leaves the host; no serious or critical
//! violation in axe-core's accessibility audit; a filter that applies without a reload and a map tile
//! that lights its row. Screenshots are written to `target/overview-screenshots/` for review.

use std::path::Path;
use std::process::Command;

use kartla::config::InitialSeed;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, TestDb};
use crate::overview::demo_ids;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_type_renders_in_chromium_accessibly_and_without_script() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let browser_tests = root.join("tests/browser");
    let ready = Path::new("/usr/bin/chromium").exists() && browser_tests.join("node_modules/axe-core").exists();
    if !ready {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install Chromium and tests/browser (see .ci/run)"
        );
        eprintln!("skipped: needs /usr/bin/chromium and `npm ci --prefix tests/browser`");
        return;
    }
    let test_db = TestDb::create(Backend::Sqlite).await.expect("SQLite is always there");
    let app = TestApp::spawn(&test_db, InitialSeed::Demo).await;
    let ids = demo_ids(&app).await;
    let address = app.serve().await;
    let screenshots = root.join("target/overview-screenshots");
    std::fs::create_dir_all(&screenshots).expect("a screenshot directory");

    let pages = json!([
        { "name": "countries", "path": "/overview",
          "expect": ["Sweden", "Norway", "National digitalisation strategy for the school system", "skolDigiplan"] },
        { "name": "strategy", "path": format!("/overview/strategies/{}", ids.swedish_strategy),
          "expect": ["Digital kompetens för alla i skolväsendet", "9 goals are gaps", "Gap"] },
        { "name": "initiatives", "path": "/overview/initiatives",
          "expect": ["5 initiatives", "skolDigiplan", "Swedish Association of Local Authorities and Regions (SKR)",
                     "Implementer", "Accepted"] },
        { "name": "initiative-map", "path": format!("/overview/initiatives/{}", ids.norwegian_initiative),
          "expect": ["Participation by county", "Vestland", "4.7 %", "VES", "Proposed responsible"] },
        { "name": "organisation", "path": format!("/overview/organisations/{}", ids.skr),
          "expect": ["Roles in initiatives", "Secure and efficient access to digital resources"] },
        { "name": "county", "path": format!("/overview/organisations/{}", ids.vestland),
          "expect": ["Municipalities (43)", "Bergen"] },
        { "name": "changes", "path": "/overview/changes", "expect": ["What changed", "Created", "Older changes"] },
        { "name": "activities", "path": "/overview/activities?lang=nb",
          "expect": ["Aktiviteter", "Nettverkssamlinger om bestillerkompetanse i Vestland", "(planlagt)"] },
    ]);
    let script = browser_tests.join("overview.mjs");
    let arguments = [
        format!("http://{address}"),
        screenshots.display().to_string(),
        pages.to_string(),
    ];
    let output = tokio::task::spawn_blocking(move || Command::new("node").arg(script).args(arguments).output())
        .await
        .expect("the browser task finished")
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let results: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line from the browser script"))
        .collect();
    let page_results: Vec<&Value> = results.iter().filter(|r| r.get("status").is_some()).collect();
    assert_eq!(page_results.len(), 8, "{stdout}");
    for result in page_results {
        let name = &result["name"];
        assert_eq!(result["status"], 200, "{name}");
        for key in ["missing", "missingWithoutScript", "errors", "offHost", "violations"] {
            assert_eq!(result[key], json!([]), "{name}: {key}");
        }
        assert!(
            result["rulesPassed"].as_u64().unwrap_or(0) > 10,
            "{name}: axe ran its rules"
        );
    }
    let find = |name: &str| results.iter().find(|r| r["name"] == name).cloned().unwrap_or_default();
    let filter = find("live-filter");
    assert_eq!(filter["notReloaded"], true, "the filter applied without a reload");
    assert!(
        filter["results"]
            .as_str()
            .unwrap_or_default()
            .starts_with("1 initiatives"),
        "{filter}"
    );
    assert_eq!(filter["errors"], json!([]));
    let map = find("map-hover");
    assert_eq!(map["lit"], true, "a tile lights its row");
    assert_eq!(map["errors"], json!([]));
}

//! The binary: help, the schema command, and one-line errors with a non-zero exit for bad input.

use std::process::Command;

fn kartla(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_kartla"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "error")
        .output()
        .expect("the binary runs");
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (
        output.status.code().unwrap_or(-1),
        text(&output.stdout),
        text(&output.stderr),
    )
}

#[test]
fn help_lists_the_commands() {
    let (code, stdout, _) = kartla(&["--help"]);
    assert_eq!(code, 0);
    for command in ["serve", "migrate", "seed", "schema"] {
        assert!(stdout.contains(command), "{command} missing from {stdout}");
    }
    let (code, stdout, _) = kartla(&["migrate", "--help"]);
    assert_eq!(code, 0);
    for action in ["up", "down", "status", "fresh"] {
        assert!(stdout.contains(action), "{action} missing from {stdout}");
    }
}

#[test]
fn schema_command_prints_the_checked_in_schema() {
    let (code, stdout, _) = kartla(&["schema"]);
    assert_eq!(code, 0);
    assert_eq!(stdout, kartla::graphql::sdl());
}

#[test]
fn bad_database_urls_are_one_line_errors() {
    let dir = tempfile::tempdir().expect("a directory");
    let missing_dir = format!("sqlite://{}/no/such/dir/k.db", dir.path().display());
    let refused = [
        "postgres://postgres@127.0.0.1:1/kartla",
        "mysql://root@127.0.0.1:1/kartla",
    ];
    for url in refused {
        let (code, _, stderr) = kartla(&["migrate", "--database-url", url, "status"]);
        assert_eq!(code, 1);
        assert!(
            stderr.contains("Connection refused"),
            "the real cause is reported: {stderr}"
        );
    }
    // (A bare `postgres://` is no bad URL since sqlx 0.9.1: like libpq, it means the local server.)
    let bad_port = "postgres://127.0.0.1:notaport/kartla";
    for url in ["foo://bar", bad_port, missing_dir.as_str(), refused[0], refused[1]] {
        let (code, stdout, stderr) = kartla(&["migrate", "--database-url", url, "status"]);
        assert_eq!(code, 1, "{url}: {stdout} {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{url}: {stderr}");
        assert!(stderr.starts_with("error: "), "{url}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn bad_flags_and_seed_files_are_refused() {
    let (code, _, stderr) = kartla(&["serve", "--listen", "not-an-address"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = kartla(&["serve", "--large-request-cost", "0"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--large-request-cost"), "{stderr}");
    let (code, _, stderr) = kartla(&["serve", "--max-concurrent-large-requests", "many"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--max-concurrent-large-requests"), "{stderr}");
    let (code, _, stderr) = kartla(&["serve", "--trusted-documents", "/no/such/manifest.json"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.starts_with("error: --trusted-documents: cannot read /no/such/manifest.json"),
        "{stderr}"
    );
    let dir = tempfile::tempdir().expect("a directory");
    let url = format!("sqlite://{}/k.db?mode=rwc", dir.path().display());
    let (code, _, stderr) = kartla(&[
        "seed",
        "--database-url",
        &url,
        "reference",
        "--data-dir",
        "/no/such/dir",
    ]);
    assert_eq!(code, 1);
    assert!(stderr.contains("se_lan.csv"), "{stderr}");

    std::fs::write(
        dir.path().join("se_lan.csv"),
        "lanskod,iso3166_2,namn\n01,SE-AB,Stockholms län\n1,SE-C,Uppsala län\n",
    )
    .expect("write");
    for name in ["se_kommuner.csv", "no_fylker_2024.csv", "no_kommuner_2024.csv"] {
        std::fs::copy(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("data/reference")
                .join(name),
            dir.path().join(name),
        )
        .expect("copy");
    }
    let data_dir = dir.path().display().to_string();
    let (code, _, stderr) = kartla(&["seed", "--database-url", &url, "reference", "--data-dir", &data_dir]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("se_lan.csv:3: county code \"1\" is not 2 digits"),
        "{stderr}"
    );
    let (code, stdout, _) = kartla(&["seed", "--database-url", &url, "reference"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout.trim(),
        "1387 records added, 0 already present",
        "the failed run wrote nothing"
    );
}

#[test]
fn export_and_import_through_the_command_line() {
    let dir = tempfile::tempdir().expect("a directory");
    let url = |name: &str| format!("sqlite://{}?mode=rwc", dir.path().join(name).display());
    let (source, target) = (url("source.db"), url("target.db"));
    let file = dir.path().join("registry.json");
    let file = file.to_str().expect("a UTF-8 path");
    let (code, _, stderr) = kartla(&["seed", "--database-url", &source, "demo"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = kartla(&["export", "--database-url", &source, "--output", file]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = kartla(&["import", "--database-url", &target, file]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("imported"), "{stderr}");
    let (code, again, _) = kartla(&["export", "--database-url", &target]);
    assert_eq!(code, 0);
    assert_eq!(
        again,
        std::fs::read_to_string(file).expect("the export"),
        "the round trip changed the file"
    );

    let csv = dir.path().join("csv");
    let (code, _, stderr) = kartla(&[
        "export",
        "--database-url",
        &target,
        "--format",
        "csv",
        "--output",
        csv.to_str().expect("a path"),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let organisations = std::fs::read_to_string(csv.join("organisation.csv")).expect("organisation.csv");
    assert!(
        organisations.starts_with("country,createdAt,id,kind,parentId,updatedAt,version,website"),
        "{organisations:.200}"
    );
    let (code, _, stderr) = kartla(&["export", "--database-url", &target, "--format", "csv"]);
    assert_eq!((code, stderr.trim_end().lines().count()), (1, 1), "{stderr}");

    // A bad file: every problem on its own line with its path, and a closing line; nothing imported.
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"format": "kartla-registry", "formatVersion": 1, "records": {"theme": [{"id": 1}]}, "texts": {"nowhere": []}}"#)
        .expect("a file");
    let (code, _, stderr) = kartla(&["import", "--database-url", &target, bad.to_str().expect("a path")]);
    assert_eq!(code, 1);
    assert!(stderr.contains("$.records.theme[0].id: "), "{stderr}");
    assert!(stderr.contains("$.texts.nowhere: "), "{stderr}");
    assert!(stderr.contains("2 problems; nothing was imported"), "{stderr}");
    std::fs::write(&bad, "{ not json").expect("a file");
    let (code, _, stderr) = kartla(&["import", "--database-url", &target, bad.to_str().expect("a path")]);
    assert_eq!(code, 1);
    assert!(stderr.contains("is not JSON") && stderr.contains("line 1"), "{stderr}");
}

/// The shared flags are accepted anywhere on the line, and enum values in any case.
#[test]
fn shared_flags_go_anywhere_and_enum_values_take_any_case() {
    let dir = tempfile::tempdir().expect("a directory");
    let url = format!("sqlite://{}/k.db?mode=rwc", dir.path().display());
    let (code, _, stderr) = kartla(&["migrate", "up", "--database-url", &url]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = kartla(&["migrate", "status", "--database-url", &url, "--log-format", "JSON"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stdout.is_empty());
    let (code, token, stderr) = kartla(&[
        "token",
        "create",
        "--name",
        "ci",
        "--role",
        "ADMIN",
        "--database-url",
        &url,
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(token.trim().starts_with("kartla_"), "{token}");
    let (code, _, stderr) = kartla(&[
        "token",
        "create",
        "--name",
        "ci2",
        "--role",
        "Editor",
        "--database-url",
        &url,
    ]);
    assert_ne!(code, 0, "an editor needs its organisation");
    assert!(
        !stderr.contains("invalid value 'Editor'"),
        "the role is read in any case: {stderr}"
    );
    let out = dir.path().join("registry.json");
    let (code, _, stderr) = kartla(&[
        "export",
        "--output",
        out.to_str().expect("a path"),
        "--database-url",
        &url,
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(out.exists());
}

#[test]
fn oidc_issuers_are_checked_before_the_server_starts() {
    let (code, _, stderr) = kartla(&["serve", "--oidc-issuer", "https://idp.example.org"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("give the audience"), "{stderr}");
    let (code, _, stderr) = kartla(&[
        "serve",
        "--oidc-issuer",
        "https://idp.example.org,audience=k,editor=scope",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("editor=CLAIM:VALUE"), "{stderr}");
    let dir = tempfile::tempdir().expect("a directory");
    let url = format!("sqlite://{}/k.db?mode=rwc", dir.path().display());
    let (code, _, stderr) = kartla(&[
        "serve",
        "--database-url",
        &url,
        "--listen",
        "127.0.0.1:0",
        "--oidc-issuer",
        "http://idp.example.org,audience=k",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("an issuer must be https://"), "{stderr}");
    assert!(
        !dir.path().join("k.db").exists(),
        "nothing is written before the settings are checked"
    );
}

//! The binary: flags, the line it prints, clean exit on SIGTERM, `--manifest`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::common::{embedded_manifest, http_client};

/// The binary on a free loopback port with the key `k` and the secret `s`.
fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kimoby-mock"));
    command.args(["--listen", "127.0.0.1:0", "--api-key", "k", "--api-secret", "s"]);
    command
}

/// Starts `command` (the binary with its flags), reads the line it prints
/// first and returns the child and the base URL it serves.
async fn start(mut command: Command) -> (std::process::Child, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .unwrap()
    .unwrap();
    let base = line
        .trim()
        .strip_prefix("kimoby-mock listening on ")
        .expect(&line)
        .to_owned();
    (child, base)
}

#[tokio::test]
async fn the_binary_serves_on_the_address_it_prints() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kimoby-mock"));
    command
        .args([
            "--listen",
            "127.0.0.1:0",
            "--api-key",
            "cli-key",
            "--api-secret",
            "cli-secret",
        ])
        .args(["--time-scale", "0.5", "--rate-limit", "1000", "--latency-ms", "1"]);
    let (mut child, base) = start(command).await;
    assert!(base.starts_with("http://127.0.0.1:") && base.ends_with("/v1"), "{base}");

    let http = http_client();
    let unauthorized = http.get(format!("{base}/customers")).send().await.unwrap();
    assert_eq!(unauthorized.status(), 401);
    let ok = http
        .get(format!("{base}/customers"))
        .basic_auth("cli-key", Some("cli-secret"))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);

    // SIGTERM: a clean exit.
    let status = Command::new("kill").arg(child.id().to_string()).status().unwrap();
    assert!(status.success());
    let exit = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exit.success(), "{exit:?}");
}

#[test]
fn bad_flags_fail_with_a_message() {
    let output = binary().args(["--error-rate", "2"]).output().unwrap();
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("error_rate"),
        "{output:?}"
    );
}

/// A file in the temporary directory holding `manifest`, named after `test`.
fn manifest_file(test: &str, manifest: &serde_json::Value) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("kimoby-mock-{test}-{}.json", std::process::id()));
    std::fs::write(&path, serde_json::to_vec(manifest).unwrap()).unwrap();
    path
}

#[tokio::test]
async fn the_binary_serves_the_manifest_it_is_given() {
    let mut manifest = embedded_manifest();
    manifest["servers"] = serde_json::json!([{"url": "https://api.example.com/v2"}]);
    let path = manifest_file("serves", &manifest);
    let mut command = binary();
    command.arg("--manifest").arg(&path);
    let (mut child, base) = start(command).await;
    assert!(base.ends_with("/v2"), "{base}");
    let answer = http_client()
        .get(format!("{base}/customers"))
        .basic_auth("k", Some("s"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    child.kill().unwrap();
    child.wait().unwrap();
    std::fs::remove_file(path).unwrap();
}

#[test]
fn a_manifest_it_cannot_serve_or_read_fails_with_the_file_and_the_pointer() {
    let mut manifest = embedded_manifest();
    manifest["servers"] = serde_json::json!([]);
    let path = manifest_file("refused", &manifest);
    let missing = std::env::temp_dir().join("kimoby-mock-no-such-manifest.json");
    for (file, expected) in [(&path, "at /servers:"), (&missing, "cannot read the manifest")] {
        let output = binary().arg("--manifest").arg(file).output().unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{stderr}");
        assert!(stderr.contains(&file.display().to_string()), "{stderr}");
    }
    std::fs::remove_file(path).unwrap();
}

#[tokio::test]
async fn evolve_turns_on_evolution_mode_and_its_flags_are_checked() {
    let mut command = binary();
    command.args(["--evolve", "1", "--evolve-seed", "4"]);
    let (mut child, base) = start(command).await;
    let answer = http_client()
        .get(format!("{base}/customers"))
        .basic_auth("k", Some("s"))
        .send()
        .await
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    for level in [&list, &list["pagination"]] {
        let extra = level
            .as_object()
            .unwrap()
            .keys()
            .any(|name| name.starts_with("zz_evolved_"));
        assert!(extra, "{list}");
    }
    child.kill().unwrap();
    child.wait().unwrap();

    for (flags, expected) in [
        (&["--evolve", "2"][..], "evolution rate"),
        (&["--evolve-seed", "3"][..], "--evolve"),
    ] {
        let output = binary().args(flags).output().unwrap();
        assert!(!output.status.success(), "{flags:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{flags:?}: {stderr}");
    }
}

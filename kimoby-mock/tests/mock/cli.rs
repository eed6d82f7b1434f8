//! The binary: flags, the line it prints, clean exit on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::common::http_client;

#[tokio::test]
async fn the_binary_serves_on_the_address_it_prints() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kimoby-mock"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--api-key",
            "cli-key",
            "--api-secret",
            "cli-secret",
        ])
        .args(["--time-scale", "0.5", "--rate-limit", "1000", "--latency-ms", "1"])
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
    let output = Command::new(env!("CARGO_BIN_EXE_kimoby-mock"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--api-key",
            "k",
            "--api-secret",
            "s",
            "--error-rate",
            "2",
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("error_rate"),
        "{output:?}"
    );
}

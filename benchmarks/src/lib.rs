//! Helpers of the workspace's mock-driving benchmarks (`benches/`).
//!
//! The paging benchmark measures the heap of the process that streams, so
//! the mock runs in another process: [`MockProcess::start`] starts the
//! running benchmark executable again, and [`serve_if_mock_process`], called
//! first in the benchmark's `main`, turns that second process into a mock
//! server. This keeps the benchmark harness out of `kimoby-mock`'s
//! dev-dependencies without needing that crate's binary here.

use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{Ipv4Addr, SocketAddr};
use std::process::{Child, Command, Stdio};

use kimoby_mock::{MockConfig, MockServer};

/// Set in the environment of the second process: the mock's key and secret.
const MOCK_CREDENTIALS_VARIABLE: &str = "KIMOBY_BENCHMARKS_MOCK_CREDENTIALS";

/// A mock server in a child process, on a free loopback port; killed on drop.
#[derive(Debug)]
pub struct MockProcess {
    child: Child,
    base_url: String,
}

impl MockProcess {
    /// Starts this executable again as a mock that accepts `key` and `secret`
    /// (which must not contain a newline) and waits until it listens.
    ///
    /// # Panics
    ///
    /// If the process cannot start or does not print its address.
    pub fn start(key: &str, secret: &str) -> Self {
        let executable = std::env::current_exe().expect("the benchmark's own executable");
        let mut child = Command::new(executable)
            .env(MOCK_CREDENTIALS_VARIABLE, format!("{key}\n{secret}"))
            // Held open by this process: the mock exits when it closes, so
            // a benchmark that is interrupted leaves no server behind.
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the mock process starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut base_url = String::new();
        stdout.read_line(&mut base_url).expect("the mock's base URL");
        let base_url = base_url.trim().to_owned();
        assert!(base_url.starts_with("http://"), "the mock process printed {base_url:?}");
        Self { child, base_url }
    }

    /// The API base URL, for example `http://127.0.0.1:40123/v1`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// In the process [`MockProcess::start`] started: serves the mock until the
/// parent process ends (its end of standard input closes) and exits, never
/// returning. Anywhere else: returns at once.
///
/// # Panics
///
/// In the mock process, if the server cannot start.
pub fn serve_if_mock_process() {
    let Ok(credentials) = std::env::var(MOCK_CREDENTIALS_VARIABLE) else {
        return;
    };
    let (key, secret) = credentials.split_once('\n').expect("key and secret");
    std::thread::spawn(|| {
        let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
        std::process::exit(0);
    });
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    runtime.block_on(async {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let server = MockServer::bind(address, MockConfig::new(key, secret))
            .await
            .expect("the mock starts");
        let mut stdout = std::io::stdout();
        writeln!(stdout, "{}", server.base_url()).expect("print the base URL");
        stdout.flush().expect("flush the base URL");
        std::future::pending::<()>().await;
    });
}

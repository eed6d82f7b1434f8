//! The "Use the client" guide (`kimoby-generated/docs/use-the-client.md`) as
//! one program: every Rust snippet of the guide is copied from this file (a
//! test checks it), so every snippet compiles.
//!
//! It creates or updates a customer, texts them and lists every customer:
//! run it against the local mock, not against your account.
//!
//! ```text
//! cargo run -p kimoby-mock -- --listen 127.0.0.1:4010 --api-key KEY --api-secret SECRET &
//! KIMOBY_BASE_URL=http://127.0.0.1:4010/v1 KIMOBY_API_KEY=KEY KIMOBY_API_SECRET=SECRET \
//!     cargo run -p kimoby-generated --example use_the_client
//! ```
//!
//! `KIMOBY_PICTURE=path/to/image.png` also uploads that image and attaches
//! it to the message. Nothing is sent unless `KIMOBY_BASE_URL` is set.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use futures_util::TryStreamExt as _;
use kimoby_generated::client::CustomerLookup;
use kimoby_generated::runtime::{MultipartFile, RetryPolicy};
use kimoby_generated::types::{
    Customer, CustomerReference, CustomerRequest, Message, MessageRequest, MessageRequestBody, PhoneNumber,
};
use kimoby_generated::{Client, Error};

#[tokio::main]
async fn main() -> ExitCode {
    if std::env::var_os("KIMOBY_BASE_URL").is_none() {
        eprintln!("set KIMOBY_BASE_URL (e.g. http://127.0.0.1:4010/v1 for kimoby-mock): this example writes data");
        return ExitCode::from(2);
    }
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("{}", explain(&error));
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Error> {
    let client = build_client()?;
    let customer = upsert_customer(&client).await?;
    println!("customer {} ({})", customer.id, customer.name);
    let picture = std::env::var_os("KIMOBY_PICTURE").map(PathBuf::from);
    let message = send_message(&client, picture.as_deref()).await?;
    println!("message {} is {}", message.id, message.status);
    let count = print_all_customers(&client).await?;
    println!("{count} customers in all");
    Ok(())
}

fn build_client() -> Result<Client, Error> {
    let api_key = std::env::var("KIMOBY_API_KEY").unwrap_or_default();
    let api_secret = std::env::var("KIMOBY_API_SECRET").unwrap_or_default();
    let mut builder = Client::builder(api_key, api_secret)
        .timeout(Duration::from_secs(20)) // the whole request, for each attempt
        .connect_timeout(Duration::from_secs(5))
        .retry_policy(RetryPolicy::default().with_max_retries(2));
    if let Ok(base_url) = std::env::var("KIMOBY_BASE_URL") {
        // A local mock speaks plain HTTP, which the client refuses unless told
        // (and then only on a loopback host).
        if base_url.starts_with("http://") {
            builder = builder.allow_insecure_http_for_testing();
        }
        builder = builder.base_url(base_url);
    }
    builder.build()
}

async fn upsert_customer(client: &Client) -> Result<Customer, Error> {
    let phone: PhoneNumber = "+14182031234".parse().expect("an E.164 number");
    let request = CustomerRequest::new("John Doe")
        .reference("CU000001")
        .cell_phone_number(phone)
        .city("Quebec")
        .clear_email(); // sends "email": null; fields never set are not sent at all
    let existing = CustomerLookup::reference("CU000001");
    match client.customers().update(existing, request.clone()).send().await {
        Err(Error::NotFound { .. }) => client.customers().create(request).send().await,
        updated => updated,
    }
}

async fn send_message(client: &Client, picture: Option<&Path>) -> Result<Message, Error> {
    let mut documents = Vec::new();
    if let Some(path) = picture {
        let file = MultipartFile::from_path(path, "image/png").await?;
        documents.push(client.documents().upload(file).send().await?.id);
    }
    let body: MessageRequestBody = "Your car is ready!".parse().expect("1 to 1600 characters");
    let customer = CustomerReference::new().reference("CU000001");
    let request = MessageRequest::new(body, customer).documents(documents);
    client.messages().send(request).send().await
}

async fn print_all_customers(client: &Client) -> Result<usize, Error> {
    let mut customers = std::pin::pin!(client.customers().list().stream());
    let mut count = 0;
    while let Some(customer) = customers.try_next().await? {
        println!("{} {}", customer.id, customer.name);
        count += 1;
    }
    Ok(count)
}

fn explain(error: &Error) -> String {
    match error {
        Error::Api { status, message, .. } => format!("Kimoby refused the request (HTTP {status}): {message}"),
        Error::Unauthorized { .. } => "wrong API key or secret".to_owned(),
        Error::NotFound { message, .. } => format!("no such record: {message}"),
        Error::RateLimited {
            retry_after: Some(wait),
            ..
        } => format!("rate limited: try again in {} s", wait.as_secs()),
        Error::RateLimited { .. } => "rate limited: try again later".to_owned(),
        Error::Server { status, .. } => format!("Kimoby failed (HTTP {status}), try again later"),
        Error::Timeout { .. } | Error::Transport { .. } => format!("network trouble: {error}"),
        Error::Decode { body, .. } => format!("an answer this client cannot read: {body}"),
        Error::InvalidRequest { reason, .. } => format!("not sent: {reason}"),
        Error::ReadFile { path, source } => format!("cannot read {}: {source}", path.display()),
        // `Error` is #[non_exhaustive]: a later version may add kinds.
        other => other.to_string(),
    }
}

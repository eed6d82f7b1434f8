//! Load: 50 concurrent clients, 10,000 mixed requests; nothing is lost or
//! duplicated (final counts, ids and webhook deliveries checked).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde_json::json;

use crate::common::{Mock, Receiver, quiet_config};

const CLIENTS: usize = 50;
const REQUESTS_PER_CLIENT: usize = 200;

#[derive(Default)]
struct Created {
    customers: Vec<String>,
    appointments: Vec<String>,
    messages: Vec<i64>,
    conflicts: usize,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_clients_ten_thousand_requests() {
    let mock = Arc::new(Mock::with(quiet_config()).await);
    let receiver = Receiver::start().await;
    mock.webhook(&receiver.url).await;
    // One customer every client competes for (uniqueness under contention).
    mock.customer("SHARED", "+15140000000").await;

    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        let mock = Arc::clone(&mock);
        tasks.push(tokio::spawn(async move {
            let mut created = Created::default();
            for step in 0..REQUESTS_PER_CLIENT {
                match step % 10 {
                    0 | 5 => {
                        let n = created.customers.len();
                        let phone = format!("+1{:03}{:07}", 200 + client, n);
                        let (status, body) = mock
                            .put("/customers", json!({"name": "Load", "reference": format!("L{client}-{n}"), "cell_phone_number": phone}))
                            .await;
                        assert_eq!(status, 201, "{body}");
                        created.customers.push(body["id"].as_str().unwrap().to_owned());
                    }
                    1 => {
                        // Every client tries to take the shared reference: always refused.
                        let (status, _) = mock.put("/customers", json!({"name": "Dup", "reference": "SHARED"})).await;
                        assert_eq!(status, 400);
                        created.conflicts += 1;
                    }
                    2 if !created.customers.is_empty() => {
                        let customer = created.customers.last().unwrap();
                        let start = format!("2030-01-01T{:02}:{:02}:00Z", step / 60, step % 60);
                        let (status, body) = mock
                            .put("/appointments", json!({"start_at": start, "customer": {"id": customer}}))
                            .await;
                        assert_eq!(status, 201, "{body}");
                        created.appointments.push(body["id"].as_str().unwrap().to_owned());
                    }
                    3 if !created.customers.is_empty() => {
                        let customer = created.customers.last().unwrap();
                        let (status, body) = mock.post("/messages", json!({"customer": {"id": customer}, "body": "Hi"})).await;
                        assert_eq!(status, 201, "{body}");
                        created.messages.push(body["id"].as_i64().unwrap());
                    }
                    4 => assert_eq!(mock.get("/customers?per_page=50").await.0, 200),
                    6 if !created.customers.is_empty() => {
                        let customer = &created.customers[0];
                        let (status, _) = mock.put(&format!("/customers/{customer}"), json!({"name": "Updated"})).await;
                        assert_eq!(status, 200);
                    }
                    7 if !created.customers.is_empty() => {
                        let (status, _) = mock.get(&format!("/customers/{}", created.customers[0])).await;
                        assert_eq!(status, 200);
                    }
                    8 => assert_eq!(mock.get("/messages?page=2").await.0, 200),
                    _ => assert_eq!(mock.get("/appointments").await.0, 200),
                }
            }
            created
        }));
    }
    let mut customers = Vec::new();
    let mut appointments = Vec::new();
    let mut messages = Vec::new();
    let mut conflicts = 0;
    for task in tasks {
        let created = task.await.expect("client task");
        customers.extend(created.customers);
        appointments.extend(created.appointments);
        messages.extend(created.messages);
        conflicts += created.conflicts;
    }
    assert_eq!(conflicts, CLIENTS * REQUESTS_PER_CLIENT / 10);
    assert_eq!(customers.len(), CLIENTS * REQUESTS_PER_CLIENT / 5);

    // Unique ids, and the server holds exactly what was acknowledged.
    assert_eq!(customers.iter().collect::<HashSet<_>>().len(), customers.len());
    assert_eq!(appointments.iter().collect::<HashSet<_>>().len(), appointments.len());
    assert_eq!(messages.iter().collect::<HashSet<_>>().len(), messages.len());
    let counts = mock.server.counts();
    assert_eq!(counts.customers, customers.len() + 1);
    assert_eq!(counts.appointments, appointments.len());
    assert_eq!(counts.messages, messages.len());
    let (_, page) = mock.get("/customers").await;
    assert_eq!(page["pagination"]["items"], customers.len() + 1);

    // One message_created per message, none lost, none twice.
    let received = receiver.wait_for(messages.len()).await;
    let mut per_message: HashMap<i64, usize> = HashMap::new();
    for request in &received {
        let body = request.json();
        assert_eq!(body["event_name"], "message_created");
        *per_message.entry(body["data"]["id"].as_i64().unwrap()).or_default() += 1;
    }
    assert_eq!(per_message.len(), messages.len());
    assert!(per_message.values().all(|count| *count == 1));
    Arc::try_unwrap(mock)
        .ok()
        .expect("no other owner")
        .server
        .shutdown()
        .await;
}

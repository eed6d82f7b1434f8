//! Drives kimoby-mock through the scenario with openapi-fetch and the types openapi-typescript
//! generated (`openapi-typescript <bundled manifest> --default-non-nullable=false -o
//! client/schema.ts`: a property with a default stays optional in requests; run.sh copies this
//! file next to `client/`). Each call goes through `createClient<paths>` with the manifest's
//! path and method, each request body is a literal of the generated request type
//! (`components["schemas"]["CustomerRequest"]`), and each answer is the `data` openapi-fetch
//! types from the manifest (`tsc --noEmit --strict` checks it). The look-ups are their own paths
//! (`/customers?reference={reference}`), whose answer is typed as the single record.

import createClient from "openapi-fetch";
import type { components, paths } from "./client/schema";
import { answered, DOCUMENT, loadScenario, options, pick, run, savedCustomerId } from "./scenario";
import type { Context, Operation, Outcome } from "./scenario";

type Schemas = components["schemas"];

const settings = options();
const scenario = loadScenario(settings.get("scenario") ?? "");
const credentials = Buffer.from(`${settings.get("api-key") ?? ""}:${settings.get("api-secret") ?? ""}`).toString("base64");
const client = createClient<paths>({
    baseUrl: settings.get("base-url"),
    headers: { Authorization: `Basic ${credentials}` },
});

function value(name: string): string {
    return scenario.values.get(name) ?? "";
}

function customerRequests(): Map<string, Schemas["CustomerRequest"]> {
    return new Map<string, Schemas["CustomerRequest"]>([
        ["customer", {
            name: "Jane Doe",
            reference: value("customer_reference"),
            cell_phone_number: value("customer_cell_phone_number"),
            email: value("customer_email"),
            custom_attributes: {
                vehicle_year: "2012",
                visit_date: "2026-12-01T10:00:00Z",
                services_array: ["oil change", "tires"],
            },
        }],
        ["customer_update", { name: "Jane Roe", city: "Quebec" }],
        ["second_customer", { name: "John Doe", reference: value("second_customer_reference") }],
        ["third_customer", { name: "Jim Doe", reference: value("third_customer_reference") }],
    ]);
}

function appointmentRequests(customerId: string): Map<string, Schemas["AppointmentRequest"]> {
    return new Map<string, Schemas["AppointmentRequest"]>([
        ["appointment", {
            reference: value("appointment_reference"),
            start_at: "2026-12-24T15:00:00Z",
            customer: { id: customerId },
            custom_attributes: { bay_array: ["2", "3"] },
        }],
        ["appointment_update", { start_at: "2026-12-24T16:00:00Z", status: "confirmed", customer: { id: customerId } }],
        ["second_appointment", {
            reference: value("second_appointment_reference"), start_at: "2026-12-26T09:00:00Z", customer: { id: customerId },
        }],
    ]);
}

function eventRequests(customerId: string): Map<string, Schemas["EventRequest"]> {
    return new Map<string, Schemas["EventRequest"]>([
        ["event", {
            reference: value("event_reference"), name: "Oil change", happened_at: "2026-12-02T09:30:00Z", customer: { id: customerId },
        }],
        ["event_update", { name: "Tire change", happened_at: "2026-12-02T10:30:00Z", customer: { id: customerId } }],
        ["second_event", {
            reference: value("second_event_reference"), name: "Inspection", happened_at: "2026-12-03T09:30:00Z", customer: { id: customerId },
        }],
    ]);
}

const webhookRequests = new Map<string, Schemas["WebhookRequest"]>([
    ["webhook", { url: value("webhook_url") }],
    ["webhook_update", { url: value("updated_webhook_url") }],
]);

// The status and the typed `data` (undefined on a documented error status, whose body is `error`).
async function read(call: Promise<{ data?: object; response: Response }>): Promise<Outcome> {
    const { data, response } = await call;
    return data === undefined ? { status: response.status, shape: "none" } : answered(response.status, data);
}

async function noBody(call: Promise<{ data?: unknown; response: Response }>): Promise<Outcome> {
    const { data, response } = await call;
    return { status: response.status, shape: data === undefined || data === null ? "none" : "object" };
}

const operations = new Map<string, Operation>([
    ["createCustomer", (c: Context) => read(client.PUT("/customers", { body: pick(customerRequests(), c.step) }))],
    ["retrieveCustomer", (c) => read(client.GET("/customers/{id}", { params: { path: { id: c.pathId } } }))],
    ["updateCustomer", (c) => read(client.PUT("/customers/{id}", { params: { path: { id: c.pathId } }, body: pick(customerRequests(), c.step) }))],
    ["deleteCustomer", (c) => noBody(client.DELETE("/customers/{id}", { params: { path: { id: c.pathId } } }))],
    ["listCustomers", () => read(client.GET("/customers", { params: { query: { page: 1, per_page: 10 } } }))],
    ["retrieveCustomerByReference", (c) => read(client.GET("/customers?reference={reference}", { params: { path: { reference: c.lookupValue } } }))],
    ["updateCustomerByReference", (c) => read(client.PUT("/customers?reference={reference}", { params: { path: { reference: c.lookupValue } }, body: pick(customerRequests(), c.step) }))],
    ["deleteCustomerByReference", (c) => noBody(client.DELETE("/customers?reference={reference}", { params: { path: { reference: c.lookupValue } } }))],
    ["retrieveCustomerByCellPhoneNumber", (c) => read(client.GET("/customers?cell_phone_number={cell_phone_number}", { params: { path: { cell_phone_number: c.lookupValue } } }))],
    ["updateCustomerByCellPhoneNumber", (c) => read(client.PUT("/customers?cell_phone_number={cell_phone_number}", { params: { path: { cell_phone_number: c.lookupValue } }, body: pick(customerRequests(), c.step) }))],
    ["deleteCustomerByCellPhoneNumber", (c) => noBody(client.DELETE("/customers?cell_phone_number={cell_phone_number}", { params: { path: { cell_phone_number: c.lookupValue } } }))],
    ["createAppointment", (c) => read(client.PUT("/appointments", { body: pick(appointmentRequests(c.customerId), c.step) }))],
    ["retrieveAppointment", (c) => read(client.GET("/appointments/{id}", { params: { path: { id: c.pathId } } }))],
    ["updateAppointment", (c) => read(client.PUT("/appointments/{id}", { params: { path: { id: c.pathId } }, body: pick(appointmentRequests(c.customerId), c.step) }))],
    ["deleteAppointment", (c) => noBody(client.DELETE("/appointments/{id}", { params: { path: { id: c.pathId } } }))],
    ["listAppointments", () => read(client.GET("/appointments", {}))],
    ["retrieveAppointmentByReference", (c) => read(client.GET("/appointments?reference={reference}", { params: { path: { reference: c.lookupValue } } }))],
    ["updateAppointmentByReference", (c) => read(client.PUT("/appointments?reference={reference}", { params: { path: { reference: c.lookupValue } }, body: pick(appointmentRequests(c.customerId), c.step) }))],
    ["deleteAppointmentByReference", (c) => noBody(client.DELETE("/appointments?reference={reference}", { params: { path: { reference: c.lookupValue } } }))],
    ["createEvent", (c) => read(client.PUT("/events", { body: pick(eventRequests(c.customerId), c.step) }))],
    ["retrieveEvent", (c) => read(client.GET("/events/{id}", { params: { path: { id: c.pathId } } }))],
    ["updateEvent", (c) => read(client.PUT("/events/{id}", { params: { path: { id: c.pathId } }, body: pick(eventRequests(c.customerId), c.step) }))],
    ["deleteEvent", (c) => noBody(client.DELETE("/events/{id}", { params: { path: { id: c.pathId } } }))],
    ["listEvents", () => read(client.GET("/events", {}))],
    ["retrieveEventByReference", (c) => read(client.GET("/events?reference={reference}", { params: { path: { reference: c.lookupValue } } }))],
    ["updateEventByReference", (c) => read(client.PUT("/events?reference={reference}", { params: { path: { reference: c.lookupValue } }, body: pick(eventRequests(c.customerId), c.step) }))],
    ["deleteEventByReference", (c) => noBody(client.DELETE("/events?reference={reference}", { params: { path: { reference: c.lookupValue } } }))],
    ["sendMessage", (c) => read(client.POST("/messages", { body: { customer: { id: c.customerId }, body: "Your car is ready." } }))],
    ["listMessages", (c) => read(client.GET("/messages", { params: { query: { customer_id: c.customerId } } }))],
    ["retrieveMessage", (c) => read(client.GET("/messages/{id}", { params: { path: { id: Number(c.pathId) } } }))],
    ["createInvoice", (c) => read(client.PUT("/invoices", { body: { reference: value("invoice_reference"), total_price: 10000, customer: { id: c.customerId } } }))],
    ["listInvoices", () => read(client.GET("/invoices", {}))],
    ["retrieveInvoice", (c) => read(client.GET("/invoices/{id}", { params: { path: { id: c.pathId } } }))],
    ["uploadDocument", () => read(client.POST("/documents", {
        // The generated type of the part is its file name; the serializer sends the bytes under it.
        body: { file: value("document_file_name") },
        bodySerializer: (body) => {
            const form = new FormData();
            form.append("file", new Blob([DOCUMENT], { type: "image/png" }), body.file);
            return form;
        },
    }))],
    ["retrieveDocument", (c) => read(client.GET("/documents/{id}", { params: { path: { id: Number(c.pathId) } } }))],
    ["deleteDocument", (c) => noBody(client.DELETE("/documents/{id}", { params: { path: { id: Number(c.pathId) } } }))],
    ["createWebhook", (c) => read(client.POST("/webhooks", { body: pick(webhookRequests, c.step) }))],
    ["listWebhooks", () => read(client.GET("/webhooks", {}))],
    ["updateWebhook", (c) => read(client.PUT("/webhooks/{id}", { params: { path: { id: c.pathId } }, body: pick(webhookRequests, c.step) }))],
    ["deleteWebhook", (c) => noBody(client.DELETE("/webhooks/{id}", { params: { path: { id: c.pathId } } }))],
]);

run("openapi-typescript + openapi-fetch", settings.get("mode") ?? "", scenario, operations, savedCustomerId)
    .then((code) => { process.exitCode = code; })
    .catch((error: unknown) => {
        console.error(error instanceof Error ? error.name : "error");
        process.exitCode = 1;
    });

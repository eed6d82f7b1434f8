//! Drives kimoby-mock through the scenario with the client openapi-generator `typescript-fetch`
//! generated (`openapi-generator-cli generate -g typescript-fetch -i <bundled manifest> -o
//! client`; run.sh copies this file next to `client/`). Each call goes through the generated
//! API class (`<operation>Raw`, which gives the status), each request body is a literal of the
//! generated request type, and each answer is read by the generated `FromJSON` into the generated
//! model (`ApiResponse.value()`); `tsc --noEmit --strict` checks the types. A status the manifest
//! lists as an error is thrown by the client (`ResponseError`) and reported with its status.

import {
    AppointmentsApi, Configuration, CustomersApi, DocumentsApi, EventsApi, InvoicesApi, MessagesApi,
    ResponseError, WebhooksApi,
} from "./client/index";
import type {
    AppointmentRequest, CustomerRequest, EventRequest, InvoiceRequest, MessageRequest, WebhookRequest,
} from "./client/index";
import type { ApiResponse } from "./client/runtime";
import {
    answered, DOCUMENT, loadScenario, options, pick, run, savedCustomerId, UnexpectedAnswer,
} from "./scenario";
import type { Context, Operation, Outcome } from "./scenario";

const settings = options();
const scenario = loadScenario(settings.get("scenario") ?? "");
const configuration = new Configuration({
    basePath: settings.get("base-url"),
    username: settings.get("api-key"),
    password: settings.get("api-secret"),
});
const customers = new CustomersApi(configuration);
const appointments = new AppointmentsApi(configuration);
const events = new EventsApi(configuration);
const messages = new MessagesApi(configuration);
const invoices = new InvoicesApi(configuration);
const documents = new DocumentsApi(configuration);
const webhooks = new WebhooksApi(configuration);

function value(name: string): string {
    return scenario.values.get(name) ?? "";
}

function customerRequests(): Map<string, CustomerRequest> {
    return new Map<string, CustomerRequest>([
        ["customer", {
            name: "Jane Doe",
            reference: value("customer_reference"),
            cellPhoneNumber: value("customer_cell_phone_number"),
            email: value("customer_email"),
            customAttributes: {
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

function appointmentRequests(customerId: string): Map<string, AppointmentRequest> {
    return new Map<string, AppointmentRequest>([
        ["appointment", {
            reference: value("appointment_reference"),
            startAt: new Date("2026-12-24T15:00:00Z"),
            customer: { id: customerId },
            customAttributes: { bay_array: ["2", "3"] },
        }],
        ["appointment_update", {
            startAt: new Date("2026-12-24T16:00:00Z"), status: "confirmed", customer: { id: customerId },
        }],
        ["second_appointment", {
            reference: value("second_appointment_reference"),
            startAt: new Date("2026-12-26T09:00:00Z"),
            customer: { id: customerId },
        }],
    ]);
}

function eventRequests(customerId: string): Map<string, EventRequest> {
    return new Map<string, EventRequest>([
        ["event", {
            reference: value("event_reference"), name: "Oil change",
            happenedAt: new Date("2026-12-02T09:30:00Z"), customer: { id: customerId },
        }],
        ["event_update", { name: "Tire change", happenedAt: new Date("2026-12-02T10:30:00Z"), customer: { id: customerId } }],
        ["second_event", {
            reference: value("second_event_reference"), name: "Inspection",
            happenedAt: new Date("2026-12-03T09:30:00Z"), customer: { id: customerId },
        }],
    ]);
}

function messageRequest(customerId: string): MessageRequest {
    return { customer: { id: customerId }, body: "Your car is ready." };
}

function invoiceRequest(customerId: string): InvoiceRequest {
    return { reference: value("invoice_reference"), totalPrice: 10000, customer: { id: customerId } };
}

const webhookRequests = new Map<string, WebhookRequest>([
    ["webhook", { url: value("webhook_url") }],
    ["webhook_update", { url: value("updated_webhook_url") }],
]);

// The status and the answer read into the generated model; a thrown status is an outcome too.
async function read<Model extends object>(call: () => Promise<ApiResponse<Model>>): Promise<Outcome> {
    try {
        const response = await call();
        const model: Model = await response.value();
        return answered(response.raw.status, model);
    } catch (error: unknown) {
        if (error instanceof ResponseError) {
            return { status: error.response.status, shape: "none" };
        }
        throw error;
    }
}

async function noBody(call: () => Promise<ApiResponse<void>>): Promise<Outcome> {
    try {
        const response = await call();
        const body = await response.raw.text();
        if (body.length > 0) {
            throw new UnexpectedAnswer("a body where none is documented");
        }
        return { status: response.raw.status, shape: "none" };
    } catch (error: unknown) {
        if (error instanceof ResponseError) {
            return { status: error.response.status, shape: "none" };
        }
        throw error;
    }
}

const operations = new Map<string, Operation>([
    ["createCustomer", (c: Context) => read(() => customers.createCustomerRaw({ customerRequest: pick(customerRequests(), c.step) }))],
    ["retrieveCustomer", (c) => read(() => customers.retrieveCustomerRaw({ id: c.pathId }))],
    ["updateCustomer", (c) => read(() => customers.updateCustomerRaw({ id: c.pathId, customerRequest: pick(customerRequests(), c.step) }))],
    ["deleteCustomer", (c) => noBody(() => customers.deleteCustomerRaw({ id: c.pathId }))],
    ["listCustomers", () => read(() => customers.listCustomersRaw({ page: 1, perPage: 10 }))],
    ["retrieveCustomerByReference", (c) => read(() => customers.retrieveCustomerByReferenceRaw({ reference: c.lookupValue }))],
    ["updateCustomerByReference", (c) => read(() => customers.updateCustomerByReferenceRaw({ reference: c.lookupValue, customerRequest: pick(customerRequests(), c.step) }))],
    ["deleteCustomerByReference", (c) => noBody(() => customers.deleteCustomerByReferenceRaw({ reference: c.lookupValue }))],
    ["retrieveCustomerByCellPhoneNumber", (c) => read(() => customers.retrieveCustomerByCellPhoneNumberRaw({ cellPhoneNumber: c.lookupValue }))],
    ["updateCustomerByCellPhoneNumber", (c) => read(() => customers.updateCustomerByCellPhoneNumberRaw({ cellPhoneNumber: c.lookupValue, customerRequest: pick(customerRequests(), c.step) }))],
    ["deleteCustomerByCellPhoneNumber", (c) => noBody(() => customers.deleteCustomerByCellPhoneNumberRaw({ cellPhoneNumber: c.lookupValue }))],
    ["createAppointment", (c) => read(() => appointments.createAppointmentRaw({ appointmentRequest: pick(appointmentRequests(c.customerId), c.step) }))],
    ["retrieveAppointment", (c) => read(() => appointments.retrieveAppointmentRaw({ id: c.pathId }))],
    ["updateAppointment", (c) => read(() => appointments.updateAppointmentRaw({ id: c.pathId, appointmentRequest: pick(appointmentRequests(c.customerId), c.step) }))],
    ["deleteAppointment", (c) => noBody(() => appointments.deleteAppointmentRaw({ id: c.pathId }))],
    ["listAppointments", () => read(() => appointments.listAppointmentsRaw({}))],
    ["retrieveAppointmentByReference", (c) => read(() => appointments.retrieveAppointmentByReferenceRaw({ reference: c.lookupValue }))],
    ["updateAppointmentByReference", (c) => read(() => appointments.updateAppointmentByReferenceRaw({ reference: c.lookupValue, appointmentRequest: pick(appointmentRequests(c.customerId), c.step) }))],
    ["deleteAppointmentByReference", (c) => noBody(() => appointments.deleteAppointmentByReferenceRaw({ reference: c.lookupValue }))],
    ["createEvent", (c) => read(() => events.createEventRaw({ eventRequest: pick(eventRequests(c.customerId), c.step) }))],
    ["retrieveEvent", (c) => read(() => events.retrieveEventRaw({ id: c.pathId }))],
    ["updateEvent", (c) => read(() => events.updateEventRaw({ id: c.pathId, eventRequest: pick(eventRequests(c.customerId), c.step) }))],
    ["deleteEvent", (c) => noBody(() => events.deleteEventRaw({ id: c.pathId }))],
    ["listEvents", () => read(() => events.listEventsRaw({}))],
    ["retrieveEventByReference", (c) => read(() => events.retrieveEventByReferenceRaw({ reference: c.lookupValue }))],
    ["updateEventByReference", (c) => read(() => events.updateEventByReferenceRaw({ reference: c.lookupValue, eventRequest: pick(eventRequests(c.customerId), c.step) }))],
    ["deleteEventByReference", (c) => noBody(() => events.deleteEventByReferenceRaw({ reference: c.lookupValue }))],
    ["sendMessage", (c) => read(() => messages.sendMessageRaw({ messageRequest: messageRequest(c.customerId) }))],
    ["listMessages", (c) => read(() => messages.listMessagesRaw({ customerId: c.customerId }))],
    ["retrieveMessage", (c) => read(() => messages.retrieveMessageRaw({ id: Number(c.pathId) }))],
    ["createInvoice", (c) => read(() => invoices.createInvoiceRaw({ invoiceRequest: invoiceRequest(c.customerId) }))],
    ["listInvoices", () => read(() => invoices.listInvoicesRaw({}))],
    ["retrieveInvoice", (c) => read(() => invoices.retrieveInvoiceRaw({ id: c.pathId }))],
    ["uploadDocument", () => read(() => documents.uploadDocumentRaw({
        file: new File([DOCUMENT], value("document_file_name"), { type: "image/png" }),
    }))],
    ["retrieveDocument", (c) => read(() => documents.retrieveDocumentRaw({ id: Number(c.pathId) }))],
    ["deleteDocument", (c) => noBody(() => documents.deleteDocumentRaw({ id: Number(c.pathId) }))],
    ["createWebhook", (c) => read(() => webhooks.createWebhookRaw({ webhookRequest: pick(webhookRequests, c.step) }))],
    ["listWebhooks", () => read(() => webhooks.listWebhooksRaw())],
    ["updateWebhook", (c) => read(() => webhooks.updateWebhookRaw({ id: c.pathId, webhookRequest: pick(webhookRequests, c.step) }))],
    ["deleteWebhook", (c) => noBody(() => webhooks.deleteWebhookRaw({ id: c.pathId }))],
]);

run("openapi-generator typescript-fetch", settings.get("mode") ?? "", scenario, operations, savedCustomerId)
    .then((code) => { process.exitCode = code; })
    .catch((error: unknown) => {
        console.error(error instanceof Error ? error.name : "error");
        process.exitCode = 1;
    });

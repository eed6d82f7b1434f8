//! The shared part of the TypeScript drivers of the generator client suite.
//!
//! Reads `scenario.json` (the ordered calls every driver makes; run.sh copies it next to this
//! file), runs each step through the operation the driver implements for it, checks the status
//! the mock answered and the shape of the answer the generated client read, and prints one line
//! per generator and mode (`openapi-fetch, strict: 28/28 operations, 12/12 look-ups`), then one
//! line per failing step. Reasons name the error and the HTTP status, never a value of a body.
//! The static half of "read into the generated type" is `tsc --noEmit --strict` on the driver:
//! each operation below returns the generated type's `id` without a cast.

import { readFileSync } from "node:fs";

export interface Step {
    name: string;
    operation: string;
    id?: string;
    value?: string;
    body?: string;
    saves?: string;
    status: number;
    answer: string | null;
    lookup: boolean;
}

export interface Scenario {
    values: Map<string, string>;
    steps: Step[];
}

// What an operation of a driver hands back: the status, and what it read from the answer.
export interface Outcome {
    status: number;
    // "object" or "array" for a body read into a generated type, "none" for no body.
    shape: "object" | "array" | "none";
    id?: string;
}

// What a driver's operation receives: the step, its path id and look-up value, and the customer id.
export interface Context {
    step: Step;
    pathId: string;
    lookupValue: string;
    customerId: string;
    values: Map<string, string>;
}

export type Operation = (context: Context) => Promise<Outcome>;

export class UnexpectedAnswer extends Error {}

const NOT_CREATED = "not-created";

function text(record: Record<string, unknown>, key: string): string | undefined {
    const value = record[key];
    return typeof value === "string" ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Reads scenario.json, checking each field it uses (a malformed file names its step).
export function loadScenario(path: string): Scenario {
    const parsed: unknown = JSON.parse(readFileSync(path, "utf8"));
    if (!isRecord(parsed) || !isRecord(parsed.values) || !Array.isArray(parsed.steps)) {
        throw new Error(`${path}: expected an object with "values" and "steps"`);
    }
    const values = new Map<string, string>();
    for (const [key, value] of Object.entries(parsed.values)) {
        if (typeof value !== "string") {
            throw new Error(`${path}: /values/${key} is not a string`);
        }
        values.set(key, value);
    }
    const steps = parsed.steps.map((entry: unknown, index: number): Step => {
        const name = isRecord(entry) ? text(entry, "name") : undefined;
        const operation = isRecord(entry) ? text(entry, "operation") : undefined;
        const status = isRecord(entry) ? entry.status : undefined;
        const answer = isRecord(entry) ? entry.answer : undefined;
        if (!isRecord(entry) || name === undefined || operation === undefined || typeof status !== "number"
            || !(typeof answer === "string" || answer === null)) {
            throw new Error(`${path}: /steps/${index} needs "name", "operation", "status" and "answer"`);
        }
        return {
            name, operation, status, answer,
            id: text(entry, "id"), value: text(entry, "value"), body: text(entry, "body"),
            saves: text(entry, "saves"), lookup: entry.lookup === true,
        };
    });
    return { values, steps };
}

// The named request body of a step, from a driver's bodies of one type.
export function pick<Body>(bodies: Map<string, Body>, step: Step): Body {
    const body = step.body === undefined ? undefined : bodies.get(step.body);
    if (body === undefined) {
        throw new UnexpectedAnswer(`the driver has no body "${step.body ?? ""}"`);
    }
    return body;
}

// The outcome of an answer read into a generated type (its `id`, as text, when it has one).
export function answered(status: number, answer: object): Outcome {
    if (Array.isArray(answer)) {
        return { status, shape: "array" };
    }
    const id = "id" in answer && (typeof answer.id === "string" || typeof answer.id === "number")
        ? String(answer.id)
        : undefined;
    return { status, shape: "object", id };
}

function describe(error: unknown): string {
    if (error instanceof UnexpectedAnswer) {
        return error.message;
    }
    if (error instanceof Error) {
        const frame = (error.stack ?? "").split("\n").find((line) => line.trim().startsWith("at "));
        return `${error.name}${frame === undefined ? "" : ` ${frame.trim()}`}`;
    }
    return "a thrown value that is not an Error";
}

// The command line of every TypeScript driver: --base-url, --api-key, --api-secret, --mode,
// --scenario (the copy of scenario.json).
export function options(): Map<string, string> {
    const result = new Map<string, string>();
    const argv = process.argv.slice(2);
    for (let index = 0; index + 1 < argv.length; index += 2) {
        result.set(argv[index].replace(/^--/, ""), argv[index + 1]);
    }
    for (const required of ["base-url", "api-key", "api-secret", "mode", "scenario"]) {
        if (!result.has(required)) {
            throw new Error(`missing --${required}`);
        }
    }
    return result;
}

// Runs every step; prints the summary line and the failures; returns the exit code.
export async function run(
    generator: string,
    mode: string,
    scenario: Scenario,
    operations: Map<string, Operation>,
    customerIdOf: (saved: Map<string, string>) => string,
): Promise<number> {
    const saved = new Map<string, string>();
    const failures: string[] = [];
    const failedOperations = new Set<string>();
    const lookups = new Map<string, boolean>();
    for (const step of scenario.steps) {
        lookups.set(step.operation, step.lookup);
        try {
            const operation = operations.get(step.operation);
            if (operation === undefined) {
                throw new UnexpectedAnswer("no call for this operation in the driver");
            }
            const pathId = step.id === undefined ? "" : saved.get(step.id) ?? NOT_CREATED;
            const customerId = customerIdOf(saved);
            if (pathId === NOT_CREATED) {
                throw new UnexpectedAnswer("not called: a record it needs was not created");
            }
            const lookupValue = step.value === undefined ? "" : scenario.values.get(step.value) ?? "";
            const outcome = await operation({ step, pathId, lookupValue, customerId, values: scenario.values });
            if (outcome.status !== step.status) {
                throw new UnexpectedAnswer(`HTTP ${outcome.status}, documented ${step.status}`);
            }
            const expectedShape = step.answer === null ? "none" : step.answer === "WebhookList" ? "array" : "object";
            if (outcome.shape !== expectedShape) {
                throw new UnexpectedAnswer(`answer read: ${outcome.shape}, documented: ${expectedShape}`);
            }
            if (step.id !== undefined && outcome.id !== undefined && outcome.id !== pathId) {
                throw new UnexpectedAnswer("the answer is another record than the one the path names");
            }
            if (step.saves !== undefined) {
                if (typeof outcome.id !== "string") {
                    throw new UnexpectedAnswer("the answer has no id");
                }
                saved.set(step.saves, outcome.id);
            }
        } catch (error: unknown) {
            failures.push(`    ${step.operation} (${step.name}): ${describe(error)}`);
            failedOperations.add(step.operation);
        }
    }
    const plain = [...lookups].filter(([, lookup]) => !lookup).map(([name]) => name);
    const lookupNames = [...lookups].filter(([, lookup]) => lookup).map(([name]) => name);
    const passed = plain.filter((name) => !failedOperations.has(name)).length;
    const passedLookups = lookupNames.filter((name) => !failedOperations.has(name)).length;
    console.log(`${generator}, ${mode}: ${passed}/${plain.length} operations, ${passedLookups}/${lookupNames.length} look-ups`);
    for (const failure of failures) {
        console.log(failure);
    }
    return failures.length === 0 ? 0 : 1;
}

export function savedCustomerId(saved: Map<string, string>): string {
    return saved.get("customer") ?? NOT_CREATED;
}

// The bytes of a one-pixel PNG: the uploaded document.
export const DOCUMENT = Buffer.from(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    + "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082",
    "hex",
);

/**
 * `/openapi.json` is a valid OpenAPI 3.1 document (checked against the official
 * schema by a validator that needs code generation, so it runs in Node).
 */
import { Validator } from "@seriousme/openapi-schema-validator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevWorker, startDevWorker } from "./dev-worker.ts";

describe("GET /openapi.json", () => {
  let worker: DevWorker;

  beforeAll(async () => {
    worker = await startDevWorker();
  }, 60_000);

  afterAll(() => worker?.stop());

  it("is a valid OpenAPI 3.1 document", async () => {
    const document = (await (await fetch(`${worker.origin}/openapi.json`)).json()) as Record<string, unknown>;
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });
});

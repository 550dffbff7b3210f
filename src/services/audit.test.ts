import { describe, expect, it } from "vitest";
import { sanitised } from "./audit.ts";

describe("an audit event's details", () => {
  it("drop every field named like a secret, and any long text", () => {
    const kept = sanitised({
      method: "password",
      reason: "wrong_password",
      password: "hunter2",
      new_password: "hunter3",
      refresh_token: "a.b.c",
      key: "gate_x",
      recovery_code: "ab3de-fg4hk",
      api_key_id: "kept: an id is no secret",
      password_rehashed: true,
      pasted: "x".repeat(201),
    });
    expect(kept).toEqual({
      method: "password",
      reason: "wrong_password",
      api_key_id: "kept: an id is no secret",
      password_rehashed: true,
    });
  });
});

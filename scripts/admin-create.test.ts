import { neon } from "@neondatabase/serverless";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nobleArgon2id } from "../src/credentials/argon2id-noble.ts";
import { createPasswordHashing } from "../src/credentials/passwords.ts";
import { createAdmin } from "./admin-create.ts";
import { startMigratedDatabase } from "./db/migrated-database.ts";

const { verifyPassword } = createPasswordHashing(() => nobleArgon2id);

let database: Awaited<ReturnType<typeof startMigratedDatabase>>;
let url: string;

beforeAll(async () => {
  database = await startMigratedDatabase();
  url = database.url;
});
afterAll(() => database.close());

const userRow = async (email: string) =>
  (await neon(url)`SELECT role, password_hash FROM users WHERE email = ${email}`)[0] as
    | { role: string; password_hash: string }
    | undefined;

describe("npm run admin:create", () => {
  it("creates an admin whose password verifies, and promotes an existing account keeping its password", async () => {
    expect(await createAdmin(url, "root@example.com", "first admin password")).toBe("created");
    const created = await userRow("root@example.com");
    expect(created?.role).toBe("admin");
    expect(await verifyPassword("first admin password", created?.password_hash)).toBe(true);

    await neon(url)`UPDATE users SET role = 'user' WHERE email = 'root@example.com'`;
    expect(await createAdmin(url, "ROOT@example.com", "another password")).toBe("promoted");
    const promoted = await userRow("root@example.com");
    expect(promoted?.role).toBe("admin");
    expect(promoted?.password_hash).toBe(created?.password_hash);
  });

  it("refuses a password outside 8..1024 characters", async () => {
    await expect(createAdmin(url, "weak@example.com", "short")).rejects.toThrow(/8 to 1024/);
    expect(await userRow("weak@example.com")).toBeUndefined();
  });
});

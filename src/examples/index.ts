import type { Router } from "../http/router.ts";
import { employeeRouters } from "./employees/index.ts";
import { flagsList } from "./flags/list.ts";
import { noteRouters } from "./notes/index.ts";
import { protectedRouters } from "./protected/demo.ts";

/**
 * The example resources, mounted under `/v1` beside the product by `createApp`: routes
 * guarded each way (`/v1/protected/*`), an owner-scoped resource (`/v1/notes`), a
 * searchable, sortable list (`/v1/employees`) and the feature flags (`/v1/flags`).
 * Nothing outside `src/examples/` imports them; docs/architecture.md "Removing the examples" says how to
 * remove them.
 */
export const exampleRouters: Router[] = [...protectedRouters, ...noteRouters, ...employeeRouters, flagsList];

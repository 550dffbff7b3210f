import type { Router } from "../../http/router.ts";
import { passkeyDelete } from "./delete.ts";
import { passkeyList } from "./list.ts";
import { passkeyLoginOptions } from "./login-options.ts";
import { passkeyLogin } from "./passkey-login.ts";
import { passkeyRegister } from "./register.ts";
import { passkeyRegisterOptions } from "./register-options.ts";
import { passkeyRename } from "./rename.ts";

/** `/v1/auth/passkeys`: WebAuthn registration, the user's passkeys, passwordless login. */
export const passkeyRouters: Router[] = [
  passkeyRegisterOptions,
  passkeyRegister,
  passkeyList,
  passkeyRename,
  passkeyDelete,
  passkeyLoginOptions,
  passkeyLogin,
];

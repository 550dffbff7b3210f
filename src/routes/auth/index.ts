import type { Router } from "../../http/router.ts";
import { activity } from "./activity.ts";
import { jwtLogin } from "./cookie-login.ts";
import { emailVerify } from "./email-verify.ts";
import { emailVerifyRequest } from "./email-verify-request.ts";
import { emailVerifyResend } from "./email-verify-resend.ts";
import { logout } from "./logout.ts";
import { me } from "./me.ts";
import { mfaEnrolment } from "./mfa-enrolment.ts";
import { mfaVerify } from "./mfa-verify.ts";
import { password } from "./password.ts";
import { passwordForgot } from "./password-forgot.ts";
import { login } from "./password-login.ts";
import { passwordReset } from "./password-reset.ts";
import { reauthenticate } from "./reauthenticate.ts";
import { refresh } from "./refresh.ts";
import { register } from "./register.ts";
import { sessionDelete } from "./session-delete.ts";
import { sessions } from "./sessions.ts";
import { token } from "./token.ts";

/** `/v1/auth`: accounts and sessions. */
export const authRouters: Router[] = [
  register,
  login,
  token,
  jwtLogin,
  refresh,
  logout,
  me,
  sessions,
  sessionDelete,
  activity,
  password,
  reauthenticate,
  passwordForgot,
  passwordReset,
  emailVerify,
  emailVerifyResend,
  emailVerifyRequest,
  mfaEnrolment,
  mfaVerify,
];

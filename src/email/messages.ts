import type { Email } from "./sender.ts";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/**
 * An email with one action: a link (the token travels in the fragment, which browsers
 * never send to a server or put in a Referer) and the same token as a code to paste.
 */
function actionEmail(
  to: string,
  subject: string,
  lines: { intro: string; link: string; code: string; outro: string },
): Email {
  const { intro, link, code, outro } = lines;
  return {
    to,
    subject,
    text: `${intro}\n\n${link}\n\nOr paste this code: ${code}\n\n${outro}\n`,
    html: `<p>${escapeHtml(intro)}</p><p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p><p>Or paste this code: <code>${escapeHtml(code)}</code></p><p>${escapeHtml(outro)}</p>`,
  };
}

export function passwordResetEmail(to: string, appUrl: string, token: string, validMinutes: number): Email {
  return actionEmail(to, "Reset your password", {
    intro: "Someone asked to reset the password of your account. To choose a new one, open:",
    link: `${appUrl}/reset-password#token=${token}`,
    code: token,
    outro: `This works once, for ${validMinutes} minutes, and ends every session of the account. If it was not you, ignore this email: your password stays as it is.`,
  });
}

export function verificationEmail(to: string, appUrl: string, token: string, validHours: number): Email {
  return actionEmail(to, "Verify your email address", {
    intro: "To confirm that this address is yours, open:",
    link: `${appUrl}/verify-email#token=${token}`,
    code: token,
    outro: `This works once, for ${validHours} hours. If you did not create an account, ignore this email.`,
  });
}

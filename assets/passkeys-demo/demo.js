// The passkeys demo page of `npm run dev`: the API's own calls, nothing else.
// Tokens stay in this page's memory; reloading logs out. The status line changes
// last in every action, so a reader (or a test) sees it once the page is settled.

let tokens = null;
const $ = (id) => document.getElementById(id);
const show = (text) => {
  $("status").textContent = text;
};

async function api(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  if (tokens) headers.Authorization = `Bearer ${tokens.access_token}`;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error(`${response.status} ${data?.code ?? ""}: ${data?.detail ?? text}`);
  return data;
}

async function loggedIn(pair) {
  tokens = pair;
  const me = await api("GET", "/v1/auth/me");
  await listPasskeys();
  show(`Logged in as ${me.email}.`);
}

async function listPasskeys() {
  const list = $("passkeys");
  list.replaceChildren();
  if (!tokens) return;
  for (const passkey of await api("GET", "/v1/auth/passkeys")) {
    const item = document.createElement("li");
    item.textContent = `${passkey.name} (added ${passkey.created_at.slice(0, 10)})`;
    const remove = document.createElement("button");
    remove.textContent = "Delete";
    remove.className = "delete-passkey";
    remove.addEventListener("click", () =>
      run(async () => {
        await api("DELETE", `/v1/auth/passkeys/${passkey.id}`);
        await listPasskeys();
        show(`Deleted ${passkey.name}.`);
      }),
    );
    item.append(remove);
    list.append(item);
  }
}

/** Runs an action, showing its error instead of losing it. */
async function run(action) {
  try {
    await action();
  } catch (error) {
    show(`Error: ${error.message}`);
  }
}

$("password-form").addEventListener("submit", (event) => {
  event.preventDefault();
  run(async () => {
    let result = await api("POST", "/v1/auth/login", { login: $("login").value, password: $("password").value });
    if (result.mfa_required) {
      const code = prompt("Code from your authenticator app");
      result = await api("POST", "/v1/auth/mfa/verify", { mfa_token: result.mfa_token, code });
    }
    await loggedIn(result);
  });
});

$("add-passkey").addEventListener("click", () =>
  run(async () => {
    if (!tokens) throw new Error("log in first");
    const options = await api("POST", "/v1/auth/passkeys/register/options");
    const credential = await navigator.credentials.create({
      publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
    });
    const passkey = await api("POST", "/v1/auth/passkeys/register", {
      response: credential.toJSON(),
      name: `${navigator.platform || "This device"} passkey`,
    });
    await listPasskeys();
    show(`Added ${passkey.name}.`);
  }),
);

$("logout").addEventListener("click", () =>
  run(async () => {
    if (tokens) await api("POST", "/v1/auth/logout", { refresh_token: tokens.refresh_token });
    tokens = null;
    await listPasskeys();
    show("Logged out.");
  }),
);

$("passkey-login").addEventListener("click", () =>
  run(async () => {
    tokens = null;
    const options = await api("POST", "/v1/auth/passkeys/login/options", {});
    const credential = await navigator.credentials.get({
      publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options),
    });
    await loggedIn(await api("POST", "/v1/auth/passkeys/login", { response: credential.toJSON() }));
  }),
);

// Passkeys are bound to a domain name (RP_ID); an IP address in the URL bar is none.
if (/^[\d.]+$|^\[/.test(location.hostname)) {
  show(
    `Open this page at http://localhost:${location.port}/passkeys-demo: passkeys need a domain name, not an IP address.`,
  );
}

/** The demo provider's HTML pages (German, accessible, every value escaped). */
import type { DemoAccount } from './accounts';

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
label{display:block;margin-top:1rem;font-weight:600}input{font:inherit;padding:.4rem;width:100%;box-sizing:border-box;border:1px solid #555}
button{margin-top:1.2rem;font:inherit;padding:.5rem 1.2rem;background:#0b5394;color:#fff;border:2px solid #0b5394;min-height:44px}
button.secondary{background:#fff;color:#0b5394}.actions{display:flex;flex-wrap:wrap;gap:0 .75rem;align-items:end}
.note{background:#fff4ce;padding:.6rem;border-left:4px solid #8a6d00}.error{color:#a30000;font-weight:600}
code{background:#eee;padding:0 .2rem}table{border-collapse:collapse;width:100%}td,th{text-align:left;vertical-align:top;padding:.15rem .6rem .15rem 0}
td{overflow-wrap:anywhere}.table-wrap{max-width:100%;overflow-x:auto}`;

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="de-CH">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body>
</html>`;
}

export function loginPage(opts: { action: string; abortAction: string; clientName: string; username?: string; error?: string; accounts: readonly DemoAccount[] }): string {
  const error = opts.error ? `<p class="error" role="alert" id="login-error">${escapeHtml(opts.error)}</p>` : '';
  const described = opts.error ? ' aria-describedby="login-error"' : '';
  const rows = opts.accounts
    .map((a) => `<tr><td><code>${escapeHtml(a.username)}</code></td><td>${escapeHtml(a.kind === 'citizen' ? `${a.givenName} ${a.familyName} (${a.note})` : `${a.name}, Mitarbeitende`)}</td></tr>`)
    .join('');
  return page(
    'Anmelden – Kanton Luzern (Demo)',
    `<h1>Anmelden – Kanton Luzern (Demo)</h1>
<p class="note">Dies ist der Demo-Anmeldedienst. Er ersetzt im Demobetrieb das echte Login (AGOV); alle Personen sind erfunden.</p>
<p>Anmeldung für: ${escapeHtml(opts.clientName)}</p>
${error}
<form method="post" action="${escapeHtml(opts.action)}" id="login-form">
<label for="username">Benutzername</label>
<input id="username" name="username" autocomplete="username" required value="${escapeHtml(opts.username ?? '')}"${described}>
<label for="password">Passwort</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${described}>
</form>
<form method="post" action="${escapeHtml(opts.abortAction)}" id="abort-form"></form>
<div class="actions">
<button type="submit" form="login-form">Anmelden</button>
<button type="submit" form="abort-form" class="secondary">Abbrechen</button>
</div>
<h2>Demo-Konten</h2>
<p>Alle Konten haben das Demo-Passwort. Mitarbeitende, die in der Administration des Backoffice angelegt wurden, melden sich hier mit ihrem dort gesetzten Passwort an.</p>
<div class="table-wrap"><table><thead><tr><th scope="col">Benutzername</th><th scope="col">Person</th></tr></thead><tbody>${rows}</tbody></table></div>`,
  );
}

export function errorPage(status: number, detail: string): string {
  return page(
    'Fehler – Anmeldung Kanton Luzern (Demo)',
    `<h1>Die Anmeldung ist fehlgeschlagen</h1>
<p>${status === 400 || status === 401 || status === 403 ? 'Die Anfrage ist ungültig oder abgelaufen. Bitte beginnen Sie die Anmeldung erneut.' : 'Bitte versuchen Sie es später erneut.'}</p>
${detail ? `<p>Details: ${escapeHtml(detail)}</p>` : ''}`,
  );
}

/** The provider's sign-out question (`form` is oidc-provider's own hidden form with its CSRF value). */
export function logoutPage(form: string): string {
  return page(
    'Abmelden – Kanton Luzern (Demo)',
    `<h1>Abmelden – Kanton Luzern (Demo)</h1>
<p>Möchten Sie sich beim Demo-Anmeldedienst abmelden?</p>
${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Ja, abmelden</button>
<button type="submit" form="op.logoutForm">Nein, angemeldet bleiben</button>`,
  );
}

export function loggedOutPage(): string {
  return page('Abgemeldet – Kanton Luzern (Demo)', '<h1>Sie sind abgemeldet</h1><p>Sie haben sich beim Demo-Anmeldedienst abgemeldet.</p>');
}

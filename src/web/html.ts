// Minimal server-side HTML: one escape function and the page frame. Pages carry no inline script
// or style (the CSP forbids both); the look comes from /assets/oauth.css.

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and double- or single-quoted attribute values. */
export const esc = (value: string): string => value.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);

export const OAUTH_CSS_PATH = '/assets/oauth.css';

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(title)} · rackd</title>
<link rel="stylesheet" href="${OAUTH_CSS_PATH}">
</head>
<body>
<main class="card">
${body}
</main>
</body>
</html>
`;
}

/** Hidden inputs that carry the authorization request through a form post. */
export function hiddenFields(fields: Readonly<Record<string, string>>): string {
  return Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('\n');
}

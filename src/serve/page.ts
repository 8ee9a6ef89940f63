/**
 * The one page of the workbench. It carries no data and no inline script or style (the CSP allows
 * only /app.js and /app.css from this server); the app reads everything through /api.
 */
export function pageHtml(options: { write: boolean }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>hoptrace workbench</title>
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body data-write="${options.write ? 'true' : 'false'}">
<noscript>The hoptrace workbench needs JavaScript.</noscript>
</body>
</html>
`;
}

export function unauthorisedHtml(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>hoptrace workbench</title></head>
<body><p>Open the address <code>hoptrace serve</code> printed: it carries the access token.</p></body></html>
`;
}

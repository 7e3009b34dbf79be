/**
 * A self-contained API reference (no CDN, works offline) that renders /openapi.json in the browser.
 */
export const REFERENCE_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Approval Engine API reference</title>
<style>
  body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 960px; padding: 1rem 2rem; color: #1d2330; }
  h1 { font-size: 1.6rem; } code, pre { font: 13px ui-monospace, monospace; }
  details { border: 1px solid #d5d9e0; border-radius: 6px; margin: .5rem 0; padding: .4rem .8rem; }
  summary { cursor: pointer; } summary code { font-weight: 600; }
  .verb { background: #2f6fde; color: #fff; border-radius: 4px; padding: 0 .4rem; margin-right: .5rem; font-size: 12px; }
  pre { background: #f5f7fa; padding: .6rem; overflow-x: auto; border-radius: 4px; }
</style>
</head>
<body>
<h1>Approval Engine API reference</h1>
<p id="intro"></p>
<p>Headers on every request: <code>x-velt-api-key</code>, <code>x-velt-auth-token</code>, <code>content-type: application/json</code>.
Machine-readable: <a href="/openapi.json">/openapi.json</a>.</p>
<div id="endpoints">Loading…</div>
<script>
fetch('/openapi.json').then((r) => r.json()).then((doc) => {
  document.getElementById('intro').textContent = doc.info.description;
  const root = document.getElementById('endpoints');
  root.textContent = '';
  for (const [path, item] of Object.entries(doc.paths)) {
    const op = item.post;
    const details = document.createElement('details');
    const summary = document.createElement('summary');
    summary.innerHTML = '<span class="verb">POST</span><code></code> — <span></span>';
    summary.querySelector('code').textContent = path;
    summary.querySelector('span:last-child').textContent = op.summary;
    const pre = document.createElement('pre');
    pre.textContent = JSON.stringify(op.requestBody.content['application/json'].schema, null, 2);
    details.append(summary, document.createTextNode('Request body:'), pre);
    root.append(details);
  }
});
</script>
</body>
</html>
`;

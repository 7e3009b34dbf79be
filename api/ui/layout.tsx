import type { Child } from 'hono/jsx';

/* The one stylesheet of the pages (docs/ui.md): inline, so pages need no other request and the CSP stays strict. */
const STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6476; --line: #d7dce5; --accent: #1f5fbf; --ok: #1e7b3a; --bad: #b42318; --wait: #a15c00; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f6f7f9; }
header.top { background: #101828; color: #fff; padding: .6rem 1.2rem; display: flex; gap: 1.2rem; align-items: center; }
header.top a { color: #fff; }
header.top .brand { font-weight: 600; margin-right: auto; }
main { max-width: 70rem; margin: 1.2rem auto; padding: 0 1.2rem; }
section.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.2rem; margin-bottom: 1rem; }
h1 { font-size: 1.45rem; margin: .2rem 0 .8rem; }
h2 { font-size: 1.1rem; margin: 0 0 .6rem; }
pre { background: #f1f3f7; border-radius: 6px; padding: .6rem .8rem; overflow: auto; max-height: 18rem; margin: .3rem 0; font-size: 13px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-weight: 600; color: var(--muted); font-size: 13px; }
.muted { color: var(--muted); }
.status { display: inline-block; padding: 0 .5rem; border-radius: 999px; font-size: 13px; border: 1px solid currentColor; }
.status-completed, .status-approve, .decision-approve { color: var(--ok); }
.status-failed, .status-reject, .status-breached, .decision-reject { color: var(--bad); }
.status-waiting, .status-running, .status-pending { color: var(--wait); }
.status-cancelled, .status-skipped { color: var(--muted); }
label { display: block; font-weight: 600; margin: .6rem 0 .2rem; }
input[type=text], input[type=password], textarea, select { width: 100%; max-width: 32rem; padding: .45rem .55rem; border: 1px solid #98a2b3; border-radius: 6px; font: inherit; }
textarea { min-height: 5rem; }
button { font: inherit; padding: .5rem 1.1rem; border-radius: 6px; border: 1px solid #344054; background: #fff; cursor: pointer; margin: .6rem .5rem 0 0; }
button.approve { background: var(--ok); border-color: var(--ok); color: #fff; }
button.reject { background: var(--bad); border-color: var(--bad); color: #fff; }
button:focus-visible, a:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible { outline: 3px solid #f79009; outline-offset: 2px; }
.notice { border-left: 4px solid var(--accent); padding: .6rem .9rem; background: #eef4ff; border-radius: 4px; }
.refusal { border-left-color: var(--bad); background: #fef3f2; }
.filters { display: flex; flex-wrap: wrap; gap: .2rem 1rem; align-items: end; }
.filters label { font-size: 13px; }
.filters input { width: 12rem; }
svg.graph { max-width: 100%; height: auto; }
svg.graph text { font: 12px system-ui, sans-serif; }
`;

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/** Headers every page carries: no caching (links and sessions are credentials), no referrer (a link's token must not leak), a strict CSP. */
export const PAGE_HEADERS: Record<string, string> = {
  'content-security-policy': CSP,
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

export interface LayoutProps {
  title: string;
  /** Shown in the bar: the signed-in workspace's navigation, or nothing on reviewer pages. */
  nav?: Child;
  children?: Child;
}

export const Layout = ({ title, nav, children }: LayoutProps) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${title} · Approval engine`}</title>
      <style>{STYLE}</style>
    </head>
    <body>
      <header class="top">
        <span class="brand">Approval engine</span>
        {nav}
      </header>
      <main>{children}</main>
    </body>
  </html>
);

export const StatusBadge = ({ status }: { status: string }) => <span class={`status status-${status}`}>{status}</span>;

/** JSON for people: pretty, and cut at a size a page can hold. */
export const JsonBlock = ({ value, limit = 8000 }: { value: unknown; limit?: number }) => {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  return <pre>{text.length > limit ? `${text.slice(0, limit)}\n… (${text.length - limit} more characters)` : text}</pre>;
};

export const formatTime = (ms: number | null | undefined): string =>
  typeof ms === 'number' ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '—';

/** A page that refuses: what happened and what to do, never a stack trace. */
export const RefusalPage = ({ title, message }: { title: string; message: string }) => (
  <Layout title={title}>
    <section class="card">
      <h1>{title}</h1>
      <p class="notice refusal" role="alert">
        {message}
      </p>
    </section>
  </Layout>
);

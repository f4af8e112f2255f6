// Renders the bundled OpenAPI document (JSON) as one static HTML page: every operation, every
// notification with its envelope, decrypted payload and expected answer, every schema.
//
//   node scripts/render-reference.mjs target/bundle/openapi.json target/bundle/api-reference.html
//
// Why our own renderer rather than `redocly build-docs`: Redoc 3 pages carry the renderer's
// telemetry code and CDN icon URLs, and show nothing of `x-wechatpay-decrypted-resource`, the
// payload a callback implementer needs most. This page has no script, loads nothing (its
// Content-Security-Policy forbids any fetch) and names a CJK font stack. Node only, no packages.
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: node render-reference.mjs <bundle.json> <out.html>');
  process.exit(2);
}
const doc = JSON.parse(readFileSync(input, 'utf8'));
const schemas = doc.components?.schemas ?? {};

// Chinese glyphs come from the first of these the viewer has; Latin text from the system UI font.
const FONT_STACK = `-apple-system, "Segoe UI", Roboto, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif`;
const MONO_STACK = `ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK SC", "WenQuanYi Zen Hei Mono", monospace`;

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const refName = (ref) => ref.split('/').pop();
const deref = (node) => {
  let seen = 0;
  while (node && node.$ref && seen++ < 20) {
    node = node.$ref.split('/').slice(1).reduce((n, k) => n?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return node ?? {};
};
const schemaLink = (name) => `<a href="#schema-${esc(name)}"><code>${esc(name)}</code></a>`;

// A small Markdown subset (headings, lists, paragraphs, `code`, **bold**, links as text): enough
// for the document's descriptions, with everything escaped first.
function inline(text) {
  return esc(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
}
function markdown(text) {
  if (!text) return '';
  const out = [];
  let list = null;
  let para = [];
  const flushPara = () => { if (para.length) { out.push(`<p>${inline(para.join(' '))}</p>`); para = []; } };
  const flushList = () => { if (list) { out.push(`<${list.tag}>${list.items.map((i) => `<li>${inline(i)}</li>`).join('')}</${list.tag}>`); list = null; } };
  for (const raw of String(text).split('\n')) {
    const line = raw.trimEnd();
    const heading = line.match(/^(#{1,4})\s+(.*)$/);
    const bullet = line.match(/^\s*[-*]\s+(.*)$/);
    const numbered = line.match(/^\s*\d+\.\s+(.*)$/);
    if (!line.trim()) { flushPara(); flushList(); continue; }
    if (heading) { flushPara(); flushList(); out.push(`<h4>${inline(heading[2])}</h4>`); continue; }
    if (bullet || numbered) {
      flushPara();
      const tag = bullet ? 'ul' : 'ol';
      if (!list || list.tag !== tag) { flushList(); list = { tag, items: [] }; }
      list.items.push((bullet || numbered)[1]);
      continue;
    }
    if (list && /^\s+/.test(raw)) { list.items[list.items.length - 1] += ' ' + line.trim(); continue; }
    flushList();
    para.push(line.trim());
  }
  flushPara();
  flushList();
  return out.join('\n');
}

/** The constraints of a schema, as short text. */
function constraints(s) {
  const c = [];
  if (s.format) c.push(s.format);
  if (s.pattern) c.push(`pattern <code>${esc(s.pattern)}</code>`);
  if (s.minLength !== undefined) c.push(`minLength ${s.minLength}`);
  if (s.maxLength !== undefined) c.push(`maxLength ${s.maxLength}`);
  if (s['x-wechatpay-weighted-max-length'] !== undefined) c.push(`weighted max length ${s['x-wechatpay-weighted-max-length']} (CJK counts 2)`);
  if (s.minimum !== undefined) c.push(`minimum ${s.minimum}`);
  if (s.maximum !== undefined) c.push(`maximum ${s.maximum}`);
  if (s.enum) c.push(`one of ${s.enum.map((v) => `<code>${esc(v)}</code>`).join(' | ')}`);
  if (s['x-extensible-enum']) c.push(`known values (open set) ${s['x-extensible-enum'].map((v) => `<code>${esc(v)}</code>`).join(' | ')}`);
  if (s.additionalProperties === false) c.push('no other fields');
  if (s.not?.anyOf) c.push(`must not carry ${s.not.anyOf.flatMap((a) => a.required ?? []).map((f) => `<code>${esc(f)}</code>`).join(', ')}`);
  return c.join('; ');
}

function typeOf(node) {
  if (node.$ref) return schemaLink(refName(node.$ref));
  if (node.type === 'array') return `array of ${node.items ? typeOf(node.items) : 'any'}`;
  if (node.oneOf) return `one of ${node.oneOf.map(typeOf).join(', ')}`;
  return esc(node.type ?? 'any');
}

/** Rows of a field table: every property, nested objects and arrays of objects expanded below it. */
function rows(node, depth, path, seen) {
  const s = deref(node);
  const out = [];
  const required = new Set(s.required ?? []);
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    const target = deref(prop.type === 'array' ? prop.items : prop);
    const own = deref(prop);
    const description = prop.description ?? own.description ?? '';
    out.push(`<tr><td style="padding-left:${0.5 + depth * 1.25}em"><code>${esc(name)}</code>${required.has(name) ? ' <span class="req">required</span>' : ''}</td>`
      + `<td>${typeOf(prop)}</td><td>${constraints(own)}${own.items ? constraints(deref(own.items)) : ''}</td><td>${inline(description)}</td></tr>`);
    const ref = (prop.type === 'array' ? prop.items : prop)?.$ref;
    if (target.properties && !(ref && seen.has(ref)) && depth < 8) {
      out.push(...rows(target, depth + 1, `${path}.${name}`, ref ? new Set([...seen, ref]) : seen));
    }
  }
  return out;
}

function fieldTable(node) {
  const s = deref(node);
  if (s.oneOf) {
    return `<p>One of, chosen by <code>${esc(s.discriminator?.propertyName ?? '')}</code>:</p>`
      + s.oneOf.map((b) => `<h5>${typeOf(b)}</h5>${b.$ref ? `<p>${inline(deref(b).description ?? '')}</p>` : ''}${constraints(deref(b)) ? `<p>${constraints(deref(b))}</p>` : ''}${fieldTable(b)}`).join('');
  }
  if (!s.properties) return `<p>${typeOf(node)} ${constraints(s)}</p>`;
  return `<table class="fields"><thead><tr><th>field</th><th>type</th><th>constraints</th><th>description</th></tr></thead><tbody>${rows(node, 0, '', new Set(node.$ref ? [node.$ref] : [])).join('')}</tbody></table>`;
}

const json = (value) => `<pre>${esc(JSON.stringify(value, null, 2))}</pre>`;

function examples(media) {
  const out = [];
  for (const [name, ex] of Object.entries(media.examples ?? {})) {
    const e = deref(ex);
    out.push(`<details><summary>Example <code>${esc(name)}</code>${e.summary ? ': ' + inline(e.summary) : ''}</summary>${json(e.value)}</details>`);
  }
  if (media.example !== undefined) out.push(`<details><summary>Example</summary>${json(media.example)}</details>`);
  return out.join('');
}

function body(title, media) {
  if (!media) return '';
  const schema = media.schema ?? {};
  return `<h4>${title}: ${typeOf(schema)}</h4>${fieldTable(schema)}${examples(media)}`;
}

function parameters(list) {
  if (!list?.length) return '';
  const rowsHtml = list.map(deref).map((p) => `<tr><td><code>${esc(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ''}</td><td>${esc(p.in)}</td>`
    + `<td>${typeOf(p.schema ?? {})} ${constraints(deref(p.schema ?? {}))}</td><td>${inline(p.description ?? '')}${p.example !== undefined ? ` Example: <code>${esc(p.example)}</code>` : ''}</td></tr>`).join('');
  return `<table class="fields"><thead><tr><th>name</th><th>in</th><th>schema</th><th>description</th></tr></thead><tbody>${rowsHtml}</tbody></table>`;
}

function responses(list) {
  return Object.entries(list ?? {}).map(([status, r]) => {
    const resp = deref(r);
    const headers = Object.keys(resp.headers ?? {});
    const media = resp.content?.['application/json'];
    return `<section class="response"><h4>${esc(status)} ${r.$ref ? `<small>(${esc(refName(r.$ref))})</small>` : ''}</h4>${markdown(resp.description)}`
      + (headers.length ? `<p>Headers: ${headers.map((h) => `<code>${esc(h)}</code>`).join(', ')}</p>` : '')
      + (media ? `<p>Body: ${typeOf(media.schema ?? {})}</p>${fieldTable(media.schema ?? {})}${examples(media)}` : '')
      + '</section>';
  }).join('');
}

const EXTENSIONS = ['x-wechatpay-rate-limit', 'x-wechatpay-notifications', 'x-wechatpay-notification-retry'];
function extensions(op) {
  const found = EXTENSIONS.filter((k) => op[k] !== undefined);
  return found.length ? `<p class="ext">${found.map((k) => `<code>${k}</code>: <code>${esc(JSON.stringify(op[k]))}</code>`).join('<br>')}</p>` : '';
}

const toc = [];
const sections = [];

for (const [path, item] of Object.entries(doc.paths ?? {})) {
  for (const [method, op] of Object.entries(item)) {
    if (!op.operationId) continue;
    toc.push(`<li><a href="#op-${esc(op.operationId)}">${esc(op.operationId)}</a> ${esc(op.summary ?? '')}</li>`);
    sections.push(`<section class="operation" id="op-${esc(op.operationId)}">
<h3><span class="method">${method.toUpperCase()}</span> <code>${esc(path)}</code></h3>
<p><strong>${esc(op.summary ?? '')}</strong> &middot; operationId <code>${esc(op.operationId)}</code></p>
${extensions(op)}${markdown(op.description)}
${op.parameters ? '<h4>Parameters</h4>' + parameters(op.parameters) : ''}
${body('Request body', op.requestBody?.content?.['application/json'])}
<h4>Answers</h4>${responses(op.responses)}
</section>`);
  }
}

const webhookToc = [];
const webhooks = [];
for (const [event, item] of Object.entries(doc['x-webhooks'] ?? {})) {
  const op = item.post ?? {};
  const decrypted = op['x-wechatpay-decrypted-resource'];
  const decryptedSchema = deref(decrypted ?? {});
  webhookToc.push(`<li><a href="#webhook-${esc(event)}">${esc(event)}</a> ${esc(op.summary ?? '')}</li>`);
  webhooks.push(`<section class="operation" id="webhook-${esc(event)}">
<h3><span class="method">POST</span> ${esc(event)} <small>to the merchant's callback URL</small></h3>
<p><strong>${esc(op.summary ?? '')}</strong> &middot; operationId <code>${esc(op.operationId ?? '')}</code></p>
${extensions(op)}${markdown(op.description)}
<h4>1. Headers WeChat Pay sends</h4>${parameters(op.parameters)}
${body('2. Envelope (the POST body)', op.requestBody?.content?.['application/json'])}
<h4>3. Decrypted payload: <code>resource.ciphertext</code> decrypts to ${decrypted ? typeOf(decrypted) : 'an undocumented resource'}</h4>
${markdown(decryptedSchema.description)}${decrypted ? fieldTable(decrypted) : ''}
${decryptedSchema.example !== undefined ? `<details open><summary>Decrypted example</summary>${json(decryptedSchema.example)}</details>` : ''}
<h4>4. The answer expected from the merchant</h4>${responses(op.responses)}
</section>`);
}

const schemaToc = [];
const schemaSections = [];
for (const [name, s] of Object.entries(schemas)) {
  schemaToc.push(`<li>${schemaLink(name)}</li>`);
  schemaSections.push(`<section class="schema" id="schema-${esc(name)}"><h3><code>${esc(name)}</code> <small>${typeOf(s)}</small></h3>
${markdown(s.description)}${constraints(s) ? `<p>${constraints(s)}</p>` : ''}${s.properties || s.oneOf ? fieldTable({ $ref: `#/components/schemas/${name}` }) : ''}
${s.example !== undefined ? `<details><summary>Example</summary>${json(s.example)}</details>` : ''}</section>`);
}

const security = Object.entries(doc.components?.securitySchemes ?? {})
  .map(([name, s]) => `<section class="schema" id="security-${esc(name)}"><h3><code>${esc(name)}</code> <small>${esc(s.type)} in ${esc(s.in)} ${esc(s.name)}</small></h3>${markdown(s.description)}</section>`).join('');

const errorRows = Object.entries(doc.components?.examples ?? {})
  .map(([name, e]) => `<tr><td><code>${esc(name)}</code></td><td><code>${esc(e.value?.code ?? '')}</code></td><td>${esc(e.value?.message ?? '')}</td><td>${inline(e.summary ?? '')}</td></tr>`).join('');

const info = doc.info ?? {};
const page = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(info.title ?? 'API reference')} ${esc(info.version ?? '')}</title>
<style>
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg-soft: #f6f8fa; --accent: #07c160; }
body { margin: 0; font-family: ${FONT_STACK}; color: var(--fg); line-height: 1.55; font-size: 15px; }
code, pre { font-family: ${MONO_STACK}; font-size: 0.9em; }
pre { background: var(--bg-soft); border: 1px solid var(--line); border-radius: 6px; padding: 0.75em; overflow-x: auto; }
header { background: #111; color: #fff; padding: 1.25em 2em; }
header h1 { margin: 0; font-size: 1.6em; }
header p { margin: 0.25em 0 0; color: #ccc; }
nav { position: fixed; top: 0; bottom: 0; left: 0; width: 270px; overflow-y: auto; padding: 1em; border-right: 1px solid var(--line); background: var(--bg-soft); box-sizing: border-box; font-size: 0.9em; }
nav ul { padding-left: 1.1em; margin: 0.25em 0 1em; }
main { margin-left: 270px; }
.content { padding: 1em 2em 4em; max-width: 1200px; }
h2 { border-bottom: 2px solid var(--accent); padding-bottom: 0.2em; margin-top: 2em; }
section.operation, section.schema { border: 1px solid var(--line); border-radius: 8px; padding: 0.5em 1.25em 1em; margin: 1.25em 0; }
section.response { border-left: 3px solid var(--line); padding-left: 1em; margin: 0.75em 0; }
.method { background: var(--accent); color: #fff; border-radius: 4px; padding: 0.1em 0.5em; font-size: 0.8em; }
.req { color: #cf222e; font-size: 0.8em; }
.ext { color: var(--muted); }
table.fields { border-collapse: collapse; width: 100%; margin: 0.5em 0; font-size: 0.92em; }
table.fields th, table.fields td { border: 1px solid var(--line); padding: 0.3em 0.5em; vertical-align: top; text-align: left; }
table.fields th { background: var(--bg-soft); }
details summary { cursor: pointer; color: var(--muted); margin: 0.4em 0; }
a { color: #0969da; text-decoration: none; }
</style>
</head>
<body>
<nav>
<strong>Operations</strong><ul>${toc.join('')}</ul>
<strong>Notifications</strong><ul>${webhookToc.join('')}</ul>
<strong>Schemas</strong><ul>${schemaToc.join('')}</ul>
<strong><a href="#errors">Error codes</a></strong>
</nav>
<main>
<header><h1>${esc(info.title ?? '')}</h1><p>version ${esc(info.version ?? '')} &middot; OpenAPI ${esc(doc.openapi ?? '')}</p></header>
<div class="content">
<h2 id="about">About</h2>
${markdown(info.description)}
<h4>Servers</h4><ul>${(doc.servers ?? []).map((s) => `<li><code>${esc(s.url)}</code> ${inline(s.description ?? '')}</li>`).join('')}</ul>
<h2 id="security">Signing</h2>${security}
<h2 id="operations">Operations</h2>${sections.join('\n')}
<h2 id="notifications">Notifications (x-webhooks)</h2>
<p>What WeChat Pay POSTs to the merchant, in the order a handler meets it: headers, envelope, the payload <code>resource.ciphertext</code> decrypts to, and the answer expected.</p>
${webhooks.join('\n')}
<h2 id="errors">Error codes</h2>
<table class="fields"><thead><tr><th>example</th><th>code</th><th>message</th><th>summary</th></tr></thead><tbody>${errorRows}</tbody></table>
<h2 id="schemas">Schemas</h2>${schemaSections.join('\n')}
</div>
</main>
</body>
</html>
`;
writeFileSync(output, page);

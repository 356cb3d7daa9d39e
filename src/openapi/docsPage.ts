// /api/docs: the OpenAPI document rendered on the server as plain HTML tables. No script at all (the CSP
// forbids inline scripts, and a reference page does not need any); every text from the document is escaped.

export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

type Json = Record<string, unknown>;

/** A JSON Schema in one line: type, enum, range, pattern, default. */
export function describeSchema(schema: Json | undefined): string {
  if (!schema || Object.keys(schema).length === 0) return 'any';
  const parts: string[] = [];
  if (Array.isArray(schema.anyOf)) parts.push((schema.anyOf as Json[]).map(describeSchema).join(' | '));
  if (schema.type) parts.push(Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type));
  if (schema.type === 'array' && schema.items) parts.push(`of ${describeSchema(schema.items as Json)}`);
  if (Array.isArray(schema.enum)) parts.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  if (schema.format) parts.push(`format ${String(schema.format)}`);
  if (schema.pattern) parts.push(`pattern ${String(schema.pattern)}`);
  const bound = (key: string, label: string) => {
    const v = schema[key];
    // zod writes the safe-integer limits for plain integers: not worth a mention
    if (typeof v === 'number' && Math.abs(v) < Number.MAX_SAFE_INTEGER) parts.push(`${label} ${v}`);
  };
  bound('minimum', '>=');
  bound('maximum', '<=');
  bound('minLength', 'min length');
  bound('maxLength', 'max length');
  bound('minItems', 'min items');
  bound('maxItems', 'max items');
  if (schema.default !== undefined) parts.push(`default ${JSON.stringify(schema.default)}`);
  return parts.join(', ') || 'any';
}

function bodyRows(schema: Json): string {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const rows = Object.entries(properties).map(
    ([name, property]) =>
      `<tr><td><code>${escapeHtml(name)}</code></td><td>${required.has(name) ? 'yes' : 'no'}</td>` +
      `<td>${escapeHtml(describeSchema(property))}</td><td>${escapeHtml(property.description ?? '')}</td></tr>`,
  );
  return rows.join('');
}

export function renderDocsPage(document: Json): string {
  const info = document.info as { title: string; version: string; description?: string };
  const paths = document.paths as Record<string, Record<string, Json>>;
  const sections: string[] = [];
  const index: string[] = [];
  let n = 0;
  for (const [path, operations] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const anchor = `op-${++n}`;
      const admin = Array.isArray(op.security) && op.security.length > 0;
      index.push(
        `<li><a href="#${anchor}"><code>${escapeHtml(method.toUpperCase())} ${escapeHtml(path)}</code></a> ${escapeHtml(op.summary ?? '')}</li>`,
      );
      const parameters = (op.parameters ?? []) as Json[];
      const parameterTable = parameters.length
        ? `<table><thead><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th><th>description</th></tr></thead><tbody>${parameters
            .map(
              (p) =>
                `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td>` +
                `<td>${escapeHtml(describeSchema(p.schema as Json))}</td><td>${escapeHtml(p.description ?? '')}</td></tr>`,
            )
            .join('')}</tbody></table>`
        : '';
      const bodySchema = (op.requestBody as Json | undefined)?.content as Record<string, { schema: Json }> | undefined;
      const body = bodySchema?.['application/json']?.schema;
      const bodyTable = body
        ? `<h4>JSON body</h4><table><thead><tr><th>field</th><th>required</th><th>schema</th><th>description</th></tr></thead><tbody>${bodyRows(body)}</tbody></table>`
        : '';
      const responses = Object.entries((op.responses ?? {}) as Record<string, Json>)
        .map(([status, r]) => `<tr><td>${escapeHtml(status)}</td><td>${escapeHtml(r.description ?? '')}</td></tr>`)
        .join('');
      sections.push(
        `<section id="${anchor}"><h3><span class="method">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code>` +
          `${admin ? ' <span class="admin">admin token</span>' : ''}</h3>` +
          `<p>${escapeHtml(op.summary ?? '')}</p>${op.description ? `<p>${escapeHtml(op.description)}</p>` : ''}` +
          `${parameterTable}${bodyTable}<h4>Responses</h4><table><thead><tr><th>status</th><th>meaning</th></tr></thead><tbody>${responses}</tbody></table></section>`,
      );
    }
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(info.title)} API</title><link rel="stylesheet" href="/api/docs/docs.css"></head>
<body><main>
<h1>${escapeHtml(info.title)} API <small>${escapeHtml(info.version)}</small></h1>
${info.description ? `<p>${escapeHtml(info.description)}</p>` : ''}
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${escapeHtml(document.openapi)}).
Errors are <code>{"error": {"code", "message", "details"}}</code>. Write routes need <code>Authorization: Bearer &lt;ADMIN_TOKEN&gt;</code>.</p>
<nav><ul>${index.join('')}</ul></nav>
${sections.join('\n')}
</main></body></html>
`;
}

export const DOCS_CSS = `body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fff}
main{max-width:1100px;margin:0 auto;padding:1rem 1.5rem}
h1 small{font-size:.6em;color:#57606a}
section{border-top:1px solid #d0d7de;padding:.5rem 0}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}
code{font-family:ui-monospace,monospace;font-size:.92em}
.method{display:inline-block;min-width:4.5em;font-family:ui-monospace,monospace;color:#0969da}
.admin{font-size:.7em;background:#fff8c5;border:1px solid #d4a72c;border-radius:3px;padding:0 .3em}
nav ul{columns:2;padding-left:1.2rem}
`;

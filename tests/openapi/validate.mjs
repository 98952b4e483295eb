// Holds every reply the integration tests received to docs/openapi.json (ctest: openapi_responses):
//   node validate.mjs SPEC RESPONSE_LOG
// First the document itself must be valid OpenAPI 3.1. Then each line of the log (written by
// tests/support/response_log.cpp: {method, path, status, content_type, body, body_truncated?,
// body_bytes?})
// is matched to its path template, method and status in the document, and its body, when JSON, is
// validated against that response's schema. A reply with no operation or status in the document
// is a mismatch too: the server said something the description does not.
//
// Replies the router gives before any operation is chosen are held to the document's error
// responses: an unknown path gets 404, a known path with another method 405, and any request
// may be refused by the server's general errors (400, 413, 431, 500, 503). A GET or HEAD of a
// path outside /api/ and the probes is the dashboard's page, which the document does not
// describe.
import { readFileSync, existsSync, createReadStream } from "node:fs";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const kShown = 20;
const [specPath, logPath] = process.argv.slice(2);
if (!specPath || !logPath) {
  console.error("usage: node validate.mjs SPEC RESPONSE_LOG");
  process.exit(2);
}

const spec = JSON.parse(readFileSync(specPath, "utf8"));
const checked = await new Validator().validate(spec);
if (!checked.valid) {
  console.error(`${specPath} is not a valid OpenAPI 3.1 document:`);
  console.error(JSON.stringify(checked.errors, null, 2));
  process.exit(1);
}

// The document is added whole, so each response schema compiles from a $ref to where it is and
// its own $refs (#/components/schemas/...) resolve. The OpenAPI fields around the schemas are
// not JSON Schema keywords: declared so that strict mode accepts them and checks the rest.
const kSpecId = "https://corral.invalid/openapi.json";
const ajv = new Ajv2020({ strict: true, strictTypes: false, strictRequired: false, allErrors: false });
addFormats(ajv);
for (const keyword of ["openapi", "info", "servers", "tags", "paths", "components", "jsonSchemaDialect", "security"]) {
  ajv.addKeyword(keyword);
}
ajv.addSchema({ ...spec, $id: kSpecId });
// Every schema compiles, also those no reply reached: strict mode finds a misspelt keyword.
for (const name of Object.keys(spec.components.schemas)) ajv.getSchema(`${kSpecId}#/components/schemas/${name}`);

const pointer = (parts) => "#" + parts.map((p) => "/" + String(p).replaceAll("~", "~0").replaceAll("/", "~1")).join("");

function resolve(object) {
  if (!object || !object.$ref) return { object, where: null };
  const parts = object.$ref.replace(/^#\//, "").split("/").map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
  let target = spec;
  for (const p of parts) target = target[p];
  return { object: target, where: parts };
}

// The path templates, literal segments before parameters, as the router tries them.
const templates = Object.keys(spec.paths).map((template) => ({ template, segments: template.split("/") }));
function matchTemplate(path) {
  const segments = path.split("/");
  let best = null;
  let bestLiterals = -1;
  for (const t of templates) {
    if (t.segments.length !== segments.length) continue;
    let literals = 0;
    const ok = t.segments.every((s, i) => {
      if (/^\{.+\}$/.test(s)) return segments[i] !== "";
      literals += 1;
      return s === segments[i];
    });
    if (ok && literals > bestLiterals) {
      best = t.template;
      bestLiterals = literals;
    }
  }
  return best;
}

// The router's own replies, by status: the document's error responses.
const kRouterReplies = {
  400: "BadRequest",
  403: "Forbidden", // an SQS request (any path) while API keys are in use
  413: "PayloadTooLarge",
  415: "UnsupportedMediaType",
  431: "HeadersTooLarge",
  500: "Internal",
  503: "Unavailable",
};
const routerError = (code) => ({
  description: code,
  content: { "application/json": { schema: { allOf: [{ $ref: "#/components/schemas/Error" }, { $ref: `#/components/schemas/ErrorCodes/$defs/${code}` }] } } },
});

function isDashboardPage(method, path) {
  if (method !== "GET" && method !== "HEAD") return false;
  return !(path === "/api" || path.startsWith("/api/") || ["/livez", "/readyz", "/metrics"].includes(path));
}

// An answer in one of SQS's wire protocols (a POST outside /api/ answered in AWS JSON 1.0 or XML):
// docs/sqs.md describes those, not the OpenAPI document, and the SQS clients' suites check them.
function isSqsReply(reply) {
  if (reply.method !== "POST" || reply.path.startsWith("/api/")) return false;
  const type = mediaType(reply.content_type ?? "");
  return type === "application/x-amz-json-1.0" || type === "text/xml";
}

// The response object (and where its schema is) for a reply, or a reason there is none.
function responseFor(reply) {
  const template = matchTemplate(reply.path);
  const method = reply.method.toLowerCase();
  const operation = template ? spec.paths[template][method] : undefined;
  if (operation) {
    const declared = operation.responses[String(reply.status)];
    if (!declared) return { where: `${reply.method} ${template}`, missing: `status ${reply.status} is not a response of the operation` };
    const { object, where } = resolve(declared);
    return { where: `${reply.method} ${template}`, response: object, base: where ?? ["paths", template, method, "responses", String(reply.status)] };
  }
  const where = template ? `${reply.method} ${template} (no such operation)` : `${reply.method} ${reply.path} (no such path)`;
  if (!template && (isDashboardPage(reply.method, reply.path) || isSqsReply(reply))) return { where, dashboard: true };
  if (reply.status === (template ? 405 : 404)) {
    return { where, response: routerError(template ? "method_not_allowed" : "not_found"), inline: true };
  }
  const general = kRouterReplies[reply.status];
  if (general) return { where, response: spec.components.responses[general], base: ["components", "responses", general] };
  return { where, missing: `the router answers ${template ? 405 : 404} or a general error here, not ${reply.status}` };
}

const validators = new Map();
function validatorFor(ref, inlineSchema) {
  const key = inlineSchema ? JSON.stringify(inlineSchema) : ref;
  if (!validators.has(key)) {
    const schema = inlineSchema ? { $id: `inline-${validators.size}`, ...inlineSchema } : { $ref: kSpecId + ref };
    if (inlineSchema) {
      // Refs of an inline schema point into the document.
      schema.allOf = schema.allOf.map((s) => ({ $ref: kSpecId + s.$ref }));
    }
    validators.set(key, ajv.compile(schema));
  }
  return validators.get(key);
}

const mediaType = (contentType) => (contentType ?? "").split(";")[0].trim().toLowerCase();

// The reason a reply does not match the document, or null.
function check(reply) {
  const found = responseFor(reply);
  if (found.missing) return { where: found.where, why: found.missing };
  if (found.dashboard) return null;
  const content = found.response.content;
  if (!content) {
    const bodyBytes = reply.body_bytes ?? reply.body.length;
    return bodyBytes === 0 ? null : { where: found.where, why: `the document gives no body, but the reply has one` };
  }
  const type = mediaType(reply.content_type);
  if (!(type in content)) {
    return { where: found.where, why: `content type "${reply.content_type}" is not one of ${Object.keys(content).join(", ")}` };
  }
  if (type !== "application/json" || reply.body_truncated) return null;
  let body;
  try {
    body = JSON.parse(reply.body);
  } catch (e) {
    return { where: found.where, why: `the body is not JSON: ${e.message}` };
  }
  const validate = found.inline
    ? validatorFor(null, content[type].schema)
    : validatorFor(pointer([...found.base, "content", type, "schema"]));
  if (validate(body)) return null;
  const e = validate.errors[0];
  return { where: found.where, why: `${e.instancePath || "(body)"} ${e.message} (schema ${e.schemaPath})${e.params ? " " + JSON.stringify(e.params) : ""}` };
}

if (!existsSync(logPath)) {
  console.error(`${logPath}: no replies were logged (run the suites that log them, e.g. ctest -L http_tests)`);
  process.exit(1);
}
let total = 0;
const mismatches = [];
const seen = new Set();
const exercised = new Set();
// A line that is not JSON is damage to the log, not a reply of the server's (check() reports a
// body that is not JSON): it is shown, with where it breaks, and the other lines still count.
const damaged = [];
// The log's lines, split on "\n" only (the writer escapes it in every string; readline would also
// break at a "\r"), read in chunks: a full run logs hundreds of megabytes.
async function* logLines(path) {
  let rest = Buffer.alloc(0);
  for await (const chunk of createReadStream(path)) {
    const data = Buffer.concat([rest, chunk]);
    let start = 0;
    for (let end = data.indexOf(10); end !== -1; end = data.indexOf(10, start)) {
      yield data.toString("utf8", start, end);
      start = end + 1;
    }
    rest = data.subarray(start);
  }
  if (rest.length > 0) yield rest.toString("utf8");
}
let lineNumber = 0;
for await (const line of logLines(logPath)) {
  lineNumber += 1;
  if (line === "") continue;
  let reply;
  try {
    reply = JSON.parse(line);
  } catch (e) {
    damaged.push({ lineNumber, length: line.length, why: e.message, head: line.slice(0, 200), tail: line.slice(-200) });
    continue;
  }
  total += 1;
  const template = matchTemplate(reply.path);
  if (template) exercised.add(`${reply.method} ${template}`);
  const problem = check(reply);
  if (!problem) continue;
  // One report per kind of mismatch, however many tests hit it.
  const key = `${problem.where} ${reply.status} ${problem.why}`;
  if (seen.has(key)) continue;
  seen.add(key);
  mismatches.push({ ...problem, reply });
}
for (const d of damaged.slice(0, kShown)) {
  console.log(`WARNING line ${d.lineNumber} of ${logPath} is not JSON (${d.length} characters): ${d.why}`);
  console.log(`  starts: ${JSON.stringify(d.head)}\n  ends:   ${JSON.stringify(d.tail)}`);
}

if (total === 0) {
  console.error(`${logPath} holds no replies`);
  process.exit(1);
}
for (const m of mismatches.slice(0, kShown)) {
  const body = m.reply.body.length > 300 ? m.reply.body.slice(0, 300) + "..." : m.reply.body;
  console.log(`MISMATCH ${m.reply.method} ${m.reply.path} -> ${m.reply.status} [${m.where}]: ${m.why}\n  body: ${body}`);
}
if (mismatches.length > kShown) console.log(`... and ${mismatches.length - kShown} more kinds of mismatch`);
// Not a failure (a suite run alone reaches few operations), but what the tests leave unchecked.
const operations = Object.entries(spec.paths).flatMap(([template, item]) =>
  Object.keys(item).filter((k) => k !== "parameters").map((method) => `${method.toUpperCase()} ${template}`));
const unexercised = operations.filter((o) => !exercised.has(o));
if (unexercised.length > 0) console.log(`operations no reply was logged for: ${unexercised.join(", ")}`);
console.log(`${total} replies checked against ${specPath}: ${mismatches.length} kinds of mismatch`);
process.exit(mismatches.length === 0 ? 0 : 1);

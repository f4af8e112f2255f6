// One whole sandbox scenario from outside the JVM, the way a team whose code is not Java drives it:
// seed, arm a fault, call, read the record and the coverage, trigger notifications, reset. Requests
// are signed and answers verified with Node's own crypto (no code of this project, no npm package).
//
// Usage: node sandbox-scenario.mjs SANDBOX_JSON REQUEST_EXAMPLE_JSON
//   SANDBOX_JSON          the sandbox.json a running sandbox wrote (URL, credentials, file paths)
//   REQUEST_EXAMPLE_JSON  a createDeliveryPlan request body (the spec's example)
// Prints one "ok - ..." line per check; exits 1 at the first failed one.
import { readFileSync } from 'node:fs';
import crypto from 'node:crypto';
import http from 'node:http';

const info = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const example = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const merchantKey = readFileSync(info.files.merchant_private_key, 'utf8');
const wechatpayPublicKey = readFileSync(info.files.wechatpay_public_key, 'utf8');
const PLAN_PATH = '/v3/marketing/partner/delivery-plan/delivery-plans';
let checks = 0;

function check(condition, what, detail) {
  if (!condition) {
    console.log(`not ok - ${what}${detail === undefined ? '' : ': ' + JSON.stringify(detail)}`);
    process.exit(1);
  }
  checks++;
  console.log(`ok - ${what}`);
}

async function control(method, path, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (info.control_token) headers.Authorization = `Bearer ${info.control_token}`;
  const answer = await fetch(info.control_url + path,
    { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await answer.text();
  const json = (answer.headers.get('content-type') || '').includes('json') ? JSON.parse(text) : text;
  return { status: answer.status, json };
}

// WECHATPAY2-SHA256-RSA2048: SHA256withRSA over method, URL, timestamp, nonce and body, one per line.
function authorization(method, pathAndQuery, body) {
  const timestamp = Math.floor(Date.now() / 1000).toString();
  const nonce = crypto.randomBytes(16).toString('hex').toUpperCase();
  const message = `${method}\n${pathAndQuery}\n${timestamp}\n${nonce}\n${body}\n`;
  const signature = crypto.sign('sha256', Buffer.from(message), merchantKey).toString('base64');
  return `WECHATPAY2-SHA256-RSA2048 mchid="${info.mchid}",nonce_str="${nonce}",signature="${signature}",`
    + `timestamp="${timestamp}",serial_no="${info.merchant_serial}"`;
}

async function call(method, path, bodyObject) {
  const body = JSON.stringify(bodyObject);
  const answer = await fetch(info.url + path, {
    method,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json',
      Authorization: authorization(method, path, body) },
    body,
  });
  return { status: answer.status, headers: answer.headers, text: await answer.text() };
}

// The service's signature: timestamp, nonce and body, one per line, under the trusted public key id.
function signedByWechatPay(headers, body) {
  const message = `${headers['wechatpay-timestamp']}\n${headers['wechatpay-nonce']}\n${body}\n`;
  return headers['wechatpay-serial'] === info.wechatpay_public_key_id
    && crypto.verify('sha256', Buffer.from(message), wechatpayPublicKey,
      Buffer.from(headers['wechatpay-signature'] || '', 'base64'));
}

function decrypt(resource) {
  const data = Buffer.from(resource.ciphertext, 'base64');
  const decipher = crypto.createDecipheriv('aes-256-gcm', Buffer.from(info.apiv3_key, 'utf8'),
    Buffer.from(resource.nonce, 'utf8'));
  decipher.setAuthTag(data.subarray(data.length - 16));
  decipher.setAAD(Buffer.from(resource.associated_data || '', 'utf8'));
  return JSON.parse(Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8'));
}

// A notification receiver as a merchant runs one: verify, decrypt, answer 200.
const received = [];
const receiver = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (c) => chunks.push(c));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const envelope = JSON.parse(body);
    received.push({ verified: signedByWechatPay(request.headers, body), envelope, resource: decrypt(envelope.resource) });
    response.writeHead(200, { 'Content-Type': 'application/json' }).end('{"code":"SUCCESS","message":"OK"}');
  });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));

async function until(what, predicate) {
  for (let i = 0; i < 200; i++) {
    const value = await predicate();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  check(false, `waited 5 s for ${what}`);
}

try {
  check((await control('POST', '/reset')).status === 200, 'reset to the seed');

  // Seed: one more stock of the example's coupon, then plan on it.
  const state = (await control('GET', '/state')).json;
  const template = state.stocks.find((s) => s.stock_id === example.stock_id);
  check(template !== undefined, 'the seed holds the stock the example names');
  const stockId = example.stock_id.slice(0, -4) + '4242';
  const seeded = await control('POST', '/state', { stocks: [{ ...template, stock_id: stockId }] });
  check(seeded.status === 200 && seeded.json.stocks.some((s) => s.stock_id === stockId), 'seeded a stock', seeded);

  const armed = await control('POST', '/faults', { rule: 'createDeliveryPlan:GATEWAY_503:next=1' });
  check(armed.status === 201 && armed.json.rule === 'createDeliveryPlan:GATEWAY_503:next=1', 'armed a fault', armed);
  const url = `http://127.0.0.1:${receiver.address().port}/wechatpay/notify`;
  check((await control('PUT', '/notifications/url', { notify_url: url })).json.notify_url === url, 'notify URL set');

  const outRequestNo = `node-${Date.now()}`;
  const request = { ...example, stock_id: stockId, out_request_no: outRequestNo };
  const first = await call('POST', PLAN_PATH, request);
  check(first.status === 503 && !first.headers.get('wechatpay-signature'), 'first call: the gateway 503, unsigned', first.status);
  const second = await call('POST', PLAN_PATH, request);
  check(second.status === 200, 'retry: 200', second.text);
  check(signedByWechatPay(Object.fromEntries(second.headers), second.text), 'the answer is signed by the sandbox key');
  const plan = JSON.parse(second.text).plan;
  check(plan.stock_id === stockId && plan.plan_id, 'the plan is on the seeded stock');

  const record = (await control('GET', `/exchanges?out_request_no=${outRequestNo}`)).json.exchanges;
  check(JSON.stringify(record.map((e) => e.status)) === '[503,200]', 'the record: 503 then 200', record.map((e) => e.status));
  check(record[1].request.body === JSON.stringify(request) && record[1].response.body === second.text,
    'the record holds both bodies as sent and answered');
  check(record[0].fault === 'GATEWAY_503' && record[1].request_id === second.headers.get('request-id'),
    'the record names the fault and the Request-ID');

  const created = await until('DELIVERY_PLAN.CHANGE of the plan', () => received.find((n) => n.resource.plan_id === plan.plan_id));
  check(created.verified && created.envelope.event_type === 'DELIVERY_PLAN.CHANGE', 'plan notification verified and decrypted');

  const rejected = await control('POST', '/notifications', { event_type: 'DELIVERY_PLAN.CHANGE',
    resource: { plan_id: plan.plan_id, audit_state: 'REJECTED', change_reason: 'rejected by the node scenario' } });
  check(rejected.status === 201, 'a REJECTED audit sent on demand', rejected);
  const audit = await until('the REJECTED audit', () => received.find((n) => n.resource.audit_state === 'REJECTED'));
  check(audit.verified && audit.envelope.id === rejected.json.id, 'REJECTED audit received, verified, decrypted');
  const again = await control('POST', `/notifications/${rejected.json.id}/duplicate`);
  check(again.status === 201 && again.json.duplicate_of === rejected.json.id, 'a duplicate delivery asked for');
  await until('the duplicate', () => received.filter((n) => n.envelope.id === rejected.json.id).length === 2);
  check(true, 'the same envelope arrived twice');

  const coverage = await until('the coverage of the deliveries', async () => {
    const c = (await control('GET', '/coverage')).json;
    const change = c.notifications.find((n) => n.event_type === 'DELIVERY_PLAN.CHANGE');
    return change.outcomes.met.includes('duplicate_delivered') ? c : null;
  });
  const op = coverage.operations.find((o) => o.operation === 'createDeliveryPlan');
  check(op.statuses.met.includes('200') && op.statuses.never.includes('401') && op.faults.includes('GATEWAY_503')
    && coverage.faults.met.includes('GATEWAY_503'), 'coverage: 200 met, 401 never, GATEWAY_503 met', op);

  check((await control('POST', '/reset')).status === 200, 'reset');
  const after = (await control('GET', '/state')).json;
  check(!after.stocks.some((s) => s.stock_id === stockId) && after.delivery_plans.length === 0,
    'the seeded stock and the plan are gone');
  check((await control('GET', '/exchanges')).json.exchanges.length === 0, 'the record is empty');
  console.log(`scenario passed: ${checks} checks`);
} finally {
  receiver.close();
}

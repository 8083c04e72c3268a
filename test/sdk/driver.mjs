// driver.mjs drives an ociedge with the public commerce-sdk clients, one
// call per line: it reads JSON commands from stdin and writes one JSON
// result line per command to stdout, so that the Go test (sdk_test.go) can
// check the core between two calls. It exits when stdin closes.
//
// Environment: EDGE_URL (http://127.0.0.1:port), ORG (organizationId),
// SITE (siteId).
//
// Commands:
//
//	{"id":1, "client":"ShopperBasketsV2", "method":"createBasket",
//	 "parameters":{...}, "body":{...}, "raw":false}
//	    calls the SDK method; parameters are merged over the client's.
//	    raw=true asks the SDK for the raw response (status and headers).
//	{"id":2, "fetch":{"method":"POST", "path":"/checkout/...", "body":{...}}}
//	    a plain fetch to the edge, for routes the SDK has no method for.
//
// Results: {"id", "ok":true, "body"} for a 2xx DTO; {"id", "ok":true,
// "status", "headers", "body"} for raw calls and fetches; {"id",
// "ok":false, "status", "contentType", "body"} when the SDK threw on a
// non-2xx answer (body is the parsed problem, or text); {"id", "ok":false,
// "error"} when the call failed before an HTTP answer.
import pkg from "commerce-sdk";
import { createInterface } from "node:readline";

const { ShopperAvailability, ShopperBasketsV2, ShopperOrders, Orders } = pkg;

const edge = process.env.EDGE_URL;
const organizationId = process.env.ORG;
const siteId = process.env.SITE;
if (!edge || !organizationId || !siteId) {
  console.error("driver.mjs needs EDGE_URL, ORG and SITE");
  process.exit(2);
}

// config is what a storefront would pass: the SCAPI base path of each API
// on the edge instead of https://{shortCode}.api.commercecloud.salesforce.com.
const config = (basePath) => ({
  parameters: { organizationId, siteId, shortCode: "dummy" },
  baseUri: edge + basePath,
  headers: { authorization: "Bearer x" },
});

const clients = {
  ShopperAvailability: new ShopperAvailability(config("/product/shopper-availability/v1")),
  ShopperBasketsV2: new ShopperBasketsV2(config("/checkout/shopper-baskets/v2")),
  ShopperOrders: new ShopperOrders(config("/checkout/shopper-orders/v1")),
  Orders: new Orders(config("/checkout/orders/v1")),
};

function parse(text) {
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function answer(res) {
  return {
    ok: true,
    status: res.status,
    headers: Object.fromEntries(res.headers.entries()),
    body: parse(await res.text()),
  };
}

async function sdkCall(c) {
  const client = clients[c.client];
  if (!client || typeof client[c.method] !== "function") {
    return { ok: false, error: `no SDK method ${c.client}.${c.method}` };
  }
  const options = { parameters: c.parameters || {} };
  if (c.body !== undefined) options.body = c.body;
  try {
    const out = await client[c.method](options, c.raw === true);
    return c.raw ? answer(out) : { ok: true, body: out };
  } catch (err) {
    if (!err.response) return { ok: false, error: String(err && err.stack || err) };
    return {
      ok: false,
      status: err.response.status,
      contentType: err.response.headers.get("content-type"),
      body: parse(await err.response.text()),
    };
  }
}

async function plainFetch(f) {
  const init = { method: f.method, headers: { authorization: "Bearer x" } };
  if (f.body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(f.body);
  }
  try {
    return answer(await fetch(edge + f.path, init));
  } catch (err) {
    return { ok: false, error: String(err) };
  }
}

async function run(line) {
  let c;
  try {
    c = JSON.parse(line);
  } catch (err) {
    return { ok: false, error: `bad command: ${err}` };
  }
  const out = c.fetch ? await plainFetch(c.fetch) : await sdkCall(c);
  return { id: c.id, ...out };
}

// Commands run one at a time, in order.
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === "") continue;
  process.stdout.write(JSON.stringify(await run(line)) + "\n");
}

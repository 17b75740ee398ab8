// Opens Kartla's overview pages in headless Chromium and prints one JSON line per page with what it
// found: texts that were expected and missing (with JavaScript and without), console errors, requests
// that left the host, and axe-core's serious and critical violations. Writes a screenshot of each page.
// Then checks the two scripted behaviours: a filter applies without a reload, and a tile lights its row.
// Usage: node overview.mjs BASE_URL SCREENSHOT_DIR PAGES_JSON
//   PAGES_JSON: [{"name": "strategy", "path": "/overview/strategies/...", "expect": ["text", ...]}, ...]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const [base, screenshots, pagesJson] = process.argv.slice(2);
const pages = JSON.parse(pagesJson);
const host = new URL(base).host;
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"],
});

// Opens `path` in a fresh page of `context`, noting errors and requests to other hosts.
async function open(context, path) {
  const page = await context.newPage();
  const errors = [];
  const offHost = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
  page.on("requestfailed", (request) => errors.push(`request failed: ${request.url()}`));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol !== "data:" && url.host !== host) { offHost.push(request.url()); }
  });
  const response = await page.goto(base + path, { waitUntil: "load" });
  return { page, errors, offHost, status: response.status() };
}

function missing(text, expected) {
  return expected.filter((wanted) => !text.includes(wanted));
}

try {
  const scripted = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const plain = await browser.newContext({ javaScriptEnabled: false });
  // axe runs its script in the page, which the page's own policy (script-src 'self') would refuse.
  const audited = await browser.newContext({ bypassCSP: true });
  for (const { name, path, expect } of pages) {
    const { page, errors, offHost, status } = await open(scripted, path);
    const text = await page.innerText("body");
    await page.screenshot({ path: `${screenshots}/${name}.png`, fullPage: true });
    await page.close();

    const bare = await open(plain, path);
    const bareText = await bare.page.innerText("body");
    await bare.page.close();

    const audit = await open(audited, path);
    await audit.page.evaluate(axeSource);
    const result = await audit.page.evaluate(() => window.axe.run(document));
    await audit.page.close();
    const violations = result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));

    console.log(JSON.stringify({
      name, status, missing: missing(text, expect), missingWithoutScript: missing(bareText, expect),
      errors: errors.concat(bare.errors), offHost: offHost.concat(bare.offHost, audit.offHost), violations,
      rulesPassed: result.passes.length,
    }));
  }

  // A filter applies in place: the page is not loaded again, the results and the URL follow.
  const list = pages.find((p) => p.name === "initiatives");
  if (list) {
    const { page, errors } = await open(scripted, list.path);
    await page.evaluate(() => { window.kartlaNotReloaded = true; });
    await page.selectOption("#f-country", "NO");
    await page.waitForFunction(() => window.location.search.includes("country=NO"), null, { timeout: 10000 });
    await page.waitForFunction(() => !document.querySelector("#results[aria-busy]"), null, { timeout: 10000 });
    const notReloaded = await page.evaluate(() => window.kartlaNotReloaded === true);
    const results = await page.innerText("#results");
    console.log(JSON.stringify({ name: "live-filter", notReloaded, results, errors }));
    await page.close();
  }

  // The map's tiles and rows light each other.
  const map = pages.find((p) => p.name === "initiative-map");
  if (map) {
    const { page, errors } = await open(scripted, map.path);
    const tile = page.locator("svg.tile-map .tile.shade-1, svg.tile-map .tile.shade-2, svg.tile-map .tile.shade-3, svg.tile-map .tile.shade-4").first();
    const region = await tile.getAttribute("data-region");
    await tile.hover();
    const lit = await page.evaluate((id) => document.querySelector(`table.regions tr[data-region="${id}"]`)?.classList.contains("lit") ?? false, region);
    console.log(JSON.stringify({ name: "map-hover", lit, errors }));
    await page.close();
  }
} finally {
  await browser.close();
}

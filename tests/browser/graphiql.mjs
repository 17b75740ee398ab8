// Opens Kartla's GraphiQL page in headless Chromium, runs the page's example query with its run button,
// then a subscription, and prints what the page showed as one JSON line:
// {"response": ..., "subscription": ..., "errors": [...]}.
// Usage: node graphiql.mjs http://127.0.0.1:PORT/
import { chromium } from "playwright-core";

const url = process.argv[2];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run"],
});
const errors = [];
try {
  const page = await browser.newPage();
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => { if (message.type() === "error") errors.push(message.text()); });
  page.on("requestfailed", (request) => errors.push(`request failed: ${request.url()}`));
  await page.goto(url);
  await page.waitForSelector(".graphiql-query-editor .CodeMirror", { timeout: 30000 });
  await page.click(".graphiql-execute-button");
  await page.waitForFunction(
    () => (document.querySelector(".graphiql-response")?.textContent ?? "").includes("totalCount"),
    null,
    { timeout: 30000 },
  );
  const response = await page.textContent(".graphiql-response");
  // A subscription from the same page, over WebSocket: the feed from its start sends events at once. The
  // page is reloaded with the subscription as GraphiQL's stored query, so the editor has parsed it before
  // the run button is pressed (typing into the editor is parsed after a pause).
  // GraphiQL prefers its saved tabs to the saved query, and saves them after a pause: clear them first.
  await page.evaluate(() => {
    window.localStorage.clear();
    window.localStorage.setItem("graphiql:query",
      'subscription Changes { registryChanged(after: "0") { position operation recordType } }');
  });
  await page.reload();
  await page.waitForSelector(".graphiql-query-editor .CodeMirror", { timeout: 30000 });
  await page.waitForFunction(
    () => document.querySelector(".graphiql-query-editor .CodeMirror")?.CodeMirror?.getValue().includes("registryChanged"),
    null,
    { timeout: 30000 },
  );
  await page.click(".graphiql-execute-button");
  await page.waitForFunction(
    () => (document.querySelector(".graphiql-response")?.textContent ?? "").includes("registryChanged"),
    null,
    { timeout: 30000 },
  );
  const subscription = await page.textContent(".graphiql-response");
  console.log(JSON.stringify({ response, subscription, errors }));
} finally {
  await browser.close();
}

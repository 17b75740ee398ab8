// Opens Kartla's GraphiQL page in headless Chromium, runs the page's example query with its run button,
// and prints what the page showed as one JSON line: {"response": ..., "errors": [...]}.
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
  console.log(JSON.stringify({ response, errors }));
} finally {
  await browser.close();
}

// End-to-end: a citizen searches the served site in headless Chromium.
// Usage: node search.mjs SERVER_URL STATIC_URL   (both ending in /)
import { chromium } from "playwright-core";
import assert from "node:assert/strict";

const [server, staticHost] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });

  // Type a query into the search box every page has, submit with the keyboard.
  await page.goto(server);
  await page.getByRole("searchbox", { name: "搜索任务" }).fill("疫苗 接种");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/search\/\?q=/);
  assert.match(decodeURIComponent(page.url()), /q=疫苗\+接种|q=疫苗 接种/);

  // Highlighted results and an announced count.
  await page.locator(".search-hit").first().waitFor();
  const status = await page.locator("#search-status").innerText();
  assert.match(status, /找到 \d+ 项/);
  const hits = await page.locator(".search-hit").count();
  assert.ok(hits >= 3, `hits: ${hits}`);
  const marks = await page.locator(".search-hit mark").allInnerTexts();
  assert.ok(marks.some((m) => m.includes("疫苗")), `marks: ${marks}`);
  assert.ok(marks.some((m) => m.includes("接种") || m.includes("接種")), `marks: ${marks}`);

  // Traditional text of plan 004 is found and marked as printed.
  const all = await page.locator(".search-hit").allInnerTexts();
  assert.ok(all.some((t) => t.includes("疫苗接種")), "a traditional hit");

  // Follow a result to its task anchor.
  const link = page.locator(".search-hit a").first();
  const href = await link.getAttribute("href");
  await link.focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(/#task-\d+$/);
  const anchor = new URL(page.url()).hash.slice(1);
  assert.ok(href.endsWith("#" + anchor));
  const target = page.locator(`[id="${anchor}"]`);
  assert.equal(await target.count(), 1);
  assert.match(await target.innerText(), /疫苗/);
  assert.equal(await page.evaluate(() => document.querySelector(":target")?.id), anchor);

  // A facet link narrows the results and keeps the query in the URL.
  await page.goto(server + "search/?q=" + encodeURIComponent("公开"));
  await page.locator(".facets a").first().waitFor();
  const facet = page.locator(".facets a", { hasText: "2021-zhongshan" });
  await facet.click();
  await page.waitForURL(/plan=2021-zhongshan/);
  await page.locator(".search-hit").first().waitFor();
  const plans = await page.locator(".hit-plan").allInnerTexts();
  assert.ok(plans.every((p) => p.startsWith("中山市")), `plans: ${plans}`);

  // On a plain static host the page says that search is not available.
  await page.goto(staticHost + "search/?q=" + encodeURIComponent("疫苗"));
  await page.locator("#search-status .notice").waitFor();
  assert.match(await page.locator("#search-status").innerText(), /没有可用的搜索服务/);
  console.log("e2e: 5 checks passed");
} finally {
  await browser.close();
}

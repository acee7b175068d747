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

  // A facet link (named by the plan's title, not its slug) narrows the results;
  // the chosen filter can then be changed to another plan or removed.
  await page.goto(server + "search/?q=" + encodeURIComponent("公开"));
  await page.locator(".facets a").first().waitFor();
  const facetTexts = await page.locator(".facets a").allInnerTexts();
  assert.ok(!facetTexts.some((t) => /2021-[a-z]/.test(t)), `slugs in facets: ${facetTexts}`);
  await page.locator(".facets a", { hasText: "中山市2021年" }).click();
  await page.waitForURL(/plan=2021-zhongshan/);
  await page.locator(".search-hit").first().waitFor();
  const plans = await page.locator(".hit-plan").allInnerTexts();
  assert.ok(plans.every((p) => p.startsWith("中山市")), `plans: ${plans}`);
  assert.match(await page.locator("#search-status").innerText(), /筛选：计划 中山市2021年/);
  await page.locator(".facet-chosen").first().waitFor();
  const other = page.locator(".facets a", { hasText: "仓山区" });
  assert.ok(await other.count() >= 1, "another plan to change to");
  await other.first().click();
  await page.waitForURL(/plan=2021-fuzhou-cangshan/);
  await page.locator(".search-hit").first().waitFor();
  await page.locator(".facet-remove").first().click();
  await page.waitForURL((u) => !u.search.includes("plan="));

  // Dead ends lead somewhere: past the last page, a bad page number, nothing found.
  await page.goto(server + "search/?q=" + encodeURIComponent("公开") + "&page=999");
  await page.locator("#search-status a", { hasText: "查看最后一页" }).waitFor();
  await page.goto(server + "search/?q=" + encodeURIComponent("公开") + "&page=abc");
  await page.locator("#search-status .notice").waitFor();
  assert.match(await page.locator("#search-status").innerText(), /page 必须是/);
  await page.goto(server + "search/?q=" + encodeURIComponent("区块链"));
  await page.locator("#search-status a", { hasText: "责任单位" }).waitFor();
  assert.match(await page.locator("#search-status").innerText(), /请尝试更短的词/);

  // A plain static host: nothing of the index loads before a search; then the
  // browser answers itself, the same as the server.
  const fetched = [];
  page.on("request", (r) => fetched.push(r.url()));
  await page.goto(staticHost);
  await page.waitForLoadState("networkidle");
  assert.ok(!fetched.some((u) => u.includes("search/static") || u.includes("search-engine")), `before: ${fetched}`);
  for (const query of ["疫苗 接种", "公开", "市財政局", "\"政府信息公开\""]) {
    const urls = async (host) => {
      await page.goto(host + "search/?q=" + encodeURIComponent(query));
      await page.locator("#search-status p").first().waitFor();
      await page.waitForFunction(() => !document.getElementById("search-status").textContent.includes("正在搜索"));
      const status = await page.locator("#search-status").innerText();
      const links = await page.locator(".search-hit a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
      return { status, links };
    };
    const fromServer = await urls(server);
    const fromStatic = await urls(staticHost);
    assert.deepEqual(fromStatic, fromServer, query);
    assert.ok(fromStatic.links.length > 0, query);
  }
  assert.ok(fetched.some((u) => u.includes("search/static/meta.json.gz")), "the static index was used");
  await page.goto(staticHost + "search/?q=" + encodeURIComponent("公开"));
  await page.locator(".facets a", { hasText: "中山市2021年" }).click();
  await page.waitForURL(/plan=2021-zhongshan/);
  await page.locator(".search-hit").first().waitFor();
  assert.ok((await page.locator(".hit-plan").allInnerTexts()).every((p) => p.startsWith("中山市")));

  // An office's ledger filtered by role at phone width: the rows it says it shows
  // are the rows shown (a row's `display: block` once overrode `hidden`).
  await page.goto(server + "units/zhong-shan-shi/shi-cai-zheng-ju/");
  const rows = page.locator("#unit-ledger tbody tr");
  const total = await rows.count();
  await page.locator("form.ledger-filter select[name=role]").selectOption("lead");
  const said = Number((await page.locator(".ledger-status").innerText()).match(/显示 (\d+) 项/)[1]);
  const visible = await rows.evaluateAll((trs) => trs.filter((tr) => tr.getClientRects().length > 0).length);
  assert.equal(visible, said, `said ${said}, shown ${visible}`);
  assert.ok(said > 0 && said < total, `said ${said} of ${total}`);

  // Without JavaScript the filter, which could not work, is not shown, and every
  // row is.
  const noScript = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const plain = await noScript.newPage();
  await plain.goto(server + "units/zhong-shan-shi/shi-cai-zheng-ju/");
  assert.equal(await plain.locator("form.ledger-filter").isVisible(), false);
  const plainRows = plain.locator("#unit-ledger tbody tr");
  assert.equal(await plainRows.evaluateAll((trs) => trs.filter((tr) => tr.getClientRects().length > 0).length), total);
  await noScript.close();
  console.log("e2e: 10 checks passed");
} finally {
  await browser.close();
}

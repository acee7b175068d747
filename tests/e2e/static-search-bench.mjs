// Static search on a plain static host, as a reader on a phone network meets it:
// bytes fetched and time to the first result, cache empty, network throttled.
// Usage: node static-search-bench.mjs SITE_URL QUERY [QUERY…]   (SITE_URL ends in /)
// Run by scripts/static-search-bench.sh; prints one JSON line per profile.
import { chromium } from "playwright-core";

const [site, ...queries] = process.argv.slice(2);
// Chrome DevTools' presets: Fast 3G, and Fast 4G.
const PROFILES = {
  "fast-3g": { latency: 562.5, downloadThroughput: (1.44 * 1e6) / 8, uploadThroughput: (675 * 1e3) / 8 },
  "4g": { latency: 165, downloadThroughput: (9 * 1e6) / 8, uploadThroughput: (1.5 * 1e6) / 8 },
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  for (const [name, conditions] of Object.entries(PROFILES)) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: false });
    await cdp.send("Network.emulateNetworkConditions", { offline: false, ...conditions });
    // Bytes on the wire per request (headers and bodies), by URL.
    const requests = new Map();
    cdp.on("Network.requestWillBeSent", (e) => requests.set(e.requestId, { url: e.request.url, bytes: 0 }));
    cdp.on("Network.loadingFinished", (e) => {
      const r = requests.get(e.requestId);
      if (r) { r.bytes = e.encodedDataLength; }
    });
    const take = () => {
      const list = [...requests.values()];
      requests.clear();
      return list;
    };
    const results = [];
    // The home page first: what loads before anyone searches.
    await page.goto(site, { waitUntil: "networkidle" });
    const before = take();
    const index = before.filter((r) => /search\/static|search-engine/.test(r.url));
    for (const [i, q] of queries.entries()) {
      const started = Date.now();
      await page.goto(site + "search/?q=" + encodeURIComponent(q));
      await page.waitForFunction(() => {
        const s = document.getElementById("search-status");
        return s && s.textContent && !s.textContent.includes("正在搜索");
      }, null, { timeout: 120000 });
      const ms = Date.now() - started;
      const hits = await page.locator(".search-hit").count();
      await page.waitForLoadState("networkidle");
      const fetched = take();
      const searchBytes = fetched
        .filter((r) => !/\/search\/\?q=/.test(r.url))
        .reduce((n, r) => n + r.bytes, 0);
      results.push({ query: q, first: i === 0, ms, hits, requests: fetched.length, bytes: searchBytes,
        total_bytes: fetched.reduce((n, r) => n + r.bytes, 0) });
    }
    console.log(JSON.stringify({ profile: name, before_search_index_requests: index.length, results }));
    await context.close();
  }
} finally {
  await browser.close();
}

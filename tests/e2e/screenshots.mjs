// Screenshots for docs/guide.zh.md, taken in headless Chromium from a served site.
// Usage: node screenshots.mjs SERVER_URL OUT_DIR   (run by scripts/screenshots.sh)
import { chromium } from "playwright-core";

const [server, outDir] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});

async function shot(name, path, { width = 1280, height = 800, scale = 1, then } = {}) {
  const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: scale });
  await page.goto(new URL(path, server).href, { waitUntil: "networkidle" });
  if (then) await then(page);
  await page.screenshot({ path: `${outDir}/${name}.png` });
  await page.close();
  console.log(`${outDir}/${name}.png  ${path}`);
}

try {
  const units = await (await fetch(new URL("data/units.json", server))).json();
  // The finance office with the most tasks: the unit every plan names.
  const office = units
    .filter((u) => u.kind === "office" && /财政|財政/.test(u.name))
    .sort((a, b) => b.tasks.length - a.tasks.length)[0];
  const officePath = office.url.replace(/^\//, "");

  await shot("home", "./");
  await shot("plan", "plans/2021-zhongshan/");
  await shot("unit", officePath, { height: 1000 });
  await shot("search", "search/?q=政府信息公开", {
    then: (page) => page.locator(".search-hit").first().waitFor(),
  });
  await shot("phone-unit", officePath, { width: 390, height: 844, scale: 2 });
} finally {
  await browser.close();
}

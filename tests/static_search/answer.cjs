// Answers searches with the browser's engine (themes/default/static/search-engine.js)
// over a built site's static index, reading its files from disk.
// Usage: node answer.cjs OUTPUT_DIR < requests.json > responses.json
// Prints {"responses": [...], "files": N, "bytes": N} (files and bytes read).
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const GongkaiSearch = require(path.join(__dirname, "../../themes/default/static/search-engine.js"));

const out = process.argv[2];
let files = 0;
let bytes = 0;
const engine = GongkaiSearch.createEngine({
  base: path.join(out, "search/static") + "/",
  fetch: (url) => {
    const data = fs.readFileSync(url.split("?")[0]);
    files += 1;
    bytes += data.length;
    return Promise.resolve(new Uint8Array(data));
  },
  inflate: (data) => Promise.resolve(new Uint8Array(zlib.gunzipSync(data))),
});
const requests = JSON.parse(fs.readFileSync(0, "utf8"));
(async () => {
  const responses = [];
  for (const r of requests) {
    try {
      responses.push(await engine.search(r));
    } catch (e) {
      responses.push({ error: e.message, status: e.status || 500 });
    }
  }
  process.stdout.write(JSON.stringify({ responses, files, bytes }));
})();

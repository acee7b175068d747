// The search engine of a static host: answers a search in the browser from the
// static index that `gongkai build` writes under search/static/, with the same
// answers as the server's /api/search (`gongkai search --json`). Each step here
// mirrors a function of the Rust code (src/search/: analyzer, terms, query,
// facets, snippet); keep them equal — tests/static_search.rs compares the two.
//
// Usage: GongkaiSearch.createEngine({ base: "/search/static/" }).search(request)
// resolves to the response object of /api/search, or rejects with an error whose
// `status` is 400 for a bad request. Files are fetched only when a search needs
// them: the index description (with the vocabulary) and the facet lists on the
// first search, the postings shards of the query's terms, the page's documents.
(function (root) {
  "use strict";

  // --- Characters (src/text.rs, src/search/analyzer.rs) ---

  var ALNUM = /[\p{Alphabetic}\p{N}]/u;
  var SPACE = /\p{White_Space}/u;
  var CONTROL = /\p{Cc}/u;

  function cps(s) { return Array.from(s, function (c) { return c.codePointAt(0); }); }
  function str(codes) {
    var out = "";
    for (var i = 0; i < codes.length; i += 4096) {
      out += String.fromCodePoint.apply(null, codes.slice(i, i + 4096));
    }
    return out;
  }
  function isHan(c) {
    return (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x2fa1f);
  }
  function isCjkSymbol(c) { return (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef); }
  function isAsciiAlnum(c) {
    return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  }
  function isAlnum(c) { return ALNUM.test(String.fromCodePoint(c)); }
  function isSpace(c) { return SPACE.test(String.fromCodePoint(c)); }
  function isInvisible(c) {
    if (CONTROL.test(String.fromCodePoint(c)) && c !== 0x0a && c !== 0x09) { return true; }
    return c === 0x00ad || c === 0x034f || c === 0x061c || c === 0x115f || c === 0x1160 ||
      c === 0x17b4 || c === 0x17b5 || c === 0x180e || (c >= 0x200b && c <= 0x200f) ||
      (c >= 0x2028 && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f) || c === 0x3164 ||
      c === 0xfeff || c === 0xffa0 || (c >= 0xfff9 && c <= 0xfffb) ||
      (c >= 0x1d173 && c <= 0x1d17a) || (c >= 0xe0000 && c <= 0xe0fff);
  }
  function trim(s) {
    var c = cps(s), a = 0, b = c.length;
    while (a < b && isSpace(c[a])) { a++; }
    while (b > a && isSpace(c[b - 1])) { b--; }
    return str(c.slice(a, b));
  }
  function foldFullwidth(c) {
    if (c >= 0xff01 && c <= 0xff5e) { return c - 0xfee0; }
    return c === 0x3000 ? 0x20 : c;
  }
  function compareCodePoints(a, b) {
    var x = cps(a), y = cps(b);
    for (var i = 0; i < x.length && i < y.length; i++) {
      if (x[i] !== y[i]) { return x[i] - y[i]; }
    }
    return x.length - y.length;
  }

  // Traditional → simplified, one character for one: the table of the build
  // (meta.fold) and the rules of the fast2s crate that look at the characters around.
  var EXCLUDE = {
    "兒": ["兒寬"], "覆": ["答覆", "批覆", "回覆"], "夥": ["甚夥"], "藉": ["慰藉", "狼藉"],
    "瞭": ["瞭望"], "麽": ["幺麽"], "幺": ["幺麽"], "於": ["樊於"], "乾": ["乾隆", "乾坤", "乾卦"]
  };
  var SPECIAL = {
    "藉": { "藉口": "借", "憑藉": "借" }, "著": { "看著": "着" }, "苧": { "苧麻": "苎" },
    "闔": { "闔家": "合" }, "鍾": { "鍾書": "锺" }, "讎": { "校讎": "雠", "讎定": "雠", "仇讎": "雠" },
    "畫": { "計畫": "划", "企畫": "划" }
  };
  function toSimplified(codes, table) {
    var out = new Array(codes.length);
    for (var i = 0; i < codes.length; i++) {
      var cur = codes[i];
      if (cur < 0x800 || cur > 0xffff) { out[i] = cur; continue; }
      var c = String.fromCodePoint(cur);
      var prev = i > 0 ? String.fromCodePoint(codes[i - 1]) : "0";
      var next = i + 1 < codes.length ? String.fromCodePoint(codes[i + 1]) : "0";
      var w1 = prev + c, w2 = c + next;
      if (EXCLUDE[c]) {
        if (EXCLUDE[c].indexOf(w1) >= 0 || EXCLUDE[c].indexOf(w2) >= 0) { out[i] = cur; continue; }
      } else if (SPECIAL[c]) {
        var special = SPECIAL[c][w1] || SPECIAL[c][w2];
        if (special) { out[i] = special.codePointAt(0); continue; }
      }
      out[i] = table.has(cur) ? table.get(cur) : cur;
    }
    return out;
  }

  // analyzer::fold: full-width → ASCII, lowercase (when one character), simplified.
  function fold(s, table) {
    var codes = cps(s).map(function (c) {
      c = foldFullwidth(c);
      var lower = cps(String.fromCodePoint(c).toLowerCase());
      return lower.length === 1 ? lower[0] : c;
    });
    return toSimplified(codes, table);
  }

  // analyzer::gram_units: Han characters and Latin/digit words; a break between
  // units (anything else) ends a run.
  function gramUnits(codes) {
    var units = [], broken = false, word = -1;
    function push(start, end) {
      if (units.length) { units[units.length - 1].joined = !broken; }
      units.push({ text: str(codes.slice(start, end)), start: start, end: end, han: false, joined: false });
      broken = false;
    }
    for (var i = 0; i < codes.length; i++) {
      var c = codes[i];
      if (isAsciiAlnum(c) || (isAlnum(c) && !isHan(c) && !isCjkSymbol(c))) {
        if (word < 0) { word = i; }
        continue;
      }
      if (word >= 0) { push(word, i); word = -1; }
      if (isHan(c)) { push(i, i + 1); units[units.length - 1].han = true; } else { broken = true; }
    }
    if (word >= 0) { push(word, codes.length); }
    return units;
  }
  function runs(units) {
    var out = [], start = 0;
    for (var i = 0; i < units.length; i++) {
      if (!units[i].joined) { out.push(units.slice(start, i + 1)); start = i + 1; }
    }
    return out;
  }
  // analyzer::gram_term: units joined, each Latin/digit word followed by U+0001.
  function gramTerm(units) {
    var out = "";
    for (var i = 0; i < units.length; i++) {
      out += units[i].text;
      if (!units[i].han) { out += "\u0001"; }
    }
    return out;
  }
  function windows(run, n) {
    var out = [];
    for (var i = 0; i + n <= run.length; i++) { out.push(gramTerm(run.slice(i, i + n))); }
    return out;
  }
  function sortedUnique(list) {
    list.sort(compareCodePoints);
    return list.filter(function (t, i) { return i === 0 || t !== list[i - 1]; });
  }
  // analyzer::gram_terms: at each unit of a run, the (up to) three units from it.
  var GRAM_UNITS = 3;
  function gramTerms(codes) {
    var terms = [];
    runs(gramUnits(codes)).forEach(function (run) {
      for (var i = 0; i < run.length; i++) { terms.push(gramTerm(run.slice(i, i + GRAM_UNITS))); }
    });
    return sortedUnique(terms);
  }
  // analyzer::signature: a run's trigrams, or the run as a prefix of terms.
  function signature(codes) {
    var terms = [];
    runs(gramUnits(codes)).forEach(function (run) {
      if (run.length < GRAM_UNITS) {
        terms.push({ text: gramTerm(run), prefix: true });
      } else {
        windows(run, GRAM_UNITS).forEach(function (t) { terms.push({ text: t, prefix: false }); });
      }
    });
    return terms;
  }
  // SignatureTerm::found_in, over a text's terms.
  function foundIn(terms, s) {
    return s.prefix
      ? terms.some(function (t) { return t.startsWith(s.text); })
      : terms.indexOf(s.text) >= 0;
  }
  // terms::gram_runs: the contiguous runs of folded text.
  function gramRuns(codes) {
    return runs(gramUnits(codes)).map(function (run) {
      return codes.slice(run[0].start, run[run.length - 1].end);
    });
  }

  // --- Query terms (src/search/terms.rs) ---

  var MAX_WORD_CHARS = 8;

  // Vocabulary::words: each run cut into the fewest pieces (vocabulary words,
  // Latin/digit words, single Han characters), the longest first piece among
  // equals; single characters glued to the next word of the run (to the one
  // before at its end), or standing together alone.
  function words(codes, vocabulary) {
    var out = [];
    runs(gramUnits(codes)).forEach(function (run) {
      var n = run.length, best = [];
      best[n] = [0, 0];
      for (var i = n - 1; i >= 0; i--) {
        var choice = [best[i + 1][0] + 1, 1];
        for (var len = Math.min(MAX_WORD_CHARS, n - i); len >= 2; len--) {
          var span = run.slice(i, i + len);
          if (!span.every(function (u) { return u.han; })) { continue; }
          var word = span.map(function (u) { return u.text; }).join("");
          if (vocabulary.has(word) && best[i + len][0] + 1 < choice[0]) { choice = [best[i + len][0] + 1, len]; }
        }
        best[i] = choice;
      }
      var glue = "", wordInRun = false;
      for (var at = 0; at < n; at += best[at][1]) {
        var piece = run.slice(at, at + best[at][1]);
        var text = piece.map(function (u) { return u.text; }).join("");
        if (piece.length === 1 && piece[0].han) { glue += text; } else {
          out.push(glue + text);
          glue = "";
          wordInRun = true;
        }
      }
      if (glue) {
        if (out.length && wordInRun) { out[out.length - 1] += glue; } else { out.push(glue); }
      }
    });
    return out;
  }

  var QUOTES = [0x22, 0x201c, 0x201d, 0x300c, 0x300d];

  // terms::parse_terms: the terms, the query as searched, whether it was cut.
  function parseTerms(raw, vocabulary, table, maxChars) {
    var all = cps(raw);
    var truncated = all.length > maxChars;
    var text = all.slice(0, maxChars);
    var pieces = [], current = [], inPhrase = false;
    function nonEmpty(codes) { return trim(str(codes)) !== ""; }
    text.forEach(function (c) {
      if (QUOTES.indexOf(c) >= 0) {
        if (nonEmpty(current)) { pieces.push([current, inPhrase]); }
        current = [];
        inPhrase = !inPhrase;
      } else if (isSpace(c) && !inPhrase) {
        if (current.length) { pieces.push([current, false]); current = []; }
      } else {
        current.push(c);
      }
    });
    if (nonEmpty(current)) { pieces.push([current, inPhrase]); }
    var terms = [];
    pieces.forEach(function (p) {
      var folded = fold(trim(str(p[0])), table);
      if (!gramUnits(folded).length) { return; }
      var list = p[1] ? [str(folded)] : words(folded, vocabulary);
      list = list.filter(function (w, i) { return i === 0 || w !== list[i - 1]; });
      var key = str(folded);
      if (terms.some(function (t) { return t.folded === key && t.quoted === p[1]; })) { return; }
      terms.push({ folded: key, codes: folded, quoted: p[1], words: list });
    });
    return { terms: terms, text: trim(str(text)), truncated: truncated };
  }

  // QueryTerm::highlights: the term's runs, and its words' runs when unquoted.
  function highlights(term) {
    var out = gramRuns(term.codes);
    if (!term.quoted) {
      term.words.forEach(function (w) { out = out.concat(gramRuns(cps(w))); });
    }
    return out;
  }

  // --- Snippets (src/search/snippet.rs) ---

  function escapeHtml(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function truncateChars(s, n) {
    var c = cps(s);
    return c.length <= n ? s : str(c.slice(0, n)) + "…";
  }
  function snippet(text, terms, width, table) {
    var original = cps(text), folded = fold(text, table), ranges = [];
    terms.forEach(function (t) {
      highlights(t).forEach(function (run) {
        if (!run.length || run.length > folded.length) { return; }
        for (var s = 0; s + run.length <= folded.length; s++) {
          var same = true;
          for (var k = 0; k < run.length && same; k++) { same = folded[s + k] === run[k]; }
          if (same) { ranges.push([s, s + run.length]); }
        }
      });
    });
    if (!ranges.length) { return null; }
    ranges.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) { last[1] = Math.max(last[1], r[1]); } else { merged.push([r[0], r[1]]); }
    });
    var n = folded.length;
    var start = Math.max(0, merged[0][0] - Math.floor(width / 5));
    var end = Math.min(start + width, n);
    start = Math.min(Math.max(0, end - width), start);
    var cut = merged.find(function (r) { return r[0] < end && end < r[1]; });
    if (cut) { end = cut[1]; }
    var piece = function (a, b) { return escapeHtml(str(original.slice(a, b))); };
    var out = start > 0 ? "…" : "", at = start;
    merged.filter(function (r) { return r[1] > start && r[0] < end; }).forEach(function (r) {
      var s = Math.max(r[0], start), e = Math.min(r[1], end);
      out += piece(at, s) + "<mark>" + piece(s, e) + "</mark>";
      at = e;
    });
    out += piece(at, end);
    if (end < n) { out += "…"; }
    return out;
  }

  // --- The static index ---

  function reader(bytes) {
    var at = 0, decoder = new TextDecoder();
    return {
      done: function () { return at >= bytes.length; },
      varint: function () {
        var n = 0, shift = 1, b;
        do { b = bytes[at++]; n += (b & 0x7f) * shift; shift *= 128; } while (b & 0x80);
        return n;
      },
      byte: function () { return bytes[at++]; },
      string: function () {
        var len = this.varint(), s = decoder.decode(bytes.subarray(at, at + len));
        at += len;
        return s;
      },
      docs: function () {
        var count = this.varint(), list = new Int32Array(count), doc = 0;
        for (var i = 0; i < count; i++) { doc += this.varint(); list[i] = doc; }
        return list;
      }
    };
  }

  function defaultFetch(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.arrayBuffer();
    }).then(function (b) { return new Uint8Array(b); });
  }
  function defaultInflate(bytes) {
    // Some hosts send .gz files with Content-Encoding: gzip; the browser has
    // inflated them already.
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) { return Promise.resolve(bytes); }
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }

  function createEngine(options) {
    var base = options.base;
    var fetchBytes = options.fetch || defaultFetch;
    var inflate = options.inflate || defaultInflate;
    var version = "";
    var cache = new Map();
    function load(name) {
      if (!cache.has(name)) {
        var url = base + name + (version ? "?v=" + version : "");
        cache.set(name, fetchBytes(url).then(inflate));
      }
      return cache.get(name);
    }
    var ready = null;
    function start() {
      if (ready) { return ready; }
      // The description may be on its way already (options.meta: its bytes).
      var metaBytes = options.meta ? options.meta.then(inflate) : load("meta.json.gz");
      ready = metaBytes.then(function (bytes) {
        var meta = JSON.parse(new TextDecoder().decode(bytes));
        if (meta.format !== 5) { throw new Error("unknown static index format " + meta.format); }
        version = meta.version || "";
        var table = new Map(), pairs = cps(meta.fold);
        for (var i = 0; i + 1 < pairs.length; i += 2) { table.set(pairs[i], pairs[i + 1]); }
        var vocabulary = new Set(meta.words.split("\n").filter(Boolean));
        var planOf = new Int32Array(meta.docs);
        meta.plans.forEach(function (p, i) {
          planOf.fill(i, p.first, p.first + p.count);
          p.terms = gramTerms(cps(p.info));
        });
        return { meta: meta, table: table, vocabulary: vocabulary, planOf: planOf };
      });
      return ready;
    }

    // Category titles and unit labels with their documents, for the facet counts.
    function facetLists(index) {
      if (!index.facetLists) {
        index.facetLists = load("facets.gz").then(function (bytes) {
          var r = reader(bytes), lists = [];
          for (var k = 0; k < 2; k++) {
            var count = r.varint(), list = [];
            for (var j = 0; j < count; j++) { list.push([r.string(), r.docs()]); }
            lists.push(list);
          }
          return { categories: lists[0], units: lists[1] };
        });
      }
      return index.facetLists;
    }

    // The shard a term would be in (-1 before the first).
    function shardOf(index, term) {
      var shards = index.meta.shards, lo = 0, hi = shards.length - 1;
      if (!shards.length || compareCodePoints(term, shards[0]) < 0) { return -1; }
      while (lo < hi) {
        var mid = (lo + hi + 1) >> 1;
        if (compareCodePoints(shards[mid], term) <= 0) { lo = mid; } else { hi = mid - 1; }
      }
      return lo;
    }
    // A postings shard: each term with its documents and field bits, in order.
    function shard(i) {
      var name = "p/" + i + ".gz";
      if (!cache.has(name + "#parsed")) {
        cache.set(name + "#parsed", load(name).then(function (bytes) {
          var r = reader(bytes), count = r.varint(), map = new Map();
          for (var i = 0; i < count; i++) {
            // Twice the number of documents, plus one when they come as a bitmap.
            var t = r.string(), head = r.varint(), n = Math.floor(head / 2);
            var docs = new Int32Array(n), masks = new Uint8Array(n), doc = 0, j = 0;
            if (head % 2) {
              for (var len = r.varint(), b = 0; b < len; b++) {
                for (var byte = r.byte(), bit = 0; byte; bit++, byte >>= 1) {
                  if (byte & 1) { docs[j++] = b * 8 + bit; }
                }
              }
            } else {
              for (; j < n; j++) { doc += r.varint(); docs[j] = doc; }
            }
            // Four field bits per document, two documents to a byte.
            for (var k = 0; k < n; k += 2) {
              var bits = r.byte();
              masks[k] = bits & 15;
              if (k + 1 < n) { masks[k + 1] = bits >> 4; }
            }
            map.set(t, { docs: docs, masks: masks });
          }
          return map;
        }));
      }
      return cache.get(name + "#parsed");
    }
    // The postings of a term: its documents and field bits (null when absent).
    function postings(index, term) {
      var i = shardOf(index, term);
      if (i < 0) { return Promise.resolve(null); }
      return shard(i).then(function (map) { return map.get(term) || null; });
    }
    // Where a signature's terms all are: documents with the bits of the fields
    // that hold every term.
    function where(index, sig) {
      return Promise.all(sig.map(function (t) {
        // A prefix's own entry (browser::PREFIX_END after it) holds all its terms' documents.
        return postings(index, t.prefix ? t.text + "\u{10FFFF}" : t.text);
      })).then(function (lists) {
        if (lists.some(function (l) { return !l; })) { return { docs: new Int32Array(0), masks: new Uint8Array(0) }; }
        lists.sort(function (a, b) { return a.docs.length - b.docs.length; });
        var docs = Array.from(lists[0].docs), masks = Array.from(lists[0].masks);
        for (var k = 1; k < lists.length; k++) {
          var other = lists[k], i = 0, j = 0, nd = [], nm = [];
          while (i < docs.length && j < other.docs.length) {
            if (docs[i] < other.docs[j]) { i++; } else if (docs[i] > other.docs[j]) { j++; } else {
              var m = masks[i] & other.masks[j];
              if (m) { nd.push(docs[i]); nm.push(m); }
              i++; j++;
            }
          }
          docs = nd; masks = nm;
        }
        return { docs: docs, masks: masks };
      });
    }

    function unitKeys(index) {
      if (!index.unitKeys) {
        index.unitKeys = load("unitkeys.gz").then(function (bytes) {
          var r = reader(bytes), count = r.varint(), map = new Map();
          for (var i = 0; i < count; i++) { map.set(r.string(), r.docs()); }
          return map;
        });
      }
      return index.unitKeys;
    }

    function search(request) {
      if (trim(request.query || "") === "") {
        var empty = new Error("请输入搜索词（q is empty）");
        empty.status = 400;
        return Promise.reject(empty);
      }
      return start().then(function (index) { return answer(index, request); });
    }

    function answer(index, req) {
      var meta = index.meta, table = index.table;
      var parsed = parseTerms(req.query, index.vocabulary, table, meta.max_query_chars);
      var limit = Math.min(Math.max(req.limit || 0, 1), meta.max_limit);
      var page = Math.max(req.page || 0, 1);
      var response = {
        query: parsed.text, total: 0, page: page, limit: limit, truncated: parsed.truncated,
        notice: null, hits: [], facets: { plan: {}, year: {}, unit: {}, category: {} }, plan_titles: {}
      };
      if (!parsed.terms.length) {
        response.notice = "查询中没有可搜索的文字或数字。";
        return Promise.resolve(response);
      }
      var terms = parsed.terms;
      var lookups = terms.map(function (t) {
        return Promise.all([
          Promise.all(t.words.map(function (w) { return where(index, signature(cps(w))).then(function (found) {
            var sig = signature(cps(w));
            var plans = [];
            meta.plans.forEach(function (p, i) {
              if (sig.every(function (s) { return foundIn(p.terms, s); })) { plans.push(i); }
            });
            return { found: found, plans: plans };
          }); })),
          where(index, signature(t.codes))
        ]);
      });
      var unit = req.unit && trim(req.unit);
      var keysWanted = unit ? unitKeys(index) : Promise.resolve(null);
      return Promise.all([Promise.all(lookups), keysWanted, facetLists(index)]).then(function (all) {
        var lists = all[2];
        var N = meta.docs, weights = meta.weights;
        var best = function (mask) {
          var w = 0;
          for (var b = 0; b < weights.length; b++) { if (mask & (1 << b)) { w = Math.max(w, weights[b]); } }
          return w;
        };
        var termsMet = new Uint16Array(N), ownAny = new Uint8Array(N), score = new Float64Array(N);
        var seen = new Uint16Array(N), own = new Uint16Array(N), part = new Float64Array(N), mark = new Int32Array(N);
        all[0].forEach(function (found, ti) {
          var wordsFound = found[0], contiguous = found[1];
          seen.fill(0); own.fill(0); part.fill(0); mark.fill(-1);
          wordsFound.forEach(function (w, wi) {
            for (var i = 0; i < w.found.docs.length; i++) {
              var d = w.found.docs[i];
              seen[d]++; own[d]++; part[d] += best(w.found.masks[i]); mark[d] = wi;
            }
            w.plans.forEach(function (pi) {
              var p = meta.plans[pi];
              for (var d = p.first; d < p.first + p.count; d++) { if (mark[d] !== wi) { seen[d]++; } }
            });
          });
          for (var i = 0; i < contiguous.docs.length; i++) {
            part[contiguous.docs[i]] += meta.contiguous + 2 * best(contiguous.masks[i]);
          }
          var need = wordsFound.length;
          for (var d = 0; d < N; d++) {
            if (seen[d] === need) {
              termsMet[d]++;
              score[d] += part[d];
              if (own[d] === need) { ownAny[d] = 1; }
            }
          }
          void ti;
        });
        var allowed = null;
        if (unit) {
          var keys = [jurisdictionKey(unit, table), unitKey(unit, table)];
          allowed = new Uint8Array(N);
          keys.forEach(function (k) {
            var docs = all[1].get(k);
            if (docs) { docs.forEach(function (d) { allowed[d] = 1; }); }
          });
        }
        var matched = [], isMatch = new Uint8Array(N);
        for (var d = 0; d < N; d++) {
          if (termsMet[d] !== terms.length || !ownAny[d]) { continue; }
          var p = meta.plans[index.planOf[d]];
          if (req.plan && p.slug !== req.plan) { continue; }
          if (req.year != null && p.year !== req.year) { continue; }
          if (allowed && !allowed[d]) { continue; }
          matched.push(d);
          isMatch[d] = 1;
        }
        matched.sort(function (a, b) { return score[b] - score[a] || a - b; });
        response.total = matched.length;
        var offset = Math.min((page - 1) * limit, 100000);
        var shown = matched.slice(offset, offset + limit);
        // Facets over all matches.
        var count = function (key, map) { map[key] = (map[key] || 0) + 1; };
        var plans = {}, years = {};
        matched.forEach(function (d) {
          var p = meta.plans[index.planOf[d]];
          count(p.slug, plans);
          count(String(p.year), years);
        });
        var listCounts = function (lists) {
          var out = {};
          lists.forEach(function (entry) {
            var n = 0;
            for (var i = 0; i < entry[1].length; i++) { n += isMatch[entry[1][i]]; }
            if (n) { out[entry[0]] = n; }
          });
          return out;
        };
        response.facets = {
          plan: top(plans, meta.facet_size), year: top(years, meta.facet_size),
          unit: top(listCounts(lists.units), meta.facet_size),
          category: top(listCounts(lists.categories), meta.facet_size)
        };
        meta.plans.forEach(function (p) {
          if (p.slug in response.facets.plan) { response.plan_titles[p.slug] = p.title; }
        });
        if (response.total === 0) { response.notice = "没有找到匹配的任务。请尝试更短的词或其他写法。"; }
        if (parsed.truncated) { response.notice = "查询过长，只搜索了前 " + meta.max_query_chars + " 个字符。"; }
        return documents(index, shown).then(function (docs) {
          response.hits = shown.map(function (d, i) { return toHit(docs[i], score[d], terms, table); });
          return response;
        });
      });
    }

    function documents(index, docs) {
      var per = index.meta.docs_per_chunk;
      return Promise.all(docs.map(function (d) {
        var name = "d/" + Math.floor(d / per) + ".gz";
        if (!cache.has(name + "#parsed")) {
          cache.set(name + "#parsed", load(name).then(function (bytes) {
            return JSON.parse(new TextDecoder().decode(bytes));
          }));
        }
        // A stored document leaves out its plan: slug, title and link come from it.
        return cache.get(name + "#parsed").then(function (chunk) {
          var doc = chunk[d % per], plan = index.meta.plans[index.planOf[d]];
          return {
            plan: plan.slug, plan_title: plan.title, url: "/plans/" + plan.slug + "/#" + doc.anchor,
            number: doc.number, text: doc.text, requirement: doc.requirement,
            category: doc.category, units: doc.units
          };
        });
      }));
    }

    return { search: search, start: start };
  }

  // facets::top_values: the values with the most matches, among equals the first keys.
  function top(counts, size) {
    var keys = Object.keys(counts).sort(compareCodePoints);
    if (keys.length > size) {
      keys = keys.slice().sort(function (a, b) { return counts[b] - counts[a] || compareCodePoints(a, b); })
        .slice(0, size).sort(compareCodePoints);
    }
    var out = {};
    keys.forEach(function (k) { out[k] = counts[k]; });
    return out;
  }

  // office::jurisdiction_key and text::unit_key (strip_annotations).
  function jurisdictionKey(s, table) {
    return str(toSimplified(cps(s), table).map(foldFullwidth).filter(function (c) {
      return !isSpace(c) && !isInvisible(c);
    }));
  }
  function unitKey(s, table) {
    var out = "", depth = 0;
    cps(s).forEach(function (c) {
      if (c === 0xff08 || c === 0x28) { depth++; } else if ((c === 0xff09 || c === 0x29) && depth > 0) { depth--; } else if (depth === 0) { out += String.fromCodePoint(c); }
    });
    var stripped = trim(out) === "" ? trim(s) : trim(out);
    return str(toSimplified(cps(stripped), table));
  }

  function toHit(doc, score, terms, table) {
    var text = snippet(doc.text, terms, 120, table);
    if (text === null && doc.requirement) { text = snippet(doc.requirement, terms, 120, table); }
    if (text === null) { text = escapeHtml(truncateChars(doc.text, 120)); }
    // A short text whole, its matches marked.
    var marked = function (s) {
      var m = snippet(s, terms, cps(s).length, table);
      return m === null ? escapeHtml(s) : m;
    };
    var category = doc.category.join(" › ");
    return {
      plan: doc.plan, plan_title: doc.plan_title, number: doc.number, url: doc.url, score: score,
      snippet: text, category: category, category_html: marked(category),
      units: doc.units, units_html: doc.units.map(marked)
    };
  }

  // The request of a URL's parameters, checked as /api/search checks them: the
  // request, or an error message.
  function requestFromParams(params) {
    var req = { query: "", limit: 10, page: 1 };
    var error = null;
    params.forEach(function (value, key) {
      if (error) { return; }
      if (key === "q") { req.query = value; } else if (!value) { return; } else if (key === "plan") { req.plan = value; } else if (key === "unit") { req.unit = value; } else if (key === "year") {
        if (/^\+?[0-9]+$/.test(value)) { req.year = Number(value); } else { error = "year 必须是年份数字（year must be a number）"; }
      } else if (key === "page") {
        var p = /^\+?[0-9]+$/.test(value) ? Number(value) : NaN;
        if (p >= 1 && p <= 10000) { req.page = p; } else { error = "page 必须是 1 到 10000 之间的数字"; }
      } else if (key === "limit") {
        if (/^\+?[0-9]+$/.test(value)) { req.limit = Number(value); } else { error = "limit 必须是数字"; }
      }
    });
    return error ? { error: error } : { request: req };
  }

  var api = {
    createEngine: createEngine, requestFromParams: requestFromParams,
    fold: function (s, table) { return str(fold(s, table || new Map())); }
  };
  root.GongkaiSearch = api;
  if (typeof module !== "undefined" && module.exports) { module.exports = api; }
})(typeof self !== "undefined" ? self : globalThis);

/* The site's search worker (issue 12). Plain JavaScript, no dependencies, no requests.
 *
 * Material for MkDocs runs search in a web worker and talks to it in four messages, the point its
 * source names for plugging in a search of one's own: {type: 0 SETUP, data: {config, docs}} with the
 * index, {type: 1 READY}, {type: 2 QUERY, data: "the query"} and {type: 3 RESULT, data: {items}},
 * where items is one list per page: the page's own entry and its matching sections, each
 * {location, title, text, score, terms}. This worker answers those messages itself, for:
 *
 * - Chinese as readers type it. The index holds jieba's words (the build segments Chinese text
 *   and separates words with U+200B). A query is segmented against the index's own words (fewest
 *   words wins, so a keyword such as 爆通讯录 or 投诉电话 stays whole), then each word also matches
 *   the longer words that start with or contain it (催收 finds 暴力催收).
 * - English with light stemming (calls = call), prefixes while typing, and typos (one letter, two
 *   in long words).
 * - Ranking by page: BM25 over each entry's title, keywords (front matter, added by
 *   scripts/search_index.py) and text, the best section of a page plus its coverage of the query.
 *   Pages that contain every word of the query come first.
 * - Snippets a phone can show: at most two short passages, whole words marked, no U+200B (they
 *   let a line start with 。，、), no leading punctuation.
 *
 * The same file runs in a page (tests): it then only defines self.KbSearch.
 */
(function (root) {
  "use strict";

  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;

  /* Weights. Keywords are the words readers use for a page; titles say what a page or section
   * is about; question headings are boosted at build time (scripts/search_index.py). */
  var FIELDS = ["title", "keywords", "text"];
  var WEIGHT = { title: 5, keywords: 8, text: 1 };
  var PAGE_TITLE = 1.5;          // a page's own title counts more than a section heading
  var B = { title: 0.5, keywords: 0, text: 0.75 };
  var K1 = 1.2;
  var MATCH = { exact: 1, prefix: 0.7, infix: 0.45, fuzzy: 0.6 };
  var PART = 0.35;               // weight of the words inside a long query word
  var MAX_PAGES = 30, MAX_SECTIONS = 4;

  var HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
  var HAN_CHAR = new RegExp("[" + HAN + "]");
  var HAN_ONLY = new RegExp("^[" + HAN + "]+$");
  var SCRIPT_RUNS = new RegExp("[" + HAN + "]+|[^" + HAN + "]+", "g");
  var MARKUP = /<[^>]*>|&(?:#\d+|#x[0-9a-f]+|[a-z]+);/gi;
  var LEADING = /^[\s\u200b,.;:!?)\]}>、，。；：？！）》」』】〉…—·]+/;

  var STOP_EN = toSet("a an and any are as at be been but by can could do does did for from had has have " +
    "how i if in into is it its me my no of on or our she he so such that the their them then there " +
    "these they this to was we were what which will with would you your yours am " +
    "should may might must let get got im dont");
  var STOP_ZH = toSet("的 了 吗 呢 吧 啊 呀 么 嘛 哦 是 我 我的 你 你的 他 他们 她 它 们 我们 怎么 怎么办 " +
    "怎样 如何 什么 为什么 可以 能 能不能 会 会不会 要 被 把 在 和 与 及 或 也 就 都 还 这 那 " +
    "这个 那个 这些 有 有没有 一个 请问 对 给 啥 咋 咋办 该 应该 到底");

  function toSet(words) {
    var set = Object.create(null);
    words.split(/\s+/).forEach(function (w) { if (w) set[w] = true; });
    return set;
  }

  /* English: plural and -ing/-ed endings, applied to index and query alike. */
  function stem(word) {
    if (word.length < 4 || !/^[a-z]+$/.test(word)) return word;
    if (/ies$/.test(word) && word.length > 4) return word.slice(0, -3) + "y";
    if (/(ss|us|is)$/.test(word)) return word;
    if (/(sses|xes|ches|shes|zes)$/.test(word)) return word.slice(0, -2);
    if (/s$/.test(word)) return word.slice(0, -1);
    var m = /^(.{3,}?)(ing|ed)$/.exec(word);
    if (m) {
      var base = m[1];
      if (/([b-df-hj-np-tv-z])\1$/.test(base) && !/(ll|ss|zz)$/.test(base)) base = base.slice(0, -1);
      return base;
    }
    return word;
  }

  function normalize(token) {
    var t = token.toLowerCase().replace(/['\u2019]/g, "");
    if (/[\uff01-\uff5e]/.test(t)) t = t.normalize("NFKC");
    return stem(t);
  }

  /* Tokens of an indexed string (HTML with U+200B between Chinese words) with their offsets. */
  function Tokenizer(separator) {
    this.separator = new RegExp(separator || "[\\s\\u200b]+", "g");
  }

  Tokenizer.prototype.tokens = function (input) {
    var out = [];
    if (!input) return out;
    var text = String(input);
    var masked = text.replace(MARKUP, function (m) { return new Array(m.length + 1).join(" "); });
    var sep = this.separator, last = 0, m;
    sep.lastIndex = 0;
    var push = function (start, end) {
      if (end <= start) return;
      var piece = masked.slice(start, end), run;
      SCRIPT_RUNS.lastIndex = 0;
      while ((run = SCRIPT_RUNS.exec(piece))) {
        var s = start + run.index, e = s + run[0].length;
        var trimmed = run[0].replace(/^\s+|\s+$/g, "");
        if (!trimmed) continue;
        if (trimmed !== run[0]) { s += run[0].indexOf(trimmed); e = s + trimmed.length; }
        out.push({ start: s, end: e, term: normalize(trimmed) });
      }
    };
    while ((m = sep.exec(masked))) {
      if (m[0].length === 0) { sep.lastIndex++; continue; }
      push(last, m.index);
      last = m.index + m[0].length;
    }
    push(last, masked.length);
    return out;
  };

  /* ---------------------------------------------------------------------------------------- */

  function Engine(data) {
    var config = (data && data.config) || {};
    var docs = (data && data.docs) || [];
    this.tokenizer = new Tokenizer(config.separator);
    this.docs = [];
    this.postings = Object.create(null);   // term -> [doc, field, tf, ...]
    this.df = Object.create(null);
    this.lengths = [];
    var total = { title: 0, keywords: 0, text: 0 };
    var pages = Object.create(null);
    var self = this;

    docs.forEach(function (raw) {
      var location = String(raw.location || "");
      var hash = location.indexOf("#");
      var doc = {
        location: location,
        page: hash < 0 ? location : location.slice(0, hash),
        isPage: hash < 0,
        title: String(raw.title || ""),
        text: String(raw.text || ""),
        keywords: Array.isArray(raw.keywords) ? raw.keywords.map(String) : [],
        boost: typeof raw.boost === "number" && raw.boost > 0 ? raw.boost : 1
      };
      var id = self.docs.push(doc) - 1;
      if (doc.isPage && !(doc.page in pages)) pages[doc.page] = id;
      var seen = Object.create(null), lengths = {};
      FIELDS.forEach(function (field, f) {
        var value = field === "keywords" ? doc.keywords.join("\u200b") : doc[field];
        var counts = Object.create(null), n = 0;
        self.tokenizer.tokens(value).forEach(function (t) {
          counts[t.term] = (counts[t.term] || 0) + 1;
          n++;
        });
        lengths[field] = n;
        total[field] += n;
        for (var term in counts) {
          (self.postings[term] || (self.postings[term] = [])).push(id, f, counts[term]);
          if (!seen[term]) { seen[term] = true; self.df[term] = (self.df[term] || 0) + 1; }
        }
      });
      self.lengths.push(lengths);
    });
    this.pages = pages;
    var n = Math.max(this.docs.length, 1);
    this.average = { title: total.title / n || 1, keywords: total.keywords / n || 1, text: total.text / n || 1 };
    this.vocabulary = Object.keys(this.postings).sort();
    this.han = Object.create(null);
    this.longest = 1;
    for (var i = 0; i < this.vocabulary.length; i++) {
      var word = this.vocabulary[i];
      if (HAN_ONLY.test(word)) {
        this.han[word] = true;
        if (word.length > this.longest) this.longest = Math.min(word.length, 24);
      }
    }
  }

  /* Where `prefix` would go in the sorted vocabulary. */
  Engine.prototype.lowerBound = function (prefix) {
    var v = this.vocabulary, lo = 0, hi = v.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (v[mid] < prefix) lo = mid + 1; else hi = mid; }
    return lo;
  };

  /* Vocabulary words starting with `prefix`. */
  Engine.prototype.withPrefix = function (prefix) {
    var v = this.vocabulary, out = [];
    for (var i = this.lowerBound(prefix); i < v.length && v[i].lastIndexOf(prefix, 0) === 0; i++) out.push(v[i]);
    return out;
  };

  Engine.prototype.hasPrefix = function (prefix) {
    var i = this.lowerBound(prefix);
    return i < this.vocabulary.length && this.vocabulary[i].lastIndexOf(prefix, 0) === 0;
  };

  /* Split a run of Chinese characters into as few index words as possible. A character that is
   * no index word stands alone; the run's last piece may be the start of a word (still typing). */
  Engine.prototype.segment = function (run, open) {
    var n = run.length, best = [0], from = [0];
    for (var i = 1; i <= n; i++) {
      best[i] = Infinity;
      for (var j = Math.max(0, i - this.longest); j < i; j++) {
        var piece = run.slice(j, i), cost;
        if (this.han[piece]) cost = 1;
        else if (i - j === 1) cost = 1.2;
        else if (open && i === n && this.hasPrefix(piece)) cost = 1.1;
        else continue;
        if (best[j] + cost < best[i]) { best[i] = best[j] + cost; from[i] = j; }
      }
    }
    var out = [];
    for (var k = n; k > 0; k = from[k]) out.unshift(run.slice(from[k], k));
    return out;
  };

  /* Typos: pinyin input puts the right sound on the wrong character, which breaks a word into
   * single characters that rarely stand alone (微粒代 for 微粒贷, 征信修付 for 征信修复; 不说 is
   * two common words, not a typo). For each stretch of single characters with two such rare ones,
   * the shortest piece of the run around it that is one character away from an
   * index word: [[start, end, word]]. */
  Engine.prototype.corrections = function (run, words) {
    var out = [], at = 0, starts = [];
    words.forEach(function (w) { starts.push(at); at += w.length; });
    for (var i = 0; i < words.length; i++) {
      if (words[i].length !== 1) continue;
      var j = i;
      while (j + 1 < words.length && words[j + 1].length === 1) j++;
      var rare = 0;
      for (var r = i; r <= j; r++) if ((this.df[words[r]] || 0) <= 2) rare++;
      if (rare >= 2) {
        var s0 = starts[i], e0 = starts[j] + 1, found = null;
        for (var len = Math.max(3, e0 - s0); len <= Math.min(8, run.length) && !found; len++)
          for (var s = Math.max(0, e0 - len); s <= s0 && s + len <= run.length && !found; s++) {
            var word = this.corrected(run.slice(s, s + len));
            if (word) found = [s, s + len, word];
          }
        if (found) out.push(found);
      }
      i = j;
    }
    return out;
  };

  /* The index word one character away from `piece` (the most common one), or "". */
  Engine.prototype.corrected = function (piece) {
    if (!this.typos) {
      this.typos = Object.create(null);
      for (var word in this.han) {
        if (word.length < 3 || word.length > 8) continue;
        for (var k = 0; k < word.length; k++) {
          var key = word.slice(0, k) + "?" + word.slice(k + 1), seen = this.typos[key];
          if (!seen || this.df[word] > this.df[seen]) this.typos[key] = word;
        }
      }
    }
    for (var i = 0; i < piece.length; i++) {
      var found = this.typos[piece.slice(0, i) + "?" + piece.slice(i + 1)];
      if (found) return found;
    }
    return "";
  };

  /* The query as a list of terms {text, weight, whole, last, of}: `whole` terms are what the
   * reader typed (coverage counts them), the others the parts of a long word (`of` it); `last` is
   * the word still being typed (it also matches as a prefix). A lone Chinese character weighs half
   * a word, one taken for a typo a fifth, and the corrected word counts whole. */
  Engine.prototype.parse = function (query) {
    var self = this, terms = [], seen = Object.create(null);
    var text = String(query).replace(/[*+^~:"]/g, " ");
    var pieces = this.tokenizer.tokens(text);
    var open = !/\s$/.test(text);
    var add = function (word, weight, whole, last, of) {
      var key = word + (whole ? "" : "\u0000");
      if (!word || seen[key]) return;
      seen[key] = true;
      terms.push({ text: word, weight: weight, whole: whole, last: last, of: of });
    };
    pieces.forEach(function (piece, p) {
      var last = open && p === pieces.length - 1;
      if (!HAN_CHAR.test(piece.term)) {
        if (!STOP_EN[text.slice(piece.start, piece.end).toLowerCase()]) add(piece.term, 1, true, last);
        return;
      }
      var run = piece.term, words = self.segment(run, last);
      var fixes = self.corrections(run, words), at = 0;
      words.forEach(function (word, w) {
        var start = at;
        at += word.length;
        if (STOP_ZH[word]) return;
        var typo = fixes.some(function (f) { return start >= f[0] && at <= f[1]; });
        if (word.length === 1) add(word, typo ? 0.2 : 0.5, !typo, last && w === words.length - 1);
        else add(word, 1, true, last && w === words.length - 1);
        if (word.length >= 3 && self.han[word])
          self.split(word).forEach(function (part) {
            if (!STOP_ZH[part] && part.length > 1) add(part, PART, false, false, word);
          });
      });
      fixes.forEach(function (f) { add(f[2], 1, true, false); });
    });
    if (!terms.length) {
      /* Only stop words: search for them after all rather than show nothing. */
      pieces.forEach(function (piece) { add(piece.term, 1, true, open); });
    }
    return terms;
  };

  /* A long index word's own parts (爆通讯录 -> 爆, 通讯录), or [] if it has none. */
  Engine.prototype.split = function (word) {
    var saved = this.han[word];
    delete this.han[word];
    var parts = this.segment(word, false);
    if (saved) this.han[word] = saved;
    return parts.length > 1 && parts.some(function (p) { return p.length > 1; }) ? parts : [];
  };

  /* Index words a query term matches, with how well: {word: factor}. */
  Engine.prototype.expand = function (term) {
    var text = term.text, out = Object.create(null), han = HAN_CHAR.test(text), i;
    if (this.postings[text]) out[text] = MATCH.exact;
    if (han ? text.length >= 2 : text.length >= 3 || (term.last && text.length >= 2)) {
      var prefixed = this.withPrefix(text);
      for (i = 0; i < prefixed.length && i < 200; i++)
        if (!(prefixed[i] in out)) out[prefixed[i]] = MATCH.prefix;
    }
    if (han && text.length >= 2) {
      for (i = 0; i < this.vocabulary.length; i++) {
        var word = this.vocabulary[i];
        if (word.length > text.length && !(word in out) && word.indexOf(text) > 0) out[word] = MATCH.infix;
      }
    }
    if (!han && text.length >= 4 && !this.postings[text]) {
      var limit = text.length >= 8 ? 2 : 1;
      for (i = 0; i < this.vocabulary.length; i++) {
        var candidate = this.vocabulary[i];
        if (!(candidate in out) && Math.abs(candidate.length - text.length) <= limit && !HAN_CHAR.test(candidate) &&
            distance(text, candidate, limit) <= limit)
          out[candidate] = MATCH.fuzzy;
      }
    }
    return out;
  };

  /* Optimal string alignment distance, giving up above `limit`. */
  function distance(a, b, limit) {
    var prev2 = null, prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var low = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur[j] = v;
        if (v < low) low = v;
      }
      if (low > limit) return limit + 1;
      prev2 = prev;
      prev = cur;
    }
    return prev[b.length];
  }

  Engine.prototype.idf = function (word) {
    var n = this.docs.length, df = this.df[word] || 0;
    return df ? Math.log(1 + (n - df + 0.5) / (df + 0.5)) : 0;
  };

  /* BM25 of one index word in every entry that has it: {doc: score}. */
  Engine.prototype.scoreWord = function (word) {
    var list = this.postings[word], out = Object.create(null);
    if (!list) return out;
    var idf = this.idf(word);
    for (var i = 0; i < list.length; i += 3) {
      var id = list[i], field = FIELDS[list[i + 1]], tf = list[i + 2];
      var length = this.lengths[id][field], avg = this.average[field];
      var weight = WEIGHT[field] * (field === "title" && this.docs[id].isPage ? PAGE_TITLE : 1);
      var s = idf * weight * tf * (K1 + 1) / (tf + K1 * (1 - B[field] + B[field] * length / avg));
      out[id] = (out[id] || 0) + s;
    }
    return out;
  };

  Engine.prototype.search = function (query) {
    var self = this;
    var terms = this.parse(query);
    if (!terms.length) return { items: [] };

    /* Per term: its best score in each entry, and which index words it matched. */
    var marks = Object.create(null);
    var single = terms.every(function (t) { return t.text.length === 1; });
    var perTerm = terms.map(function (term) {
      var scores = Object.create(null), words = self.expand(term), importance = 0;
      for (var word in words) {
        var factor = words[word], got = self.scoreWord(word);
        for (var id in got) {
          var s = got[id] * factor;
          if (!(id in scores) || s > scores[id]) scores[id] = s;
        }
        /* What to mark: a Latin word whole (employ finds employer), in a Chinese word only the
         * query's word (催收 in 暴力催收), never a lone Chinese character unless that is all
         * the reader typed. */
        if (!HAN_CHAR.test(word)) marks[word] = true;
        else if (single || term.text.length > 1) {
          var list = marks[word] || (marks[word] = []);
          if (list !== true && list.indexOf(term.text) < 0) list.push(term.text);
        }
      }
      /* How much the term says: the rarity of the word itself, or of the best word it matched.
       * A lone Chinese character says too little to count (员 in 催收员), unless that is all. */
      if (single || !(HAN_CHAR.test(term.text) && term.text.length === 1))
        for (word in words) if (!(term.text in words) || word === term.text)
          importance = Math.max(importance, words[word] * self.idf(word) * term.weight);
      return { term: term, scores: scores, words: words, importance: importance };
    });
    /* Coverage counts the reader's words by how rare they are: a page that has 爆通讯录 but not
     * 逾期 covers most of 网贷逾期会爆通讯录吗. Words no page has do not count. */
    var whole = 0;
    perTerm.forEach(function (pt) { if (pt.term.whole) whole += pt.importance; });

    /* Entry scores, then pages: best entry, spread over the page, and coverage of the query. */
    var entry = Object.create(null), pages = Object.create(null);
    perTerm.forEach(function (pt, t) {
      for (var id in pt.scores) {
        var doc = self.docs[id];
        var s = pt.scores[id] * pt.term.weight * doc.boost;
        entry[id] = (entry[id] || 0) + s;
        var page = pages[doc.page] || (pages[doc.page] = { best: 0, terms: [], ids: [] });
        page.terms[t] = Math.max(page.terms[t] || 0, s);
        if (page.ids.indexOf(+id) < 0) page.ids.push(+id);
      }
    });
    var ranked = [];
    for (var key in pages) {
      var page = pages[key];
      if (!(key in this.pages)) continue;
      var spread = 0, covered = 0;
      page.terms.forEach(function (s, t) {
        if (s === undefined) return;
        spread += s;
        if (terms[t].whole && s > 0) covered += perTerm[t].importance;
      });
      page.ids.forEach(function (id) { page.best = Math.max(page.best, entry[id]); });
      var coverage = whole ? covered / whole : 0;
      page.score = (0.5 * page.best + 0.5 * spread) * (0.1 + 0.9 * coverage * coverage);
      page.key = key;
      ranked.push(page);
    }
    ranked.sort(function (a, b) { return b.score - a.score || (a.key < b.key ? -1 : 1); });
    ranked = ranked.slice(0, MAX_PAGES);

    var items = ranked.map(function (page) {
      var ids = page.ids.slice().sort(function (a, b) { return entry[b] - entry[a]; });
      var pageId = self.pages[page.key];
      var chosen = ids.filter(function (id) { return id !== pageId; }).slice(0, MAX_SECTIONS);
      if (ids.indexOf(pageId) >= 0) chosen.push(pageId);
      chosen.sort(function (a, b) { return entry[b] - entry[a]; });
      var found = termsFound(terms, perTerm, page);
      /* Scores scaled so that a page's first entry carries the page's score and the others
       * less: Material opens the highest score on Enter and folds entries below the first. */
      var top = entry[chosen[0]] || 1;
      var group = chosen.map(function (id) { return self.item(id, page.score * entry[id] / top, marks, found); });
      if (ids.indexOf(pageId) < 0) group.push(self.item(pageId, 0, marks, found));
      group[0].score = page.score;
      return group;
    });
    return { items: items, query: String(query) };
  };

  /* The terms shown for a result (Material marks missing ones and builds ?h= from found ones):
   * whole words only, never a single Chinese character. */
  function termsFound(terms, perTerm, page) {
    var out = {};
    terms.forEach(function (term, t) {
      if (HAN_CHAR.test(term.text) && term.text.length < 2) return;
      var hit = page.terms[t] > 0;
      if (!term.whole) { if (hit) out[term.text] = true; return; }
      /* Not missing when its parts were found (不说自己是谁 through 自己 and 谁). */
      if (!hit && terms.some(function (p, i) { return p.of === term.text && page.terms[i] > 0; })) return;
      var text = term.text;
      if (hit && !perTerm[t].words[text]) {
        /* Matched through a typo or prefix only: name the word that was found. */
        var best = null;
        for (var w in perTerm[t].words) if (!best || perTerm[t].words[w] > perTerm[t].words[best]) best = w;
        if (best && perTerm[t].words[best] === MATCH.fuzzy) text = best;
      }
      if (!(text in out) || hit) out[text] = hit;
    });
    return out;
  }

  /* One result entry: title and snippet with whole words marked, U+200B removed. */
  Engine.prototype.item = function (id, score, marks, terms) {
    var doc = this.docs[id];
    return {
      location: doc.location,
      title: clean(this.mark(doc.title, marks)),
      text: this.snippet(doc.text, marks),
      score: score,
      terms: terms
    };
  };

  Engine.prototype.mark = function (text, marks) {
    var tokens = this.tokenizer.tokens(text), out = "", at = 0;
    for (var i = 0; i < tokens.length; i++) {
      var t = tokens[i], m = marks[t.term];
      if (!m) continue;
      var spans = m === true ? [[t.start, t.end]] : within(text, t.start, t.end, m);
      for (var k = 0; k < spans.length; k++) {
        out += text.slice(at, spans[k][0]) + "<mark>" + text.slice(spans[k][0], spans[k][1]) + "</mark>";
        at = spans[k][1];
      }
    }
    return (out + text.slice(at)).replace(/<\/mark>([\u200b]*)<mark>/g, "$1");
  };

  /* Where the words occur in text[start, end), merged and in order. */
  function within(text, start, end, words) {
    var token = text.slice(start, end).toLowerCase(), spans = [];
    words.forEach(function (word) {
      for (var i = token.indexOf(word); i >= 0; i = token.indexOf(word, i + 1)) spans.push([start + i, start + i + word.length]);
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    spans.forEach(function (s) {
      var last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
      else merged.push(s.slice());
    });
    return merged;
  }

  function clean(html) {
    return html.replace(/\u200b/g, "");
  }

  /* Up to two passages (paragraphs or list items) with the most marked words, each cut to a
   * phone-sized window around its first mark. */
  Engine.prototype.snippet = function (text, marks) {
    var self = this;
    var blocks = String(text).split(/<\/?(?:p|li|ol|ul|pre|table|tr|td|th|blockquote)>/i)
      .map(function (b) { return b.replace(/<[^>]*>/g, "").replace(/^[\s\u200b]+|[\s\u200b]+$/g, ""); })
      .filter(function (b) { return b.length; });
    var scored = blocks.map(function (block, i) {
      var tokens = self.tokenizer.tokens(block), hits = 0, first = -1;
      tokens.forEach(function (t, k) { if (marks[t.term]) { hits++; if (first < 0) first = k; } });
      return { block: block, tokens: tokens, hits: hits, first: first, i: i };
    });
    var chosen = scored.filter(function (b) { return b.hits; })
      .sort(function (a, b) { return b.hits - a.hits || a.i - b.i; }).slice(0, 2)
      .sort(function (a, b) { return a.i - b.i; });
    if (!chosen.length && scored.length) chosen = [scored[0]];
    return chosen.map(function (b) { return "<p>" + clean(self.window(b, marks)) + "</p>"; }).join("");
  };

  var CLOSING = /^[\u200b]*[、，。；：？！）》」』】〉…,.;:?!)]+/;
  var SENTENCE_END = /[。！？；.!?;]/;

  /* A passage cut to about 70 Chinese or 160 Latin characters around its first marked word,
   * starting at a sentence or word, never with punctuation; "…" where it was cut. */
  Engine.prototype.window = function (b, marks) {
    var block = b.block, tokens = b.tokens, zw = [0], han = 0, i;
    for (i = 0; i < block.length; i++) {
      zw.push(zw[i] + (block.charCodeAt(i) === 0x200b ? 1 : 0));
      if (HAN_CHAR.test(block[i])) han++;
    }
    var vis = function (pos) { return pos - zw[pos]; };
    var visible = vis(block.length);
    var size = han * 3 > visible ? 70 : 160;
    var start = 0, end = block.length;
    if (visible > size && tokens.length) {
      var first = Math.max(b.first, 0), k = first;
      while (k > 0 && vis(tokens[first].start) - vis(tokens[k - 1].start) <= size / 3 &&
             !SENTENCE_END.test(block.slice(tokens[k - 1].end, tokens[k].start))) k--;
      start = vis(tokens[k].start) < 8 ? 0 : tokens[k].start;
      var e = first;
      while (e < tokens.length - 1 && vis(tokens[e + 1].end) - vis(start) <= size) e++;
      end = tokens[e].end;
      var tail = CLOSING.exec(block.slice(end));
      if (tail) end += tail[0].length;
      if (visible - vis(end) < 8) end = block.length;
    }
    var piece = block.slice(start, end).replace(LEADING, "");
    var out = this.mark(piece, marks);
    if (start > 0) out = "…" + out;
    if (end < block.length) out += "…";
    return out;
  };

  /* ---------------------------------------------------------------------------------------- */

  root.KbSearch = { Engine: Engine, Tokenizer: Tokenizer, stem: stem, distance: distance };

  if (typeof root.document === "undefined" && typeof root.postMessage === "function") {
    var engine = null;
    root.addEventListener("message", function (ev) {
      var msg = ev.data || {};
      if (msg.type === SETUP) {
        engine = new Engine(msg.data);
        root.postMessage({ type: READY });
      } else if (msg.type === QUERY) {
        var data = { items: [] };
        try {
          if (engine) data = engine.search(String(msg.data || ""));
        } catch (err) {
          /* A bad query must not stop search: answer with nothing, say why in the console. */
          console.warn("search:", err);
        }
        root.postMessage({ type: RESULT, data: data });
      }
    });
  }
})(self);

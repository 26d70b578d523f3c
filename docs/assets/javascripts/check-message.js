/* Message checker (tools/check-message.md, issue 14). Plain JavaScript, no dependencies.
 *
 * It runs on the reader's phone: the message never leaves the page and nothing is stored. The only
 * request is for the rules, message-rules.json beside this file, built from data/message-rules.yml.
 *
 *   window.kbCheckMessage(text, {time: "HH:MM", connected: n, unanswered: n})
 *     -> [{code, match, matches: [{text, start, end, law?}], laws?}], one entry per code, in text order
 *   window.kbCreateChecker(data) -> {check, normalise}   (the same engine, for tests without a page)
 */
(function (root) {
  'use strict';

  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  var SPACE = /\s/;
  var ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/;
  var BOUNDARY = /[\u3002!?;,:\n\uff01\uff1f\uff1b\uff0c\uff1a]/;
  var DIGITS = { '零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9 };
  var UNITS = { '十': 10, '百': 100, '千': 1000 };
  var TERM = /\{([a-z][a-z0-9-]*)\}/g;
  var A_NOT_A = /([\u4e00-\u9fff])不\1/g;
  var URGENT = ['threat', 'impersonation'];

  function escapeRe(s) {
    return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  }

  function report(message) {
    if (root.console && root.console.error) root.console.error('kb-checker: ' + message);
  }

  function compile(source, flags) {
    if (!source) return null;
    try {
      return new RegExp(source, flags || '');
    } catch (e) {
      report('pattern does not compile: ' + source);
      return null;
    }
  }

  function numeral(c) {
    return DIGITS.hasOwnProperty(c) || UNITS.hasOwnProperty(c) || c === '万';
  }

  /* A run of Chinese numerals as digits, or null to leave it alone. */
  function convert(run, next, counters) {
    var i, c;
    if (/[十百千万]/.test(run)) {
      if (!DIGITS.hasOwnProperty(run.charAt(0)) && run.charAt(0) !== '十') return null;
      var total = 0, section = 0, number = 0;
      for (i = 0; i < run.length; i++) {
        c = run.charAt(i);
        if (DIGITS.hasOwnProperty(c)) number = DIGITS[c];
        else if (UNITS.hasOwnProperty(c)) { section += (number || 1) * UNITS[c]; number = 0; }
        else { total += (section + number) * 10000; section = 0; number = 0; }
      }
      return String(total + section + number);
    }
    if (run.length >= 3 || (run.length === 2 && /[零〇]/.test(run))) {
      var out = '';
      for (i = 0; i < run.length; i++) out += DIGITS[run.charAt(i)];
      return out;
    }
    if (run.length === 1 && next && counters.indexOf(next) >= 0) return String(DIGITS[run]);
    return null;
  }

  function createChecker(data) {
    data = data || {};
    var norm = data.normalise || {};
    var table = norm.traditional || '';
    var trad = {};
    for (var t = 0; t + 1 < table.length; t += 2) trad[table.charAt(t)] = table.charAt(t + 1);
    var fillers = norm.fillers || '';
    var counters = norm.counters || '';
    var terms = data.terms || {};
    var negation = data.negation || {};
    var scope = negation.scope || {};
    var languages = ['zh', 'en'].map(function (lang) {
      var n = negation[lang] || {};
      return { scope: scope[lang] || 12, negators: compile(n.negators, 'g'), breakers: compile(n.breakers) };
    });

    function expand(pattern) {
      return pattern.replace(TERM, function (all, name) {
        return terms[name] ? '(?:' + terms[name].map(escapeRe).join('|') + ')' : all;
      });
    }

    function compileAll(patterns) {
      var out = [];
      (patterns || []).forEach(function (p) {
        var re = compile(expand(p), 'g');
        if (re) out.push(re);
      });
      return out;
    }

    var rules = (data.rules || []).map(function (rule) {
      return {
        code: rule.code,
        window: rule.window,
        limits: rule.limits,
        res: compileAll(rule.patterns),
        laws: (rule.laws || []).map(function (law) { return { id: law.id, res: compileAll(law.patterns) }; })
      };
    });

    /* The text the patterns see, and for each of its characters the span of the original text. */
    function normalise(text) {
      var ch = [], st = [], en = [];
      var i = 0, k, c;
      while (i < text.length) {
        var code = text.charCodeAt(i);
        var len = code >= 0xd800 && code <= 0xdbff && i + 1 < text.length ? 2 : 1;
        var piece = text.substr(i, len);
        piece = (piece.normalize ? piece.normalize('NFKC') : piece).toLowerCase();
        for (k = 0; k < piece.length; k++) {
          c = piece.charAt(k);
          ch.push(c === '\u2019' || c === '\u2018' ? "'" : trad[c] || c);
          st.push(i);
          en.push(i + len);
        }
        i += len;
      }
      // Spaces and filler symbols: dropped inside Chinese ("老 赖", "老*赖"), spaces collapsed elsewhere.
      var c2 = [], s2 = [], e2 = [];
      var j = 0;
      function push2(c, s, e) { c2.push(c); s2.push(s); e2.push(e); }
      while (j < ch.length) {
        c = ch[j];
        if (ZERO_WIDTH.test(c)) { j++; continue; }
        if (!SPACE.test(c) && fillers.indexOf(c) < 0) { push2(c, st[j], en[j]); j++; continue; }
        k = j;
        var spacesOnly = true;
        while (k < ch.length && (SPACE.test(ch[k]) || ZERO_WIDTH.test(ch[k]) || fillers.indexOf(ch[k]) >= 0)) {
          if (!SPACE.test(ch[k]) && !ZERO_WIDTH.test(ch[k])) spacesOnly = false;
          k++;
        }
        var before = CJK.test(c2.length ? c2[c2.length - 1] : '');
        var after = CJK.test(k < ch.length ? ch[k] : '');
        if (!((before && after) || (spacesOnly && (before || after)))) {
          var lastSpace = false;
          for (var m = j; m < k; m++) {
            if (ZERO_WIDTH.test(ch[m])) continue;
            if (SPACE.test(ch[m])) {
              if (!lastSpace) push2(' ', st[m], en[m]);
              lastSpace = true;
            } else {
              push2(ch[m], st[m], en[m]);
              lastSpace = false;
            }
          }
        }
        j = k;
      }
      // Chinese numerals before a counter, or with units, as digits ("三代" -> "3代", "两千" -> "2000").
      var out = '', starts = [], ends = [];
      j = 0;
      while (j < c2.length) {
        if (!numeral(c2[j])) { out += c2[j]; starts.push(s2[j]); ends.push(e2[j]); j++; continue; }
        k = j;
        while (k < c2.length && numeral(c2[k])) k++;
        var digits = convert(c2.slice(j, k).join(''), k < c2.length ? c2[k] : '', counters);
        if (digits === null) {
          for (; j < k; j++) { out += c2[j]; starts.push(s2[j]); ends.push(e2[j]); }
        } else {
          for (var d = 0; d < digits.length; d++) { out += digits.charAt(d); starts.push(s2[j]); ends.push(e2[k - 1]); }
          j = k;
        }
      }
      return { text: out, starts: starts, ends: ends };
    }

    /* True when the clause just before `at` negates the match ("我们不会联系…"), unless what follows
       the negation is the reader's own action ("不还就…", "if you do not pay, …"). */
    function negated(s, at) {
      for (var l = 0; l < languages.length; l++) {
        var lang = languages[l];
        if (!lang.negators) continue;
        var tail = s.slice(Math.max(0, at - lang.scope), at);
        for (var b = tail.length - 1; b >= 0; b--) {
          if (BOUNDARY.test(tail.charAt(b))) { tail = tail.slice(b + 1); break; }
        }
        tail = tail.replace(A_NOT_A, ''); // questions such as 要不要, 敢不敢 negate nothing
        lang.negators.lastIndex = 0;
        var m, last = null;
        while ((m = lang.negators.exec(tail))) {
          last = m;
          if (!m[0]) lang.negators.lastIndex++;
        }
        if (last && !(lang.breakers && lang.breakers.test(tail.slice(last.index + last[0].length)))) return true;
      }
      return false;
    }

    function inWindow(time, window) {
      var m = /^(\d{1,2}):(\d{2})/.exec(time || '');
      if (!m || !window) return false;
      var minutes = +m[1] * 60 + +m[2];
      if (+m[1] > 23 || +m[2] > 59) return false;
      var from = window[0].split(':'), to = window[1].split(':');
      var a = +from[0] * 60 + +from[1], b = +to[0] * 60 + +to[1];
      return a > b ? minutes >= a || minutes < b : minutes >= a && minutes < b;
    }

    function check(text, opts) {
      text = String(text == null ? '' : text);
      opts = opts || {};
      var n = normalise(text);
      var s = n.text;
      var found = {};
      var list = [];

      function add(code, a, b, law) {
        var start = n.starts[a], end = n.ends[b - 1];
        var f = found[code];
        if (!f) {
          f = found[code] = { code: code, match: text.slice(start, end), matches: [], first: start };
          list.push(f);
        }
        for (var i = 0; i < f.matches.length; i++) {
          if (start < f.matches[i].end && end > f.matches[i].start) return;
        }
        var item = { text: text.slice(start, end), start: start, end: end };
        if (law) {
          item.law = law;
          f.laws = f.laws || [];
          if (f.laws.indexOf(law) < 0) f.laws.push(law);
        }
        f.matches.push(item);
        if (start < f.first) { f.first = start; f.match = item.text; }
      }

      function scan(re, code, law) {
        re.lastIndex = 0;
        var m;
        while ((m = re.exec(s))) {
          if (!m[0]) { re.lastIndex++; continue; }
          if (!law && negated(s, m.index)) continue;
          add(code, m.index, m.index + m[0].length, law);
        }
      }

      rules.forEach(function (rule) {
        if (rule.window) {
          if (inWindow(opts.time, rule.window)) list.push({ code: rule.code, match: String(opts.time), matches: [], first: Infinity });
        } else if (rule.limits) {
          var connected = +opts.connected || 0, unanswered = +opts.unanswered || 0;
          if (connected > rule.limits.connected || unanswered > rule.limits.unanswered) {
            list.push({ code: rule.code, match: String(connected > rule.limits.connected ? connected : unanswered), matches: [], first: Infinity, connected: connected, unanswered: unanswered });
          }
        } else if (rule.laws.length) {
          rule.laws.forEach(function (law) { law.res.forEach(function (re) { scan(re, rule.code, law.id); }); });
        } else if (s) {
          rule.res.forEach(function (re) { scan(re, rule.code); });
        }
      });
      list.sort(function (x, y) { return x.first - y.first; });
      return list.map(function (f) {
        f.matches.sort(function (x, y) { return x.start - y.start; });
        delete f.first;
        return f;
      });
    }

    return { check: check, normalise: normalise };
  }

  root.kbCreateChecker = createChecker;

  // --- The page ------------------------------------------------------------------------------
  var doc = root.document;
  var script = doc && doc.currentScript;
  var box = doc && doc.querySelector('[data-kb-checker]');
  if (!box || !script || !root.fetch) return;
  var lang = /^en/i.test(doc.documentElement.lang || '') ? 'en' : 'zh';

  function el(tag, text, cls) {
    var node = doc.createElement(tag);
    if (text) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function headingText(h) {
    if (!h) return '';
    var copy = h.cloneNode(true);
    var links = copy.querySelectorAll('.headerlink');
    for (var i = 0; i < links.length; i++) links[i].parentNode.removeChild(links[i]);
    return copy.textContent.trim();
  }

  function cloneInto(target, source) {
    if (!source) return;
    var copy = source.cloneNode(true);
    var ids = copy.querySelectorAll('[id]');
    for (var i = 0; i < ids.length; i++) ids[i].removeAttribute('id');
    copy.removeAttribute('id');
    target.appendChild(copy);
  }

  function highlighted(text, findings) {
    var ranges = [];
    findings.forEach(function (f) {
      f.matches.forEach(function (m) { ranges.push({ start: m.start, end: m.end, codes: [f.code] }); });
    });
    ranges.sort(function (a, b) { return a.start - b.start || b.end - a.end; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r.start < last.end) {
        last.end = Math.max(last.end, r.end);
        if (last.codes.indexOf(r.codes[0]) < 0) last.codes.push(r.codes[0]);
      } else merged.push(r);
    });
    var p = el('p', '', 'kb-checker__text');
    var at = 0;
    merged.forEach(function (r) {
      if (r.start > at) p.appendChild(doc.createTextNode(text.slice(at, r.start)));
      var mark = el('mark', text.slice(r.start, r.end));
      mark.setAttribute('data-codes', r.codes.join(' '));
      p.appendChild(mark);
      at = r.end;
    });
    if (at < text.length) p.appendChild(doc.createTextNode(text.slice(at)));
    return p;
  }

  function start(data) {
    var ui = (data.ui || {})[lang] || {};
    var checker = createChecker(data);
    root.kbCheckMessage = function (text, opts) { return checker.check(text, opts); };

    var form = box.querySelector('form');
    var area = form.querySelector('textarea');
    var status = box.querySelector('[data-kb-status]');
    var result = box.querySelector('[data-kb-result]');
    function value(name) {
      var field = form.querySelector('[name="' + name + '"]');
      return field ? field.value : '';
    }

    function finding(f, opts) {
      var li = el('li', '', 'kb-finding');
      li.setAttribute('data-code', f.code);
      var block = doc.querySelector('.kb-rule[data-code="' + f.code + '"]');
      li.appendChild(el('h3', headingText(block && block.querySelector('h3')) || f.code));
      if (f.matches.length) {
        var words = el('p', ui.matched + ' ', 'kb-finding__words');
        f.matches.forEach(function (m) { words.appendChild(el('q', m.text)); });
        li.appendChild(words);
      } else if (f.code === 'hours') {
        li.appendChild(el('p', (ui.time || '').replace('{time}', opts.time), 'kb-finding__words'));
      }
      if (block) {
        cloneInto(li, block.querySelector('.kb-rule__text'));
        (f.laws || []).forEach(function (id) { cloneInto(li, block.querySelector('.kb-law[data-law="' + id + '"]')); });
        cloneInto(li, block.querySelector('.kb-rule__basis'));
        cloneInto(li, block.querySelector('.kb-rule__links'));
      }
      return li;
    }

    function render(findings, text, opts) {
      result.textContent = '';
      var title = el('h2', ui.result_title);
      title.id = 'kb-checker-result';
      title.tabIndex = -1;
      result.appendChild(title);
      var summary;
      if (!findings.length) {
        summary = ui.none_title;
        result.appendChild(el('p', summary, 'kb-checker__ok'));
        result.appendChild(el('p', ui.none_body));
      } else {
        summary = (ui.found || '').replace('{n}', findings.length);
        result.appendChild(el('p', summary, 'kb-checker__summary'));
        if (findings.some(function (f) { return URGENT.indexOf(f.code) >= 0; })) {
          var urgent = el('p', ui.urgent + ' ', 'kb-checker__urgent');
          var call = el('a', '110');
          call.href = 'tel:110';
          urgent.appendChild(call);
          result.appendChild(urgent);
        }
        if (text.trim()) {
          result.appendChild(el('p', ui.your_text));
          result.appendChild(highlighted(text, findings));
        }
        var ol = el('ol', '', 'kb-checker__findings');
        findings.forEach(function (f) { ol.appendChild(finding(f, opts)); });
        result.appendChild(ol);
      }
      var next = el('p', ui.next + ' ', 'kb-checker__next');
      var link = el('a', ui.next_link);
      link.href = '#check-next';
      next.appendChild(link);
      result.appendChild(next);
      status.textContent = '';
      // A fresh text node, so that screen readers announce the summary again for a new check.
      root.setTimeout(function () { status.textContent = summary; }, 50);
      if (title.scrollIntoView) title.scrollIntoView({ block: 'start' });
    }

    function run() {
      var text = area.value;
      var opts = { time: value('time'), connected: value('connected'), unanswered: value('unanswered') };
      if (!text.trim() && !opts.time && !+opts.connected && !+opts.unanswered) {
        result.textContent = '';
        status.textContent = ui.empty;
        area.focus();
        return;
      }
      render(checker.check(text, opts), text, opts);
    }

    form.addEventListener('submit', function (event) {
      event.preventDefault();
      run();
    });
    form.addEventListener('reset', function () {
      result.textContent = '';
      status.textContent = '';
    });
    area.addEventListener('keydown', function (event) {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        run();
      }
    });
    var notes = doc.querySelectorAll('.kb-checker-nojs');
    for (var i = 0; i < notes.length; i++) notes[i].hidden = true;
    box.hidden = false;
    box.setAttribute('data-ready', '');
  }

  root.fetch(new URL('message-rules.json', script.src).href, { credentials: 'same-origin' })
    .then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    })
    .then(start)
    .catch(function (error) {
      report('rules did not load: ' + error);
      var notes = doc.querySelectorAll('.kb-checker-error');
      for (var i = 0; i < notes.length; i++) notes[i].hidden = false;
    });
})(typeof window !== 'undefined' ? window : this);

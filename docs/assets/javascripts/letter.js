/* Letter builder (issue 15). The letter is the page's own text: the build wrapped each placeholder
   in <span class="kb-ph" data-key> / <span class="kb-if" data-if> and listed the fields in
   <script class="kb-letter-data"> (scripts/letters.py). This file only builds the form from that
   list and writes the reader's answers into those spans. Without it the template reads as before. */
(function () {
  "use strict";
  var T = window.kbTools;
  var letter = document.querySelector(".kb-letter[data-letter]");
  var data = document.querySelector("script.kb-letter-data");
  if (!T || !letter || !data) return;
  var spec;
  try { spec = JSON.parse(data.textContent); } catch (e) { return; }
  var zh = T.zh;
  var S = {
    title: ["填写这封信", "Fill in this letter"],
    intro: ["填好后，下面的信会跟着变。你填的内容只在这个页面里，不会发送出去。", "The letter below changes as you fill this in. What you type stays on this page and is not sent anywhere."],
    see: ["看填好的信", "See the filled-in letter"],
    left: ["还有 {n} 处没有填（信里用黄色标出）。", "Still empty: {n} (marked in yellow in the letter)."],
    leftCopied: ["注意：还有 {n} 处没有填，信里仍是方括号【】里的原文。", "Note: still empty: {n}. The letter still has the bracketed text there."],
    done: ["都填好了。检查一遍，再复制、打印或下载。", "Everything is filled in. Read it through, then copy, print or download it."],
    tools: ["这封信", "This letter"],
    copy: ["复制全文", "Copy the letter"],
    print: ["打印（一页 A4）", "Print (one A4 page)"],
    download: ["下载 .txt 文件", "Download a .txt file"],
    shortTitle: ["发给 App 在线客服的短版本", "Short version for the app's customer-service chat"],
    shortHint: ["借款 App 里的在线客服也是官方渠道。这个版本去掉了依据、落款和附件，方便粘贴进聊天框；截图可以在聊天里另外发送。", "The online customer service in the loan app is an official channel too. This version leaves out the basis, the closing and the attachments so that it fits a chat box; send screenshots separately in the chat."],
    shortCopy: ["复制短版本", "Copy the short version"],
    count: ["共 {n} 字", "{n} characters"],
    remember: ["在这台设备上记住我填的内容", "Remember what I type on this device"],
    rememberHint: ["只保存在这个浏览器里，不会发送出去；清除浏览器数据时会被删掉。不勾选时，离开页面后内容就会消失。", "Kept only in this browser and never sent; clearing the browser's data deletes it. If this is not ticked, what you type is gone when you leave the page."],
    forget: ["删除本机保存的内容", "Delete everything saved on this device"],
    forgotten: ["已删除这台设备上保存的内容，表单已恢复原样。", "Everything saved on this device is deleted and the form is back to its start."],
    noStorage: ["这个浏览器不允许保存，离开页面后内容会消失。", "This browser does not allow saving; what you type is gone when you leave the page."]
  };
  function t(key, n) { var s = S[key]; return s ? s[zh ? 0 : 1].replace("{n}", String(n)) : T.t(key, n); }
  var el = T.el;
  var STORE = "letters-" + spec.lang;
  var items = spec.items;
  var fields = {};
  var values = {};
  var conds = {};
  var touched = {};
  var inputs = {};
  var uid = 0;

  items.forEach(function (it) { if (it.kind === "field") fields[it.key] = it; });

  function initial(it) {
    if (it.type === "choice") return Number(it.default) || 0;
    if (it.type === "multi") return [0];
    if (it.today) return T.isoDate(new Date());
    return it.default || "";
  }
  function reset() {
    items.forEach(function (it) {
      if (it.kind === "field") values[it.key] = initial(it);
      else { conds[it.id] = false; touched[it.id] = false; }
    });
    follow();
  }
  function follow() {
    items.forEach(function (it) {
      if (it.kind === "if" && it.follows && !touched[it.id]) conds[it.id] = values[it.follows.field] === it.follows.option;
    });
  }

  /* What a field puts into the letter; "" leaves the placeholder showing. */
  function shown(it) {
    var v = values[it.key];
    if (it.type === "choice") return it.options[v] || "";
    if (it.type === "multi") {
      var picked = (v || []).map(function (i) { return it.options[i]; }).filter(Boolean);
      if (zh || picked.length < 2) return picked.join("、");
      return picked.slice(0, -1).join(", ") + " and " + picked[picked.length - 1];
    }
    var text = String(v || "").replace(/\s*\n\s*/g, " ").trim();
    return it.type === "date" ? T.longDate(text) : text;
  }

  /* A space between Chinese and Latin letters or digits where a value meets the letter's text. */
  var CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
  var LATIN = /[A-Za-z0-9]/;
  function gap(a, b) { return (CJK.test(a) && LATIN.test(b)) || (LATIN.test(a) && CJK.test(b)); }
  function hiddenIn(node, stop) {
    for (var e = node; e && e !== stop; e = e.parentElement) if (e.hidden || e.classList.contains("kb-mark")) return true;
    return false;
  }
  function space(block) {
    var texts = [];
    var walk = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (var n = walk.nextNode(); n; n = walk.nextNode()) if (!hiddenIn(n.parentElement, block)) texts.push(n);
    texts.forEach(function (node, i) {
      var ph = node.parentElement.closest(".kb-ph");
      if (!ph || ph.classList.contains("kb-ph--empty")) return;
      var v = node.nodeValue.trim();
      var before = i > 0 ? texts[i - 1].nodeValue.slice(-1) : "";
      var after = i < texts.length - 1 ? texts[i + 1].nodeValue.charAt(0) : "";
      if (/[.。]$/.test(v) && /[.。]/.test(after)) v = v.slice(0, -1); /* "Co." + "." */
      node.nodeValue = (gap(before, v.charAt(0)) ? " " : "") + v + (gap(v.slice(-1), after) ? " " : "");
    });
  }

  var blocks = Array.prototype.slice.call(letter.querySelectorAll("p, li"));
  var spans = Array.prototype.slice.call(letter.querySelectorAll(".kb-ph"));
  spans.forEach(function (s) { s.setAttribute("data-orig", s.textContent); });
  var leftNote;
  var emptyCount = 0;

  function render() {
    var empty = 0;
    letter.querySelectorAll(".kb-if").forEach(function (s) { s.hidden = !conds[s.getAttribute("data-if")]; });
    spans.forEach(function (s) {
      var it = fields[s.getAttribute("data-key")];
      var text = it ? shown(it) : "";
      s.textContent = text || s.getAttribute("data-orig");
      s.classList.toggle("kb-ph--empty", !text);
      s.hidden = !text && !!(it && it.optional);
      if (!text && !s.hidden && !hiddenIn(s, letter)) empty += 1;
    });
    blocks.forEach(function (b) { b.hidden = false; });
    blocks.forEach(function (b) {
      if (b.querySelector(".kb-ph, .kb-if")) {
        space(b);
        if (!b.innerText.replace(/[\s；;。.，,、：:]/g, "")) b.hidden = true;
      }
    });
    emptyCount = empty;
    if (leftNote) leftNote.textContent = empty ? t("left", empty) : t("done");
  }

  /* The letter as plain text, numbering written out: the full letter, or the short version. */
  function plain(short) {
    var out = [];
    Array.prototype.forEach.call(letter.children, function (b) {
      if (b.hidden || (short && b.classList.contains("kb-long"))) return;
      if (b.tagName === "OL" || b.tagName === "UL") {
        var n = Number(b.getAttribute("start") || 1);
        var lines = [];
        Array.prototype.forEach.call(b.children, function (li) {
          if (li.tagName !== "LI" || li.hidden) return;
          lines.push((b.tagName === "OL" ? n++ + ". " : "- ") + li.innerText.trim());
        });
        if (lines.length) out.push(lines.join("\n"));
      } else {
        var text = b.innerText.trim();
        if (text) out.push(text);
      }
    });
    return out.join(short ? "\n" : "\n\n") + "\n";
  }

  function persist() {
    if (!remember.checked) return;
    var all = T.load(STORE) || {};
    all.values = Object.assign(all.values || {}, values);
    all.conds = all.conds || {};
    all.conds[spec.letter] = { on: conds, touched: touched };
    T.save(STORE, all);
  }

  function update() {
    follow();
    items.forEach(function (it) { if (it.kind === "if" && inputs[it.id]) inputs[it.id].checked = !!conds[it.id]; });
    form.querySelectorAll(".kb-sub").forEach(function (sub) { sub.disabled = !conds[sub.getAttribute("data-parent")]; });
    render();
    refreshShort();
    persist();
  }

  function id() { uid += 1; return "kb-f" + uid; }

  function hintFor(it, hid) { return it.hint ? el("p", { class: "kb-hint", id: hid, text: it.hint }) : null; }

  function control(it) {
    var cid = id();
    var hid = cid + "-hint";
    if (it.kind === "if") {
      var box = el("input", { type: "checkbox", id: cid });
      box.addEventListener("change", function () { conds[it.id] = box.checked; touched[it.id] = true; update(); });
      inputs[it.id] = box;
      return el("div", { class: "kb-field kb-check" }, [box, el("label", { for: cid, text: it.label })]);
    }
    if (it.type === "choice" || it.type === "multi") {
      var group = el("fieldset", { class: "kb-field kb-options" }, [el("legend", { text: it.label })]);
      var boxes = [];
      it.optionLabels.forEach(function (label, i) {
        var oid = cid + "-" + i;
        var input = el("input", { type: it.type === "choice" ? "radio" : "checkbox", name: cid, id: oid, value: String(i) });
        boxes.push(input);
        input.addEventListener("change", function () {
          values[it.key] = it.type === "choice" ? i : boxes.filter(function (b) { return b.checked; }).map(function (b) { return Number(b.value); });
          update();
        });
        group.appendChild(el("span", { class: "kb-option" }, [input, el("label", { for: oid, text: label })]));
      });
      inputs[it.key] = boxes;
      return group;
    }
    var attrs = { id: cid, name: it.key, "aria-describedby": it.hint ? hid : null, autocomplete: "off" };
    var input;
    if (it.type === "textarea") input = el("textarea", Object.assign(attrs, { rows: "3" }));
    else {
      var type = { date: "date", time: "time", tel: "tel" }[it.type] || "text";
      input = el("input", Object.assign(attrs, { type: type, inputmode: it.type === "number" ? "decimal" : null }));
    }
    input.addEventListener("input", function () { values[it.key] = input.value; update(); });
    inputs[it.key] = input;
    return el("div", { class: "kb-field" }, [el("label", { for: cid, text: it.label }), hintFor(it, hid), input]);
  }

  function fill() {
    items.forEach(function (it) {
      var input = inputs[it.kind === "if" ? it.id : it.key];
      if (!input) return;
      if (it.kind === "if") input.checked = !!conds[it.id];
      else if (it.type === "choice") input.forEach(function (b, i) { b.checked = values[it.key] === i; });
      else if (it.type === "multi") input.forEach(function (b, i) { b.checked = (values[it.key] || []).indexOf(i) >= 0; });
      else input.value = values[it.key];
    });
  }

  /* --- the form ------------------------------------------------------------------------------ */
  if (!letter.id) letter.id = "kb-letter";
  var titleId = id();
  var form = el("form", { class: "kb-tool kb-form", "aria-labelledby": titleId, novalidate: true }, [
    el("p", { class: "kb-tool__title", id: titleId }, [el("strong", { text: t("title") })]),
    el("p", { class: "kb-hint", text: t("intro") })
  ]);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  var subs = {};
  items.forEach(function (it) {
    var box = it.parent && subs[it.parent] ? subs[it.parent] : form;
    box.appendChild(control(it));
    if (it.kind === "if") {
      subs[it.id] = el("fieldset", { class: "kb-sub", "data-parent": it.id, "aria-label": it.label });
      box.appendChild(subs[it.id]);
    }
  });
  Object.keys(subs).forEach(function (k) { if (!subs[k].children.length) subs[k].parentNode.removeChild(subs[k]); });

  var rememberId = id();
  var remember = el("input", { type: "checkbox", id: rememberId, "aria-describedby": rememberId + "-hint" });
  var forgetButton = T.button(t("forget"), { class: "md-button kb-button kb-button--quiet" });
  var formStatus = el("p", { class: "kb-status", role: "status" });
  leftNote = el("p", { class: "kb-left", "aria-live": "polite" });
  form.appendChild(leftNote);
  form.appendChild(el("p", {}, [el("a", { href: "#" + letter.id, text: t("see") })]));
  form.appendChild(el("div", { class: "kb-remember" }, [
    el("div", { class: "kb-check" }, [remember, el("label", { for: rememberId, text: t("remember") })]),
    el("p", { class: "kb-hint", id: rememberId + "-hint", text: T.storage() ? t("rememberHint") : t("noStorage") }),
    forgetButton,
    formStatus
  ]));
  if (!T.storage()) remember.disabled = true;
  letter.parentNode.insertBefore(form, letter);

  /* --- what to do with the letter ---------------------------------------------------------------- */
  var bar = el("div", { class: "kb-toolbar", role: "group", "aria-label": t("tools") });
  var barStatus = el("p", { class: "kb-status", role: "status" });
  var copyButton = T.button(t("copy"), { class: "md-button md-button--primary kb-button" });
  bar.appendChild(copyButton);
  if (T.canPrint()) {
    var printButton = T.button(t("print"));
    printButton.addEventListener("click", function () { window.print(); });
    bar.appendChild(printButton);
  }
  if (!T.isWeChat()) {
    var downloadButton = T.button(t("download"));
    downloadButton.addEventListener("click", function () {
      var ok = T.download(spec.letter + "-" + T.isoDate(new Date()) + ".txt", plain(false));
      T.status(barStatus, ok ? done(T.t("downloaded")) : T.t("wechat"));
    });
    bar.appendChild(downloadButton);
  }
  var shortBox = el("textarea", { readonly: true, rows: "8", class: "kb-short__text", "aria-label": t("shortTitle") });
  var shortCount = el("p", { class: "kb-hint" });
  var shortCopy = T.button(t("shortCopy"));
  var shortStatus = el("p", { class: "kb-status", role: "status" });
  var details = el("details", { class: "kb-short" }, [
    el("summary", { text: t("shortTitle") }),
    el("p", { class: "kb-hint", text: t("shortHint") }),
    shortBox, shortCount, shortCopy, shortStatus
  ]);
  var after = [bar, barStatus];
  if (T.isWeChat()) after.push(el("p", { class: "kb-hint", text: T.t("wechat") }));
  after.push(details);
  var anchor = letter.nextSibling;
  after.forEach(function (node) { letter.parentNode.insertBefore(node, anchor); });

  function refreshShort() {
    var text = plain(true).trim();
    shortBox.value = text;
    shortCount.textContent = t("count", text.replace(/\s/g, "").length);
  }
  /* After copying or downloading: say so, and say if places are still empty. */
  function done(message) { return emptyCount ? message + (zh ? "" : " ") + t("leftCopied", emptyCount) : message; }
  function copy(text, statusNode, afterNode) {
    T.copyText(text).then(function (ok) {
      T.status(statusNode, ok ? done(T.t("copied")) : T.t("copyFailed"));
      if (!ok) T.manualCopy(afterNode, text);
    });
  }
  copyButton.addEventListener("click", function () { copy(plain(false), barStatus, barStatus); });
  shortCopy.addEventListener("click", function () { copy(plain(true).trim() + "\n", shortStatus, shortStatus); });

  remember.addEventListener("change", function () {
    if (remember.checked) persist();
    else T.forget(STORE);
  });
  forgetButton.addEventListener("click", function () {
    T.forget(STORE);
    remember.checked = false;
    reset();
    fill();
    update();
    T.status(formStatus, t("forgotten"));
  });

  /* --- start ------------------------------------------------------------------------------------ */
  reset();
  var saved = T.load(STORE);
  if (saved) {
    remember.checked = true;
    items.forEach(function (it) {
      if (it.kind !== "field" || !saved.values || !(it.key in saved.values)) return;
      var v = saved.values[it.key];
      var ok = it.type === "choice" ? typeof v === "number" && v >= 0 && v < it.options.length
        : it.type === "multi" ? Array.isArray(v) : typeof v === "string";
      if (ok) values[it.key] = v;
    });
    var mine = saved.conds && saved.conds[spec.letter];
    if (mine && mine.on) Object.keys(conds).forEach(function (k) { conds[k] = !!mine.on[k]; touched[k] = !!(mine.touched && mine.touched[k]); });
  }
  letter.classList.add("kb-letter--live");
  fill();
  update();
})();

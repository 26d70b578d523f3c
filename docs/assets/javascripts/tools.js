/* Shared helpers of the tools (issue 15): the page's language, copying (also without
   navigator.clipboard, as in WeChat's browser), downloading, sharing, and storage that is used only
   when the reader ticks "remember". Nothing here makes a request. */
(function () {
  "use strict";
  var zh = (document.documentElement.lang || "zh").indexOf("zh") === 0;
  var ua = navigator.userAgent || "";
  var PREFIX = "kb-tools:";
  var S = {
    copied: ["已复制。可以粘贴到 App 客服、邮件或短信里。", "Copied. You can paste it into the app's customer service, an e-mail or a text message."],
    copyFailed: ["这个浏览器不能自动复制。请在下面的文本框里长按，选择全部，再点复制。", "This browser cannot copy by itself. Press and hold in the box below, select all, then copy."],
    copyBox: ["要复制的文字", "Text to copy"],
    downloaded: ["已下载。", "Downloaded."],
    wechat: ["在微信里，本页不提供打印和下载。请用“复制”，或点右上角的“…”，在浏览器中打开本页。", "In WeChat, this page offers no printing or downloading. Use “Copy”, or tap “…” at the top right and open this page in your browser."],
    months: ["", "January February March April May June July August September October November December"]
  };

  function t(key, n) {
    var pair = S[key] || [key, key];
    var text = pair[zh ? 0 : 1];
    return n === undefined ? text : text.replace("{n}", String(n));
  }

  /* el("button", {class: "x", type: "button"}, ["text", child]) */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      if (child !== null && child !== undefined) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function button(label, extra) {
    return el("button", Object.assign({ type: "button", class: "md-button kb-button" }, extra || {}), [label]);
  }

  /* Copy with execCommand on a selected textarea: works where navigator.clipboard does not. */
  function copyFallback(text) {
    var box = el("textarea", { readonly: true, class: "kb-offscreen", "aria-hidden": "true", tabindex: "-1" });
    box.value = text;
    document.body.appendChild(box);
    var active = document.activeElement;
    box.focus();
    box.select();
    box.setSelectionRange(0, text.length);
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(box);
    if (active && active.focus) active.focus();
    return ok;
  }

  /* Resolves to true when the text is on the clipboard. */
  function copyText(text) {
    if (window.isSecureContext && navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return copyFallback(text); });
    }
    return Promise.resolve(copyFallback(text));
  }

  /* After a failed copy: the text in a visible, selected box the reader can copy by hand. */
  function manualCopy(after, text) {
    var old = after.parentNode.querySelector(".kb-manual");
    if (old) old.parentNode.removeChild(old);
    var box = el("textarea", { class: "kb-manual", readonly: true, rows: "8", "aria-label": t("copyBox") });
    box.value = text;
    after.parentNode.insertBefore(box, after.nextSibling);
    box.focus();
    box.select();
  }

  function isWeChat() { return /MicroMessenger/i.test(ua); }

  /* Download as a file; false where the browser cannot (WeChat's, or no download attribute). */
  function download(name, text, type) {
    var a = document.createElement("a");
    if (isWeChat() || !("download" in a) || !window.Blob || !window.URL || !URL.createObjectURL) return false;
    var url = URL.createObjectURL(new Blob([text], { type: (type || "text/plain") + ";charset=utf-8" }));
    a.href = url;
    a.download = name;
    a.className = "kb-offscreen";
    document.body.appendChild(a);
    a.click();
    document.body.removeChild(a);
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    return true;
  }

  function canShare() { return typeof navigator.share === "function"; }

  function share(title, text) {
    if (!canShare()) return Promise.resolve(false);
    return navigator.share({ title: title, text: text }).then(function () { return true; }, function () { return false; });
  }

  function canPrint() { return typeof window.print === "function" && !isWeChat(); }

  /* Storage: only ever called after the reader ticked "remember". */
  function storage() {
    try { return window.localStorage || null; } catch (e) { return null; }
  }
  function load(name) {
    var s = storage();
    if (!s) return null;
    try { var raw = s.getItem(PREFIX + name); return raw ? JSON.parse(raw) : null; } catch (e) { return null; }
  }
  function save(name, value) {
    var s = storage();
    if (!s) return false;
    try { s.setItem(PREFIX + name, JSON.stringify(value)); return true; } catch (e) { return false; }
  }
  function forget(name) {
    var s = storage();
    if (!s) return;
    try { s.removeItem(PREFIX + name); } catch (e) { /* nothing stored */ }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function isoDate(d) { return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()); }
  function isoTime(d) { return pad(d.getHours()) + ":" + pad(d.getMinutes()); }
  /* "2026-11-29" as the letter writes dates: 2026 年 11 月 29 日 / 29 November 2026. */
  function longDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    if (!m) return iso || "";
    if (zh) return m[1] + " 年 " + Number(m[2]) + " 月 " + Number(m[3]) + " 日";
    return Number(m[3]) + " " + S.months[1].split(" ")[Number(m[2]) - 1] + " " + m[1];
  }

  function status(node, message, extra) {
    node.textContent = "";
    node.appendChild(document.createTextNode(message));
    if (extra) { node.appendChild(document.createTextNode(" ")); node.appendChild(extra); }
  }

  window.kbTools = {
    zh: zh, t: t, el: el, button: button, copyText: copyText, manualCopy: manualCopy, download: download,
    canShare: canShare, share: share, canPrint: canPrint, isWeChat: isWeChat, storage: storage,
    load: load, save: save, forget: forget, isoDate: isoDate, isoTime: isoTime, longDate: longDate, status: status
  };
})();

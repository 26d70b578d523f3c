/* Cards (issue 15): copy, share (Web Share where the browser has it) or print one card. The texts
   are the pages' own (the build copies each from the page that explains it, scripts/cards.py). */
(function () {
  "use strict";
  var T = window.kbTools;
  if (!T) return;
  var zh = T.zh;
  var S = {
    copy: ["复制", "Copy"], share: ["分享", "Share"], print: ["打印", "Print"], tools: ["这段话", "This text"],
    copied: ["已复制。可以粘贴到微信或短信里，发给要用它的人。", "Copied. You can paste it into WeChat or a text message to the person who needs it."]
  };
  function t(key) { return S[key][zh ? 0 : 1]; }

  /* The card as plain text, without the quotation marks around a script to be said aloud. */
  function text(card) {
    var parts = Array.prototype.map.call(card.children, function (b) { return b.innerText.trim(); }).filter(Boolean);
    var out = parts.join("\n\n");
    var m = /^[“"]([\s\S]*)[”"]$/.exec(out);
    return (m && !/[“”"]/.test(m[1]) ? m[1] : out) + "\n";
  }
  function title(card) {
    for (var e = card.previousElementSibling; e; e = e.previousElementSibling) {
      if (!/^H[1-6]$/.test(e.tagName)) continue;
      var heading = e.cloneNode(true); /* without the heading's permalink (¶) */
      heading.querySelectorAll(".headerlink").forEach(function (a) { a.parentNode.removeChild(a); });
      return heading.textContent.trim();
    }
    return document.title;
  }
  function printCard(card) {
    var html = document.documentElement;
    html.classList.add("kb-print-card");
    card.classList.add("kb-print-target");
    var done = function () {
      html.classList.remove("kb-print-card");
      card.classList.remove("kb-print-target");
      window.removeEventListener("afterprint", done);
    };
    window.addEventListener("afterprint", done);
    window.print();
  }

  document.querySelectorAll(".kb-card").forEach(function (card) {
    var bar = T.el("div", { class: "kb-toolbar", role: "group", "aria-label": t("tools") + (zh ? "：" : ": ") + title(card) });
    var status = T.el("p", { class: "kb-status", role: "status" });
    var copy = T.button(t("copy"), { class: "md-button md-button--primary kb-button" });
    copy.addEventListener("click", function () {
      var value = text(card);
      T.copyText(value).then(function (ok) {
        T.status(status, ok ? t("copied") : T.t("copyFailed"));
        if (!ok) T.manualCopy(status, value);
      });
    });
    bar.appendChild(copy);
    if (T.canShare()) {
      var share = T.button(t("share"));
      share.addEventListener("click", function () { T.share(title(card), text(card)); });
      bar.appendChild(share);
    }
    if (T.canPrint()) {
      var print = T.button(t("print"));
      print.addEventListener("click", function () { printCard(card); });
      bar.appendChild(print);
    }
    card.parentNode.insertBefore(status, card.nextSibling);
    card.parentNode.insertBefore(bar, status);
  });
})();

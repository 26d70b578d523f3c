/* Search on the page (issue 12): what each part does and why is in overrides/partials/search-lang.html
 * (a template comment, so that readers do not download it). */
(function () {
  "use strict";
  var script = document.currentScript;
  var element = document.getElementById("__config");
  if (!script || !element) return;
  var data = script.dataset;
  var config = JSON.parse(element.textContent);

  /* 1. Our worker and this language's index, downloaded when search is opened. */
  if (data.worker) config.search = new URL(data.worker, location.href).href;
  element.textContent = JSON.stringify(config);

  var params = new URLSearchParams(location.search);
  var wanted = !!(params.get("h") || params.get("q")), held = [];
  var INDEX = /\/search\/search_index\.json$/;
  var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    var args = Array.prototype.slice.call(arguments);
    this.kbSearchIndex = INDEX.test(String(url));
    if (this.kbSearchIndex && data.index) args[1] = String(url).replace(/search_index\.json$/, data.index);
    return open.apply(this, args);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.kbSearchIndex && !wanted) { held.push([this, arguments]); return; }
    return send.apply(this, arguments);
  };
  var searchWorker = null;
  function want() {
    if (wanted) return;
    wanted = true;
    held.splice(0).forEach(function (h) { send.apply(h[0], h[1]); });
    if (searchWorker) searchWorker.postMessage({ type: "kb-load" });
  }
  document.addEventListener("focusin", function (e) {
    if (e.target.closest && e.target.closest(".md-search")) want();
  });
  document.addEventListener("pointerdown", function (e) {
    if (e.target.closest && e.target.closest(".md-search, [for=__search]")) want();
  }, { passive: true });
  document.addEventListener("change", function (e) {
    if (e.target.id === "__search" && e.target.checked) want();
  });

  /* 2. Text without key events searches; half-composed pinyin does not. */
  var box = document.querySelector("input[data-md-component=search-query]");
  var composing = false;
  if (box && window.Worker && data.worker) {
    /* No query while composing (Material also reads the box when the index arrives). */
    var Native = window.Worker;
    var KbWorker = function (url, options) {
      var worker = new Native(url, options);
      if (String(url) === config.search) {
        searchWorker = worker;
        if (wanted) worker.postMessage({ type: "kb-load" });
        var post = worker.postMessage;
        worker.postMessage = function (message) {
          if (composing && message && message.type === 2) return;
          return post.apply(worker, arguments);
        };
      }
      return worker;
    };
    KbWorker.prototype = Native.prototype;
    window.Worker = KbWorker;
  }
  if (box) {
    var nudging = false;
    var nudge = function () {
      want();
      nudging = true;
      try { box.dispatchEvent(new KeyboardEvent("keyup")); } finally { nudging = false; }
    };
    box.addEventListener("compositionstart", function () { composing = true; });
    box.addEventListener("compositionend", function () { composing = false; nudge(); });
    box.addEventListener("input", function (e) {
      if (!composing && !e.isComposing) nudge();
    });
    /* Added before Material's listeners, so these can stop them. */
    box.addEventListener("keyup", function (e) {
      if (!nudging && (composing || e.isComposing)) e.stopImmediatePropagation();
    });
    box.addEventListener("keydown", function (e) {
      if (composing || e.isComposing) e.stopPropagation();
    });
  }

  /* 3. Nothing found: the links of partials/search-empty.html. */
  var empty = document.getElementById("kb-search-empty");
  var result = document.querySelector("[data-md-component=search-result]");
  var meta = result && result.querySelector(".md-search-result__meta");
  var list = result && result.querySelector(".md-search-result__list");
  var none = (config.translations || {})["search.result.none"];
  /* Each child of the template becomes a result item: the sentence as it is, each link as
     <a class="md-search-result__link"><div class="md-search-result__article"><h2>title</h2></div></a>. */
  function item(node) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    li.setAttribute("data-kb-search-empty", "");
    if (node.tagName === "A") {
      var a = node.cloneNode(false), div = document.createElement("div"), h2 = document.createElement("h2");
      a.className = "md-search-result__link";
      a.tabIndex = -1;
      div.className = "md-search-result__article md-typeset";
      div.setAttribute("data-md-score", "0");
      h2.textContent = node.textContent;
      div.appendChild(h2);
      a.appendChild(div);
      li.appendChild(a);
    } else {
      li.appendChild(node.cloneNode(true));
    }
    return li;
  }
  if (empty && empty.content && meta && list && none) {
    new MutationObserver(function () {
      if (meta.textContent.trim() === none && !list.querySelector("[data-kb-search-empty]"))
        Array.prototype.forEach.call(empty.content.children, function (node) { list.appendChild(item(node)); });
    }).observe(meta, { childList: true, characterData: true, subtree: true });
  }
})();

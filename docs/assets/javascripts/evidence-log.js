/* Evidence log on the phone (issue 15): add an entry in a few taps, edit, delete, export as text or
   CSV, print as the table of the evidence page. Entries live in this page; only when the reader
   ticks "keep" are they written to this browser's localStorage, and "delete all" removes them. */
(function () {
  "use strict";
  var T = window.kbTools;
  var root = document.querySelector(".kb-evidence-log");
  if (!T || !root) return;
  var zh = T.zh;
  var S = {
    title: ["记一条", "New entry"],
    editTitle: ["修改这一条", "Edit this entry"],
    when: ["时间", "Time"],
    channel: ["方式", "How they contacted you"],
    who: ["号码、账号或名字", "Number, account or name"],
    claimed: ["对方自称是谁", "Who they said they were"],
    claimedHint: ["机构、姓名、工号，替哪家贷款机构催收", "Company, name, staff number, and which lender they collect for"],
    said: ["说了什么、做了什么", "What they said or did"],
    saidHint: ["尽量写原话", "Their own words where you can"],
    third: ["他们联系了我的家人、朋友或单位", "They contacted my family, friends or employer"],
    witness: ["证人（可不填）", "Witnesses (optional)"],
    file: ["截图或录音在哪里", "Where the screenshot or recording is"],
    fileHint: ["例如：相册里 12 月 1 日 21:40 的截图", "For example: the screenshot of 1 December 21:40 in your photos"],
    save: ["保存这一条", "Save this entry"],
    update: ["保存修改", "Save changes"],
    cancel: ["取消", "Cancel"],
    saved: ["已记下。现在共 {n} 条，列在下面的“已记录”里。", "Entry saved. Entries so far: {n}, listed under “Your entries” below."],
    updated: ["已修改。", "Entry changed."],
    listTitle: ["已记录", "Your entries"],
    count: ["共 {n} 条", "Entries: {n}"],
    none: ["还没有记录。", "No entries yet."],
    edit: ["修改", "Edit"],
    del: ["删除", "Delete"],
    deleted: ["已删除一条。", "Entry deleted."],
    undo: ["撤销", "Undo"],
    exportTitle: ["导出", "Export"],
    copy: ["复制文字", "Copy as text"],
    txt: ["下载文字（.txt）", "Download text (.txt)"],
    csv: ["下载表格（.csv）", "Download table (.csv)"],
    print: ["打印表格", "Print the table"],
    reminder: ["有 {n} 条记录还没有导出。导出一份，存到电脑、邮箱或云盘里，以防丢失。", "Entries not exported yet: {n}. Export a copy and keep it on a computer, in e-mail or in cloud storage so it is not lost."],
    keep: ["在这台设备上保存记录", "Keep the entries on this device"],
    keepHint: ["只保存在这个浏览器里，不会发送出去。不勾选时，离开或刷新页面，记录就会消失。", "Kept only in this browser and never sent. If this is not ticked, the entries are gone when you leave or reload the page."],
    noStorage: ["这个浏览器不允许保存：离开页面前请先导出。", "This browser does not allow saving: export before you leave the page."],
    forgetAll: ["删除全部记录", "Delete all entries"],
    confirm: ["确定删除全部记录？删除后不能恢复。", "Delete all entries? This cannot be undone."],
    yes: ["确定删除", "Delete all"],
    forgotten: ["已删除全部记录，这台设备上也没有保存任何内容。", "All entries are deleted, and nothing is kept on this device."],
    heading: ["催收记录", "Collection log"],
    exported: ["导出时间", "Exported"],
    yesWord: ["是", "yes"],
    noWord: ["否", "no"],
    colDate: ["日期", "Date"],
    colTime: ["时间", "Time"],
    colNumber: ["号码或账号", "Number or account"],
    colClaimed: ["对方自称是谁（机构、姓名、工号）", "Who they said they were (company, name, staff number)"],
    colSaid: ["说了什么、做了什么", "What they said or did"],
    colWitness: ["证人", "Witnesses"],
    colFile: ["截图或录音文件", "Screenshot or recording file"],
    colChannel: ["方式", "How"],
    colThird: ["联系了第三方", "Third party contacted"],
    thirdNote: ["（联系了家人、朋友或单位）", "(contacted family, friends or employer)"]
  };
  var CHANNELS = [
    ["call", "电话", "Call"], ["sms", "短信", "Text message"], ["wechat", "微信", "WeChat"], ["visit", "上门", "Visit"],
    ["letter", "信件", "Letter"], ["third", "联系第三方", "Contact of a third party"], ["other", "其他", "Other"]
  ];
  function t(key, n) { var s = S[key]; return s ? s[zh ? 0 : 1].replace("{n}", String(n)) : T.t(key, n); }
  function channelName(code) {
    var c = CHANNELS.filter(function (x) { return x[0] === code; })[0];
    return c ? c[zh ? 1 : 2] : "";
  }
  var el = T.el;
  var STORE = "evidence";
  var state = { entries: [], exportedCount: 0 };
  var editing = null;
  var lastDeleted = null;
  var uid = 0;
  function id() { uid += 1; return "kb-e" + uid; }

  /* --- the form ---------------------------------------------------------------------------------- */
  function field(label, input, hint) {
    var hid = hint ? input.id + "-hint" : null;
    if (hid) input.setAttribute("aria-describedby", hid);
    return el("div", { class: "kb-field" }, [el("label", { for: input.id, text: label }), hint ? el("p", { class: "kb-hint", id: hid, text: hint }) : null, input]);
  }
  var whenInput = el("input", { type: "datetime-local", id: id(), required: true });
  var whoInput = el("input", { type: "text", id: id(), autocomplete: "off" });
  var claimedInput = el("input", { type: "text", id: id(), autocomplete: "off" });
  var saidInput = el("textarea", { id: id(), rows: "3" });
  var thirdInput = el("input", { type: "checkbox", id: id() });
  var witnessInput = el("input", { type: "text", id: id(), autocomplete: "off" });
  var fileInput = el("input", { type: "text", id: id(), autocomplete: "off" });
  var channelName0 = id();
  var channelBoxes = CHANNELS.map(function (c, i) {
    return el("input", { type: "radio", name: channelName0, id: channelName0 + "-" + i, value: c[0] });
  });
  var channels = el("fieldset", { class: "kb-field kb-options" }, [el("legend", { text: t("channel") })].concat(channelBoxes.map(function (box, i) {
    return el("span", { class: "kb-option" }, [box, el("label", { for: box.id, text: CHANNELS[i][zh ? 1 : 2] })]);
  })));
  var formTitleId = id();
  var formTitle = el("strong", { text: t("title") });
  var saveButton = el("button", { type: "submit", class: "md-button md-button--primary kb-button", text: t("save") });
  var cancelButton = T.button(t("cancel"), { hidden: true });
  var formStatus = el("p", { class: "kb-status", role: "status" });
  var form = el("form", { class: "kb-tool kb-form", "aria-labelledby": formTitleId, novalidate: true }, [
    el("p", { class: "kb-tool__title", id: formTitleId }, [formTitle]),
    field(t("when"), whenInput),
    channels,
    field(t("who"), whoInput),
    field(t("claimed"), claimedInput, t("claimedHint")),
    field(t("said"), saidInput, t("saidHint")),
    el("div", { class: "kb-field kb-check" }, [thirdInput, el("label", { for: thirdInput.id, text: t("third") })]),
    field(t("witness"), witnessInput),
    field(t("file"), fileInput, t("fileHint")),
    el("div", { class: "kb-toolbar" }, [saveButton, cancelButton]),
    formStatus
  ]);

  function now() { var d = new Date(); return T.isoDate(d) + "T" + T.isoTime(d); }
  function clearForm() {
    editing = null;
    whenInput.value = now();
    channelBoxes.forEach(function (b, i) { b.checked = i === 0; });
    [whoInput, claimedInput, saidInput, witnessInput, fileInput].forEach(function (i) { i.value = ""; });
    thirdInput.checked = false;
    formTitle.textContent = t("title");
    saveButton.textContent = t("save");
    cancelButton.hidden = true;
  }
  function readForm() {
    var picked = channelBoxes.filter(function (b) { return b.checked; })[0];
    return {
      when: whenInput.value || now(),
      channel: picked ? picked.value : "other",
      who: whoInput.value.trim(),
      claimed: claimedInput.value.trim(),
      said: saidInput.value.trim(),
      third: thirdInput.checked,
      witness: witnessInput.value.trim(),
      file: fileInput.value.trim()
    };
  }
  function loadForm(entry) {
    editing = entry.id;
    whenInput.value = entry.when;
    channelBoxes.forEach(function (b) { b.checked = b.value === entry.channel; });
    whoInput.value = entry.who;
    claimedInput.value = entry.claimed;
    saidInput.value = entry.said;
    thirdInput.checked = !!entry.third;
    witnessInput.value = entry.witness;
    fileInput.value = entry.file;
    formTitle.textContent = t("editTitle");
    saveButton.textContent = t("update");
    cancelButton.hidden = false;
    whenInput.focus();
    form.scrollIntoView({ block: "start" });
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var entry = readForm();
    if (editing) {
      state.entries = state.entries.map(function (x) { if (x.id !== editing) return x; entry.id = x.id; return entry; });
      T.status(formStatus, t("updated"));
      state.exportedCount = 0;
    } else {
      entry.id = "e" + Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
      state.entries.push(entry);
      T.status(formStatus, t("saved", state.entries.length));
    }
    clearForm();
    changed();
    /* The confirmation sits under the button, which may be at the bottom of a phone's screen. */
    formStatus.scrollIntoView({ block: "nearest" });
  });
  cancelButton.addEventListener("click", function () { clearForm(); formStatus.textContent = ""; });

  /* --- keeping ------------------------------------------------------------------------------------- */
  var keepId = id();
  var keep = el("input", { type: "checkbox", id: keepId, "aria-describedby": keepId + "-hint" });
  var forgetButton = T.button(t("forgetAll"), { class: "md-button kb-button kb-button--quiet" });
  var confirmBox = el("div", { class: "kb-confirm", hidden: true }, [el("p", { text: t("confirm") })]);
  var yesButton = T.button(t("yes"), { class: "md-button md-button--primary kb-button kb-button--danger" });
  var noButton = T.button(t("cancel"));
  confirmBox.appendChild(el("div", { class: "kb-toolbar" }, [yesButton, noButton]));
  var keepStatus = el("p", { class: "kb-status", role: "status" });
  var keepBox = el("div", { class: "kb-remember" }, [
    el("div", { class: "kb-check" }, [keep, el("label", { for: keepId, text: t("keep") })]),
    el("p", { class: "kb-hint", id: keepId + "-hint", text: T.storage() ? t("keepHint") : t("noStorage") }),
    forgetButton, confirmBox, keepStatus
  ]);
  if (!T.storage()) keep.disabled = true;
  function persist() { if (keep.checked) T.save(STORE, { v: 1, entries: state.entries, exportedCount: state.exportedCount }); }
  keep.addEventListener("change", function () { if (keep.checked) persist(); else T.forget(STORE); });
  forgetButton.addEventListener("click", function () { confirmBox.hidden = false; yesButton.focus(); });
  noButton.addEventListener("click", function () { confirmBox.hidden = true; forgetButton.focus(); });
  yesButton.addEventListener("click", function () {
    T.forget(STORE);
    state = { entries: [], exportedCount: 0 };
    lastDeleted = null;
    keep.checked = false;
    confirmBox.hidden = true;
    clearForm();
    changed();
    listStatus.textContent = "";
    T.status(keepStatus, t("forgotten"));
    forgetButton.focus();
  });

  /* --- the list ------------------------------------------------------------------------------------ */
  var listTitleId = id();
  var countNote = el("p", { class: "kb-hint" });
  var list = el("ol", { class: "kb-log", reversed: true });
  var listStatus = el("p", { class: "kb-status", role: "status" });
  var reminder = el("p", { class: "kb-reminder", hidden: true });
  var exportStatus = el("p", { class: "kb-status", role: "status" });
  var exportBar = el("div", { class: "kb-toolbar", role: "group", "aria-label": t("exportTitle") });
  var section = el("section", { class: "kb-tool", "aria-labelledby": listTitleId }, [
    el("p", { class: "kb-tool__title", id: listTitleId }, [el("strong", { text: t("listTitle") })]),
    countNote, listStatus, list, reminder,
    el("p", {}, [el("strong", { text: t("exportTitle") })]), exportBar, exportStatus
  ]);

  function sorted() { return state.entries.slice().sort(function (a, b) { return a.when < b.when ? -1 : a.when > b.when ? 1 : 0; }); }
  function split(when) { var p = String(when || "").split("T"); return { date: p[0] || "", time: (p[1] || "").slice(0, 5) }; }
  function numberCell(e) { return [channelName(e.channel), e.who].filter(Boolean).join(zh ? "：" : ": "); }
  function saidCell(e) { return e.said + (e.third ? (e.said ? " " : "") + t("thirdNote") : ""); }

  function renderList() {
    list.textContent = "";
    var entries = sorted().reverse();
    countNote.textContent = entries.length ? t("count", entries.length) : t("none");
    entries.forEach(function (e) {
      var when = split(e.when);
      var edit = T.button(t("edit"), { class: "md-button kb-button kb-button--small" });
      var del = T.button(t("del"), { class: "md-button kb-button kb-button--small kb-button--quiet" });
      edit.addEventListener("click", function () { loadForm(e); });
      del.addEventListener("click", function () { remove(e.id); });
      var lines = [el("p", { class: "kb-log__meta" }, [el("strong", { text: when.date + " " + when.time }), " · " + numberCell(e)])];
      if (e.claimed) lines.push(el("p", { text: t("claimed") + (zh ? "：" : ": ") + e.claimed }));
      if (e.said || e.third) lines.push(el("p", { text: saidCell(e) }));
      if (e.witness) lines.push(el("p", { text: t("colWitness") + (zh ? "：" : ": ") + e.witness }));
      if (e.file) lines.push(el("p", { text: t("colFile") + (zh ? "：" : ": ") + e.file }));
      lines.push(el("div", { class: "kb-toolbar" }, [edit, del]));
      list.appendChild(el("li", { class: "kb-log__entry", "data-id": e.id }, lines));
    });
    exportBar.querySelectorAll("button").forEach(function (b) { b.disabled = !entries.length; });
    var pending = state.entries.length - state.exportedCount;
    reminder.hidden = pending <= 0;
    reminder.textContent = t("reminder", pending);
    renderPrint();
  }
  function remove(entryId) {
    var index = state.entries.map(function (x) { return x.id; }).indexOf(entryId);
    if (index < 0) return;
    lastDeleted = { entry: state.entries[index], index: index };
    state.entries.splice(index, 1);
    state.exportedCount = Math.min(state.exportedCount, state.entries.length);
    if (editing === entryId) clearForm();
    changed();
    var undo = T.button(t("undo"), { class: "md-button kb-button kb-button--small" });
    undo.addEventListener("click", function () {
      if (!lastDeleted) return;
      state.entries.splice(lastDeleted.index, 0, lastDeleted.entry);
      lastDeleted = null;
      listStatus.textContent = "";
      changed();
    });
    T.status(listStatus, t("deleted"), undo);
    undo.focus(); /* the button that had focus is gone with its entry */
  }
  function changed() { renderList(); persist(); }

  /* --- exports ------------------------------------------------------------------------------------- */
  function stamp() { var d = new Date(); return T.isoDate(d) + " " + T.isoTime(d); }
  function asText() {
    var sep = zh ? "：" : ": ";
    var out = [t("heading") + (zh ? "（" : " (") + t("count", state.entries.length) + (zh ? "，" : ", ") + t("exported") + sep + stamp() + (zh ? "）" : ")"), ""];
    sorted().forEach(function (e, i) {
      var when = split(e.when);
      out.push((i + 1) + ". " + when.date + " " + when.time + " · " + numberCell(e));
      if (e.claimed) out.push(t("claimed") + sep + e.claimed);
      if (e.said) out.push(t("said") + sep + e.said);
      out.push(t("colThird") + sep + (e.third ? t("yesWord") : t("noWord")));
      if (e.witness) out.push(t("colWitness") + sep + e.witness);
      if (e.file) out.push(t("colFile") + sep + e.file);
      out.push("");
    });
    return out.join("\n");
  }
  function cell(value) {
    var v = String(value === undefined || value === null ? "" : value);
    if (/^[=+\-@\t\r]/.test(v)) v = "'" + v; /* a spreadsheet must not read it as a formula */
    return /[",\n\r]/.test(v) ? "\"" + v.replace(/"/g, "\"\"") + "\"" : v;
  }
  function asCsv() {
    var rows = [[t("colDate"), t("colTime"), t("colChannel"), t("colNumber"), t("colClaimed"), t("colSaid"), t("colThird"), t("colWitness"), t("colFile")]];
    sorted().forEach(function (e) {
      var when = split(e.when);
      rows.push([when.date, when.time, channelName(e.channel), e.who, e.claimed, e.said, e.third ? t("yesWord") : t("noWord"), e.witness, e.file]);
    });
    return "\ufeff" + rows.map(function (r) { return r.map(cell).join(","); }).join("\r\n") + "\r\n";
  }
  function exported() { state.exportedCount = state.entries.length; changed(); }
  var name = "evidence-log-" + T.isoDate(new Date());
  var copyButton = T.button(t("copy"), { class: "md-button md-button--primary kb-button" });
  copyButton.addEventListener("click", function () {
    var text = asText();
    T.copyText(text).then(function (ok) {
      T.status(exportStatus, ok ? T.t("copied") : T.t("copyFailed"));
      if (ok) exported(); else T.manualCopy(exportStatus, text);
    });
  });
  exportBar.appendChild(copyButton);
  if (!T.isWeChat()) {
    [["txt", asText, "text/plain"], ["csv", asCsv, "text/csv"]].forEach(function (kind) {
      var b = T.button(t(kind[0]));
      b.addEventListener("click", function () {
        var ok = T.download(name + "." + kind[0], kind[1](), kind[2]);
        T.status(exportStatus, ok ? T.t("downloaded") : T.t("wechat"));
        if (ok) exported();
      });
      exportBar.appendChild(b);
    });
  }
  if (T.canPrint()) {
    var printButton = T.button(t("print"));
    printButton.addEventListener("click", function () { window.print(); });
    exportBar.appendChild(printButton);
  }
  if (T.isWeChat()) section.appendChild(el("p", { class: "kb-hint", text: T.t("wechat") }));

  /* --- the printed table: the columns of the evidence page's collection log --------------------------- */
  var printTable = el("table", { class: "kb-print-table" });
  function renderPrint() {
    printTable.textContent = "";
    printTable.appendChild(el("caption", { text: t("heading") }));
    var head = el("tr", {}, ["colDate", "colTime", "colNumber", "colClaimed", "colSaid", "colWitness", "colFile"].map(function (k) { return el("th", { scope: "col", text: t(k) }); }));
    printTable.appendChild(el("thead", {}, [head]));
    var body = el("tbody");
    sorted().forEach(function (e) {
      var when = split(e.when);
      body.appendChild(el("tr", {}, [when.date, when.time, numberCell(e), e.claimed, saidCell(e), e.witness, e.file].map(function (v) { return el("td", { text: v }); })));
    });
    printTable.appendChild(body);
  }

  /* --- start ----------------------------------------------------------------------------------------- */
  var saved = T.load(STORE);
  if (saved && Array.isArray(saved.entries)) {
    state.entries = saved.entries.filter(function (e) { return e && typeof e.id === "string" && typeof e.when === "string"; });
    state.exportedCount = Math.min(Number(saved.exportedCount) || 0, state.entries.length);
    keep.checked = true;
  }
  document.documentElement.classList.add("kb-print-log");
  document.querySelectorAll(".kb-nojs").forEach(function (p) { p.hidden = true; });
  [form, keepBox, section, printTable].forEach(function (node) { root.appendChild(node); });
  clearForm();
  renderList();
})();

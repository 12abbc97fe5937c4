// Direct messages: the character counter, sending without reloading, and new messages arriving
// live in an open thread. Without JavaScript the form posts and the page reloads.
(function () {
  "use strict";

  // The counter under the message box: "120 of 2000 characters".
  document.querySelectorAll("textarea[data-counter]").forEach(function (box) {
    var counter = document.getElementById(box.dataset.counter);
    if (!counter) { return; }
    var max = parseInt(counter.dataset.max, 10);
    var update = function () {
      counter.textContent = counter.dataset.template.replace("{used}", String(box.value.length));
      if (box.value.length > max * 0.9) { counter.dataset.nearLimit = "1"; }
      else { delete counter.dataset.nearLimit; }
    };
    box.addEventListener("input", update);
    update();
  });

  var thread = document.querySelector("[data-thread]");
  if (!thread) { return; }
  var scroller = thread.querySelector("[data-message-scroll]");
  var list = thread.querySelector("[data-message-list]");
  var conversationId = thread.dataset.conversationId || "";
  var loading = false;
  var again = false;
  var stick = false;  // one's own message just sent: show it whatever the scroll

  var lastId = function () {
    var items = list.querySelectorAll("[data-message-id]");
    return items.length ? items[items.length - 1].dataset.messageId : "0";
  };
  var atBottom = function () {
    return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
  };
  var toBottom = function () { scroller.scrollTop = scroller.scrollHeight; };

  // The header's counters: what was just read here is no longer unread.
  var setBadge = function (selector, key, count) {
    var badge = document.querySelector(selector);
    if (!badge || typeof count !== "number") { return; }
    badge.dataset[key] = String(count);
    badge.querySelector("[aria-hidden]").textContent = String(count);
    badge.querySelector("[role=status]").textContent = count + " " + badge.dataset.unreadLabel;
    badge.hidden = count === 0;
  };

  // Ask the page for the messages after the last one shown (one request at a time).
  var refresh = function () {
    if (loading) { again = true; return; }
    loading = true;
    var url = thread.dataset.sinceUrl.replace(/\/0$/, "/" + lastId());
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (data.conversation_id) { conversationId = String(data.conversation_id); }
        if (data.html) {
          var follow = stick || atBottom();
          stick = false;
          list.insertAdjacentHTML("beforeend", data.html);
          var empty = thread.querySelector("[data-empty]");
          if (empty) { empty.remove(); }
          if (follow) { toBottom(); }
        }
        setBadge("[data-bell-count]", "bellCount", data.unread_notifications);
        setBadge("[data-message-count]", "messageCount", data.unread_messages);
        if (data.has_more) { again = true; }
      })
      .catch(function () { /* the next event or a reload catches up */ })
      .then(function () {
        loading = false;
        if (again) { again = false; refresh(); }
      });
  };

  toBottom();
  window.Tremplin.on("direct_message", function (event) {
    if (conversationId && String(event.conversation_id) !== conversationId) { return; }
    refresh();
  });
  // After a lost connection, catch up on what was sent meanwhile.
  window.Tremplin.on("connect", function () { if (list.children.length) { refresh(); } });

  var form = thread.querySelector("[data-message-form]");
  if (!form || typeof window.fetch !== "function") { return; }
  var box = form.querySelector("textarea");
  var error = form.querySelector("[data-form-error]");
  var button = form.querySelector("button[type=submit]");
  var showError = function (text) {
    error.textContent = text;
    error.hidden = !text;
    if (text) { box.setAttribute("aria-invalid", "true"); }
    else { box.removeAttribute("aria-invalid"); }
  };
  // Ctrl+Enter (or Cmd+Enter) sends; Enter alone makes a new line, as on a phone.
  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (typeof form.requestSubmit === "function") { form.requestSubmit(); }
      else { button.click(); }
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    fetch(form.action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        if (!result.ok) {
          showError(result.data.message || result.data.error || "");
          if (result.data.findings) {  // the charter coach (charter.js) shows its advice
            form.dispatchEvent(new CustomEvent("charter:findings",
              { detail: { text: box.value, findings: result.data.findings } }));
          }
          return;
        }
        showError("");
        var ack = form.querySelector("input[name=charter_ack]");
        if (ack) { ack.checked = false; }
        box.value = "";
        box.dispatchEvent(new Event("input"));
        conversationId = String(result.data.conversation_id);
        stick = true;
        refresh();
      })
      .catch(function () { form.submit(); })  // no answer as JSON: send it the plain way
      .then(function () { button.disabled = false; box.focus(); });
  });
})();

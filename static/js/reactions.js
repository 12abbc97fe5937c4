// Likes without reloading the page, and the character counter of comment forms.
// Progressive enhancement: every form works without this file (it posts and comes back).
(function () {
  "use strict";

  function announce(form, text) {
    var status = form.querySelector("[data-like-status]");
    if (!status) { return; }
    // Emptied first so that saying the same sentence twice is still announced.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function toggleLike(form) {
    var button = form.querySelector("button[aria-pressed]");
    if (!button || button.getAttribute("aria-busy") === "true") { return; }
    button.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: {
        "Accept": "application/json",
        "X-CSRFToken": form.querySelector("input[name=csrf_token]").value
      }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (answer) {
      var data = answer.data;
      if (!answer.ok) {
        announce(form, data.error || data.message || "");
        return;
      }
      button.setAttribute("aria-pressed", data.liked ? "true" : "false");
      form.action = data.action;
      var count = form.querySelector("[data-like-count]");
      if (count) { count.textContent = data.count_label; }
      announce(form, data.message);
    }).catch(function () {
      // Offline or an unexpected answer: the plain form, back to this very page (the card may
      // have come in a fragment loaded by "load more", whose URL is no page to come back to).
      var next = form.querySelector("input[name=next]");
      var block = form.closest("[id]");
      if (next) {
        next.value = window.location.pathname + window.location.search +
          (block ? "#" + block.id : "");
      }
      form.submit();
    }).then(function () {
      button.removeAttribute("aria-busy");
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-like")) { return; }
    if (typeof window.fetch !== "function" || typeof window.FormData !== "function") { return; }
    event.preventDefault();
    toggleLike(form);
  });

  // "123 / 1250 characters", kept up to date while typing.
  function updateCounter(textarea) {
    var counter = document.getElementById(textarea.dataset.counter);
    if (!counter) { return; }
    var max = parseInt(textarea.getAttribute("maxlength") || "0", 10);
    var template = counter.dataset.counterTemplate || "{count} / {max}";
    counter.textContent = template.replace("{count}", String(textarea.value.length))
      .replace("{max}", String(max));
    counter.dataset.over = max && textarea.value.length >= max ? "true" : "false";
  }

  document.querySelectorAll("textarea[data-counter]").forEach(function (textarea) {
    if (textarea.value) { updateCounter(textarea); }
    textarea.addEventListener("input", function () { updateCounter(textarea); });
  });
})();

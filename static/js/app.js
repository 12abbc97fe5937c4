// Tremplin's page behaviour. No inline script anywhere: the Content-Security-Policy forbids it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Buttons whose action cannot be undone ask first (the question comes translated from the page).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Live updates: a logged-in page opens one Socket.IO connection, authenticated by the session
  // cookie. Features subscribe with Tremplin.on(event, handler).
  var handlers = {};
  window.Tremplin = {
    socket: null,
    on: function (event, handler) {
      (handlers[event] = handlers[event] || []).push(handler);
      if (this.socket) { this.socket.on(event, handler); }
    }
  };
  // The bell: each notification pushed to this user's room counts one more, without reload.
  var bell = document.querySelector("[data-bell-count]");
  if (bell) {
    window.Tremplin.on("notification", function () {
      var count = parseInt(bell.dataset.bellCount || "0", 10) + 1;
      bell.dataset.bellCount = String(count);
      bell.querySelector("[aria-hidden]").textContent = String(count);
      bell.querySelector("[role=status]").textContent = count + " " + bell.dataset.unreadLabel;
      bell.hidden = false;
    });
  }

  window.addEventListener("DOMContentLoaded", function () {
    if (!document.body.dataset.live || typeof window.io !== "function") { return; }
    var socket = window.io({ transports: ["websocket", "polling"] });
    window.Tremplin.socket = socket;
    Object.keys(handlers).forEach(function (event) {
      handlers[event].forEach(function (handler) { socket.on(event, handler); });
    });
  });
})();

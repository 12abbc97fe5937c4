// Tremplin's page behaviour. No inline script anywhere: the Content-Security-Policy forbids it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Buttons whose action cannot be undone ask first (the question comes translated from the page).
  // Scripts that insert server-rendered HTML later call Tremplin.askBeforeActing on it.
  function askBeforeActing(root) {
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
      });
    });
  }
  askBeforeActing(document);

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Live updates: a logged-in page opens one Socket.IO connection, authenticated by the session
  // cookie. Features subscribe with Tremplin.on(event, handler).
  var handlers = {};
  window.Tremplin = {
    socket: null,
    askBeforeActing: askBeforeActing,
    on: function (event, handler) {
      (handlers[event] = handlers[event] || []).push(handler);
      if (this.socket) { this.socket.on(event, handler); }
    }
  };
  // A counter in the header (the bell, the messages) shows one more without reload.
  function countOneMore(badge, key) {
    var count = parseInt(badge.dataset[key] || "0", 10) + 1;
    badge.dataset[key] = String(count);
    badge.querySelector("[aria-hidden]").textContent = String(count);
    badge.querySelector("[role=status]").textContent = count + " " + badge.dataset.unreadLabel;
    badge.hidden = false;
  }
  // Each notification pushed to this user's room counts on the bell; a message notification
  // also counts on the messages badge (the "direct_message" event also reaches the sender).
  var bell = document.querySelector("[data-bell-count]");
  var inbox = document.querySelector("[data-message-count]");
  window.Tremplin.on("notification", function (payload) {
    if (bell) { countOneMore(bell, "bellCount"); }
    if (inbox && payload && payload.kind === "message_received") { countOneMore(inbox, "messageCount"); }
  });

  window.addEventListener("DOMContentLoaded", function () {
    if (!document.body.dataset.live || typeof window.io !== "function") { return; }
    var socket = window.io({ transports: ["websocket", "polling"] });
    window.Tremplin.socket = socket;
    Object.keys(handlers).forEach(function (event) {
      handlers[event].forEach(function (handler) { socket.on(event, handler); });
    });
  });
})();

// Live removal: when a teacher hides or deletes a post, a comment or a message, every open page
// that shows it drops it without reload. The event carries only the kind and the id; the texts
// announced come translated from the page (templates/moderation/_live.html).
(function () {
  "use strict";
  var config = document.querySelector("[data-moderation-live]");
  var status = document.querySelector("[data-moderation-status]");
  if (!config || !window.Tremplin) { return; }

  function announce(text) {
    if (!status || !text) { return; }
    status.textContent = "";
    // A new text in the live region, a moment later, is read even when it repeats.
    window.setTimeout(function () { status.textContent = text; }, 100);
  }

  // Focus inside a removed element would be lost: move it to the page's main region.
  function removeKeepingFocus(element) {
    var focused = document.activeElement && element.contains(document.activeElement);
    element.remove();
    if (focused) {
      var main = document.getElementById("main");
      if (main) { main.focus(); }
    }
  }

  function removePost(id) {
    var found = false;
    document.querySelectorAll('article.post[data-post-id="' + id + '"]').forEach(function (card) {
      removeKeepingFocus(card);
      found = true;
    });
    // A share quoting the post keeps its own text, and says the original is gone.
    document.querySelectorAll("blockquote.post__quote").forEach(function (quote) {
      var cite = quote.getAttribute("cite") || "";
      if (cite.slice(-("/posts/" + id).length) === "/posts/" + id) {
        var note = document.createElement("p");
        note.className = "post__quote post__quote--gone";
        note.textContent = config.dataset.quotePlaceholder || "";
        quote.replaceWith(note);
        found = true;
      }
    });
    return found;
  }

  function removeComment(id) {
    var comment = document.getElementById("comment-" + id);
    if (!comment) { return false; }
    // Its replies go with it (the list item holds the comment and its replies).
    var item = comment.closest("li") || comment;
    removeKeepingFocus(item);
    return true;
  }

  function hideMessage(id) {
    var message = document.querySelector('[data-message-id="' + id + '"]');
    if (!message) { return false; }
    var body = message.querySelector(".message__body");
    if (body) {
      body.textContent = config.dataset.messagePlaceholder || "";
      body.classList.add("message__body--hidden");
    }
    message.querySelectorAll("[data-moderation-action]").forEach(function (action) { action.remove(); });
    return true;
  }

  window.Tremplin.on("content_removed", function (payload) {
    if (!payload || typeof payload.id !== "number" || payload.id <= 0) { return; }
    var id = String(Math.floor(payload.id));
    if (payload.kind === "post" && removePost(id)) {
      announce(config.dataset.postRemoved);
    } else if (payload.kind === "comment" && removeComment(id)) {
      announce(config.dataset.commentRemoved);
    } else if (payload.kind === "message" && hideMessage(id)) {
      announce(config.dataset.messageRemoved);
    }
  });
})();

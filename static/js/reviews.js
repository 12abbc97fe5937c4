// Live removal on a company's page: when a teacher hides or deletes a review, open pages drop
// it without reload (as static/js/moderation.js does for posts, comments and messages). The
// event carries only the kind and the id; the sentence announced comes translated from the page.
(function () {
  "use strict";
  var section = document.querySelector("[data-reviews]");
  if (!section || !window.Tremplin) { return; }
  var status = document.querySelector("[data-moderation-status]");

  window.Tremplin.on("content_removed", function (payload) {
    if (!payload || payload.kind !== "review" || typeof payload.id !== "number") { return; }
    var review = document.getElementById("review-" + Math.floor(payload.id));
    if (!review || !section.contains(review)) { return; }
    // Focus inside the removed review would be lost: move it to the page's main region.
    var focused = document.activeElement && review.contains(document.activeElement);
    review.remove();
    if (focused) {
      var main = document.getElementById("main");
      if (main) { main.focus(); }
    }
    if (status && section.dataset.removedLabel) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = section.dataset.removedLabel; }, 100);
    }
  });
})();

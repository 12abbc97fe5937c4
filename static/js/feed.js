// The news feed: "load more" in place (and by itself when the reader scrolls near it), and
// new posts arriving live. Progressive enhancement: without this file, "load more" is a plain
// link to the next page, and new posts show on the next visit.
(function () {
  "use strict";
  if (typeof window.fetch !== "function") { return; }

  function parse(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  // Forms that ask before acting (delete) arrived after app.js looked for them.
  function enhance(root) {
    if (window.Tremplin) { window.Tremplin.askBeforeActing(root); }
  }

  function firstPost(nodes) {
    for (var i = 0; i < nodes.length; i += 1) {
      if (nodes[i].nodeType === 1 && nodes[i].matches("article.post")) { return nodes[i]; }
    }
    return null;
  }

  // ---- "load more" -----------------------------------------------------------------------
  function loadMore(link, byScroll) {
    if (link.getAttribute("aria-busy") === "true") { return; }
    var feed = link.closest(".feed");
    var list = feed && feed.querySelector("[data-feed-posts]");
    var wrapper = link.closest("[data-more-wrapper]");
    if (!list || !wrapper) { return; }
    link.setAttribute("aria-busy", "true");
    var label = link.textContent;
    link.textContent = link.dataset.loading || label;
    fetch(link.href, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        var content = parse(html);
        var nextWrapper = content.querySelector("[data-more-wrapper]");
        if (nextWrapper) { nextWrapper.remove(); }
        var nodes = Array.prototype.slice.call(content.childNodes);
        var first = firstPost(nodes);
        enhance(content);
        list.appendChild(content);
        if (nextWrapper) {
          wrapper.replaceWith(nextWrapper);
          watch(nextWrapper.querySelector("[data-more]"));
        } else {
          wrapper.remove();
        }
        // A keyboard user who asked for more lands on the first new post.
        if (first && !byScroll) {
          first.setAttribute("tabindex", "-1");
          first.focus();
        }
      })
      .catch(function () {
        window.location.href = link.href;  // the plain page works without this script
      });
  }

  var observer = null;
  if ("IntersectionObserver" in window) {
    observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          loadMore(entry.target, true);
        }
      });
    }, { rootMargin: "400px 0px" });
  }

  function watch(link) {
    if (!link) { return; }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      loadMore(link, false);
    });
    if (observer) { observer.observe(link); }
  }

  document.querySelectorAll("[data-more]").forEach(watch);

  // ---- new posts, live -------------------------------------------------------------------
  var feed = document.querySelector("[data-feed][data-new-url]");
  if (!feed || !window.Tremplin) { return; }
  var button = feed.querySelector("[data-new-posts]");
  var list = feed.querySelector("[data-feed-posts]");
  var pending = null;

  function newUrl(withCards) {
    var url = new URL(feed.dataset.newUrl, window.location.href);
    url.searchParams.set("after", feed.dataset.after);
    if (withCards) { url.searchParams.set("cards", "1"); }
    return url.toString();
  }

  function check() {
    // Several posts at once make several events: ask once for all of them.
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(function () {
      pending = null;
      fetch(newUrl(false), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
          if (!answer || !answer.count) { return; }
          button.textContent = answer.label;
          button.hidden = false;
        })
        .catch(function () { /* the next event will try again */ });
    }, 300);
  }

  button.addEventListener("click", function () {
    button.setAttribute("aria-busy", "true");
    fetch(newUrl(true), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        var content = parse(answer.html || "");
        var first = firstPost(Array.prototype.slice.call(content.childNodes));
        enhance(content);
        list.insertBefore(content, list.firstChild);
        feed.dataset.after = answer.cursor || feed.dataset.after;
        var empty = feed.querySelector("[data-feed-empty]");
        if (empty) { empty.remove(); }
        button.hidden = true;
        button.textContent = "";
        if (first) {
          first.setAttribute("tabindex", "-1");
          first.focus();
        }
      })
      .catch(function () { window.location.reload(); })
      .then(function () { button.removeAttribute("aria-busy"); });
  });

  window.Tremplin.on("feed", check);
})();

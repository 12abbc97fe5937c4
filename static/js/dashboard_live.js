// The dashboard during a lesson. The server only says "something happened in class N"
// (class_activity, class_post: no content); this script then asks the page again, where the
// usual permission checks apply.
// - Overview (a table marked data-live-class, its body #overview-rows): a few seconds after the
//   last event, the rows are fetched again with the page's own query string (?fragment=rows)
//   and swapped in place; focus and open details stay where they were; an aria-live region
//   says so.
// - Class feed ([data-class-feed]): a "N new contributions" button, as on the home feed; a
//   click inserts the new items at the top and moves focus to the first of them.
// Progressive enhancement: without it, a reload shows the same.
(function () {
  "use strict";
  if (typeof window.fetch !== "function" || !window.Tremplin) { return; }

  var QUIET_MS = 3000;     // wait this long after the last event...
  var MAX_WAIT_MS = 15000; // ...but no longer than this while events keep coming

  function parse(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content;
  }

  function sameClass(payload, classId) {
    return payload && String(payload.class_id) === String(classId);
  }

  // Calls `run(done)` a quiet moment after the last `poke()`: at most one run at a time, and
  // one more after it when events came meanwhile; none while the tab is hidden (once visible
  // again, it catches up).
  function debounced(run, quietMs) {
    var timer = null;
    var firstPoke = 0;
    var running = false;
    var again = false;
    var stale = false;

    function fire() {
      timer = null;
      firstPoke = 0;
      if (document.hidden) { stale = true; return; }
      if (running) { again = true; return; }
      running = true;
      run(function done() {
        running = false;
        if (again) { again = false; poke(); }
      });
    }

    function poke() {
      var now = Date.now();
      if (!firstPoke) { firstPoke = now; }
      if (timer) { window.clearTimeout(timer); }
      var wait = Math.max(0, Math.min(quietMs, firstPoke + MAX_WAIT_MS - now));
      timer = window.setTimeout(fire, wait);
    }

    document.addEventListener("visibilitychange", function () {
      if (!document.hidden && stale) { stale = false; poke(); }
    });
    return poke;
  }

  function announcer(anchor, text) {
    var region = document.querySelector("[data-live-status]");
    if (!region) {
      region = document.createElement("p");
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      region.setAttribute("data-live-status", "");
      anchor.parentNode.insertBefore(region, anchor.nextSibling);
    }
    return function () {
      if (!text) { return; }
      region.textContent = "";
      // A new text a moment later is read even when it repeats the last one.
      window.setTimeout(function () { region.textContent = text; }, 100);
    };
  }

  // ---- the overview's rows ---------------------------------------------------------------
  var FOCUSABLE = "a, button, input, select, textarea, summary, [tabindex]";

  function rowKey(row, tbody) {
    return row.dataset.studentId || row.id || "#" + Array.prototype.indexOf.call(tbody.rows, row);
  }

  function findRow(tbody, key) {
    for (var i = 0; i < tbody.rows.length; i += 1) {
      if (rowKey(tbody.rows[i], tbody) === key) { return tbody.rows[i]; }
    }
    return null;
  }

  // What the teacher was doing in the table: where the focus was, which details were open.
  function remember(tbody) {
    var state = { focus: null, open: [] };
    tbody.querySelectorAll("details[open]").forEach(function (details) {
      var row = details.closest("tr");
      if (row) {
        state.open.push([rowKey(row, tbody),
          Array.prototype.indexOf.call(row.querySelectorAll("details"), details)]);
      }
    });
    var active = document.activeElement;
    var row = active && tbody.contains(active) ? active.closest("tr") : null;
    if (row) {
      state.focus = [rowKey(row, tbody),
        Array.prototype.indexOf.call(row.querySelectorAll(FOCUSABLE), active)];
    }
    return state;
  }

  function restore(tbody, state, table) {
    state.open.forEach(function (where) {
      var row = findRow(tbody, where[0]);
      var details = row ? row.querySelectorAll("details")[where[1]] : null;
      if (details) { details.open = true; }
    });
    if (!state.focus) { return; }
    var row = findRow(tbody, state.focus[0]);
    var focusables = row ? row.querySelectorAll(FOCUSABLE) : [];
    var target = focusables[state.focus[1]] || focusables[0] || null;
    if (!target) {
      // The student left the table (filtered out): keep the keyboard in the table.
      if (!table.hasAttribute("tabindex")) { table.setAttribute("tabindex", "-1"); }
      target = table;
    }
    target.focus({ preventScroll: true });
  }

  function liveOverview(table) {
    var classId = table.dataset.liveClass;
    var announce = announcer(table, table.dataset.liveUpdated);

    function refresh(done) {
      var url = new URL(window.location.href);
      url.hash = "";
      url.searchParams.set("fragment", "rows");
      fetch(url.toString(), { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.text();
        })
        .then(function (html) {
          var tbody = document.getElementById("overview-rows");
          if (!tbody) { return; }
          var content = parse(html);
          // The answer is either the body itself or its rows.
          var fresh = content.querySelector("#overview-rows");
          var rows = fresh ? fresh.childNodes : content.childNodes;
          var state = remember(tbody);
          var nodes = Array.prototype.slice.call(rows);
          tbody.textContent = "";  // the same body, new rows: nothing else on the page moves
          nodes.forEach(function (node) { tbody.appendChild(node); });
          restore(tbody, state, table);
          announce();
        })
        .catch(function () { /* the next event will try again */ })
        .then(done);
    }

    var poke = debounced(refresh, QUIET_MS);
    window.Tremplin.on("class_activity", function (payload) {
      if (sameClass(payload, classId)) { poke(); }
    });
  }

  // ---- the class feed ------------------------------------------------------------------------
  function enhance(root) {
    // Forms that ask before acting arrived after app.js looked for them.
    window.Tremplin.askBeforeActing(root);
  }

  function liveFeed(feed) {
    var classId = feed.dataset.classFeed;
    var button = feed.querySelector("[data-class-feed-new]");
    var list = feed.querySelector("[data-feed-posts]");
    if (!button || !list) { return; }

    function newUrl(withCards) {
      var url = new URL(feed.dataset.classFeedUrl, window.location.href);
      url.searchParams.set("after", feed.dataset.after || "");
      if (withCards) { url.searchParams.set("cards", "1"); }
      return url.toString();
    }

    function ask(withCards) {
      return fetch(newUrl(withCards), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error(String(response.status)); }
          return response.json();
        });
    }

    function check(done) {
      ask(false)
        .then(function (answer) {
          if (!answer || !answer.count) { return; }
          button.textContent = answer.label;
          button.hidden = false;
        })
        .catch(function () { /* the next event will try again */ })
        .then(done);
    }

    var poke = debounced(check, 1000);

    button.addEventListener("click", function () {
      if (button.getAttribute("aria-busy") === "true") { return; }
      button.setAttribute("aria-busy", "true");
      ask(true)
        .then(function (answer) {
          var content = parse(answer.html || "");
          var first = content.querySelector("article");
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

    window.Tremplin.on("class_post", function (payload) {
      if (sameClass(payload, classId)) { poke(); }
    });
  }

  var table = document.querySelector("[data-live-class]");
  if (table && document.getElementById("overview-rows")) { liveOverview(table); }
  var feed = document.querySelector("[data-class-feed]");
  if (feed) { liveFeed(feed); }
})();

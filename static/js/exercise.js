// An exercise's page during the lesson: the projected board, the students' phones.
// - The timer counts down on its own from the seconds the server gave (data-remaining), with
//   the browser's monotonic clock, so a phone whose clock is wrong still shows the right time.
// - The server only says "exercise N changed" (exercise_state: started, paused, next phase…)
//   or "its board changed" (exercise_board: a member did something); the page then fetches
//   the part concerned again (?fragment=live, ?fragment=board), where the usual permission
//   checks apply. No content travels through the socket.
// Progressive enhancement: without this file, the page shows the same on reload (and reloads
// itself every 30 s while the exercise runs).
(function () {
  "use strict";
  var root = document.querySelector("[data-exercise]");
  if (!root) { return; }
  var exerciseId = root.dataset.exercise;
  var liveBox = root.querySelector("[data-exercise-live]");
  var boardBox = root.querySelector("[data-exercise-board]");
  var announcer = root.querySelector("[data-exercise-announce]");
  var BOARD_QUIET_MS = 1000;   // wait this long after the last board event...
  var BOARD_MAX_WAIT_MS = 4000; // ...but no longer while events keep coming

  // ---- the countdown -----------------------------------------------------------------------
  var tick = null;

  function clock(seconds) {
    var hours = Math.floor(seconds / 3600);
    var minutes = Math.floor((seconds % 3600) / 60);
    var rest = seconds % 60;
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    return hours ? hours + ":" + pad(minutes) + ":" + pad(rest) : pad(minutes) + ":" + pad(rest);
  }

  function startCountdown() {
    if (tick) { window.clearInterval(tick); tick = null; }
    var time = liveBox && liveBox.querySelector("[data-timer]");
    if (!time || !time.dataset.running) { return; }
    var given = parseInt(time.dataset.remaining || "0", 10);
    var since = window.performance.now();
    var timerRoot = liveBox.querySelector("[data-timer-root]");
    var state = liveBox.querySelector("[data-timer-state]");
    function update() {
      var left = Math.max(0, Math.ceil(given - (window.performance.now() - since) / 1000));
      var text = clock(left);
      if (time.textContent !== text) {
        time.textContent = text;
        time.setAttribute("datetime", "PT" + left + "S");
      }
      if (left === 0) {
        window.clearInterval(tick);
        tick = null;
        if (timerRoot) { timerRoot.classList.add("exercise-timer--up"); }
        if (state && state.dataset.timeUp) {
          state.textContent = state.dataset.timeUp;
          say(state.dataset.timeUp);
        }
      }
    }
    update();
    tick = window.setInterval(update, 250);
  }

  // ---- fetching a part again -----------------------------------------------------------------
  function say(text) {
    if (!announcer || !text) { return; }
    announcer.textContent = "";
    // A new text a moment later is read even when it repeats the last one.
    window.setTimeout(function () { announcer.textContent = text; }, 100);
  }

  function currentAnnouncement() {
    var timerRoot = liveBox && liveBox.querySelector("[data-timer-root]");
    return timerRoot ? timerRoot.dataset.announce || "" : "";
  }

  function replaceContent(box, url) {
    return fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        var template = document.createElement("template");
        template.innerHTML = html;
        if (window.Tremplin) { window.Tremplin.askBeforeActing(template.content); }
        // Keep the keyboard where it was when the focused control is still there.
        var active = document.activeElement;
        var step = active && box.contains(active) && active.dataset ? active.dataset.step : null;
        box.replaceChildren(template.content);
        if (step) {
          var again = box.querySelector("[data-step='" + step + "']");
          if (again) { again.focus(); }
        }
      });
  }

  var liveBusy = false;
  var liveAgain = false;
  function refreshLive() {
    if (!liveBox) { return; }
    if (liveBusy) { liveAgain = true; return; }
    liveBusy = true;
    var before = currentAnnouncement();
    replaceContent(liveBox, root.dataset.liveUrl)
      .then(function () {
        startCountdown();
        var after = currentAnnouncement();
        if (after !== before) { say(after); }
      })
      .catch(function () { /* the next event, or a reconnection, tries again */ })
      .then(function () {
        liveBusy = false;
        if (liveAgain) { liveAgain = false; refreshLive(); }
      });
  }

  // The board: a quiet moment after the last event, one fetch at a time.
  var boardTimer = null;
  var firstPoke = 0;
  var boardBusy = false;
  var boardAgain = false;
  function fetchBoard() {
    boardTimer = null;
    firstPoke = 0;
    if (!boardBox) { return; }
    if (boardBusy) { boardAgain = true; return; }
    boardBusy = true;
    replaceContent(boardBox, root.dataset.boardUrl)
      .catch(function () { /* the next event tries again */ })
      .then(function () {
        boardBusy = false;
        if (boardAgain) { boardAgain = false; pokeBoard(); }
      });
  }

  function pokeBoard() {
    var now = Date.now();
    if (!firstPoke) { firstPoke = now; }
    if (boardTimer) { window.clearTimeout(boardTimer); }
    var wait = Math.max(0, Math.min(BOARD_QUIET_MS, firstPoke + BOARD_MAX_WAIT_MS - now));
    boardTimer = window.setTimeout(fetchBoard, wait);
  }

  function mine(payload) {
    return payload && String(payload.exercise_id) === String(exerciseId);
  }

  startCountdown();
  if (typeof window.fetch !== "function" || !window.Tremplin) { return; }
  window.Tremplin.on("exercise_state", function (payload) {
    if (mine(payload)) { refreshLive(); pokeBoard(); }
  });
  window.Tremplin.on("exercise_board", function (payload) {
    if (mine(payload)) { pokeBoard(); }
  });
  // After a lost connection (a phone asleep, Wi-Fi gone), catch up on what was missed.
  var connectedOnce = false;
  window.Tremplin.on("connect", function () {
    if (connectedOnce) { refreshLive(); pokeBoard(); }
    connectedOnce = true;
  });
  // A phone that slept has a stale countdown: ask the server again when it wakes up.
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { refreshLive(); }
  });
})();

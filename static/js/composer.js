// The post composer: a live character counter, and @-mentions completed from the people the
// author may see. Everything works without this file (the server checks the length again).
(function () {
  "use strict";

  // ---- "123 / 3000 characters" -------------------------------------------------------------
  function updateCounter(textarea) {
    var counter = document.getElementById(textarea.dataset.postCounter);
    if (!counter) { return; }
    var max = parseInt(textarea.getAttribute("maxlength") || "0", 10);
    var length = textarea.value.length;
    counter.textContent = (counter.dataset.template || "{count} / {max}")
      .replace("{count}", String(length)).replace("{max}", String(max));
    counter.dataset.state = !max ? "" : length >= max ? "full" : length > max * 0.9 ? "near" : "";
  }

  // ---- @-mentions --------------------------------------------------------------------------
  var counter = 0;

  function mentionAt(textarea) {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var match = /(^|[^\w@.\/])@([\w.\-]{1,40})$/.exec(before);
    return match ? { typed: match[2], start: before.length - match[2].length - 1 } : null;
  }

  function setUpMentions(textarea) {
    if (typeof window.fetch !== "function" || !textarea.dataset.mentionsUrl) { return; }
    counter += 1;
    var list = document.createElement("ul");
    list.id = "mention-list-" + counter;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", textarea.dataset.mentionsLabel || "");
    list.hidden = true;
    textarea.insertAdjacentElement("afterend", list);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", list.id);
    // aria-expanded belongs to a combobox: a one-line field becomes one; a textarea stays a
    // text box (a multi-line combobox is not in ARIA), its list announced by aria-controls.
    var combobox = textarea.tagName === "INPUT";
    if (combobox) { textarea.setAttribute("role", "combobox"); }
    function setExpanded(open) {
      if (combobox) { textarea.setAttribute("aria-expanded", open ? "true" : "false"); }
    }
    setExpanded(false);
    var people = [];
    var active = -1;
    var current = null;
    var timer = null;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      people = [];
      active = -1;
      setExpanded(false);
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (item, position) {
        item.setAttribute("aria-selected", position === index ? "true" : "false");
      });
      if (index >= 0) {
        textarea.setAttribute("aria-activedescendant", list.children[index].id);
      }
    }

    function choose(index) {
      var person = people[index];
      if (!person || !current) { return; }
      var value = textarea.value;
      var end = current.start + 1 + current.typed.length;
      var inserted = "@" + person.handle + " ";
      textarea.value = value.slice(0, current.start) + inserted + value.slice(end);
      var caret = current.start + inserted.length;
      textarea.setSelectionRange(caret, caret);
      close();
      textarea.focus();
      updateCounter(textarea);
    }

    function show(found) {
      list.innerHTML = "";
      people = found;
      if (!found.length) { close(); return; }
      found.forEach(function (person, index) {
        var item = document.createElement("li");
        item.id = list.id + "-" + index;
        item.setAttribute("role", "option");
        item.className = "mention-list__option";
        var name = document.createElement("span");
        name.textContent = person.name;
        var handle = document.createElement("span");
        handle.className = "muted";
        handle.textContent = " @" + person.handle;
        item.appendChild(name);
        item.appendChild(handle);
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();  // keep the focus in the text
          choose(index);
        });
        list.appendChild(item);
      });
      list.hidden = false;
      setExpanded(true);
      highlight(0);
    }

    textarea.addEventListener("input", function () {
      current = mentionAt(textarea);
      if (timer) { window.clearTimeout(timer); }
      if (!current || current.typed.length < 2) { close(); return; }
      var typed = current.typed;
      timer = window.setTimeout(function () {
        var url = new URL(textarea.dataset.mentionsUrl, window.location.href);
        url.searchParams.set("q", typed);
        fetch(url.toString(), { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { people: [] }; })
          .then(function (answer) {
            if (current && current.typed === typed) { show(answer.people || []); }
          })
          .catch(close);
      }, 200);
    });

    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        highlight((active + step + people.length) % people.length);
      } else if (event.key === "Enter" || event.key === "Tab") {
        if (active >= 0) { event.preventDefault(); choose(active); }
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    textarea.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  // A double click (or an impatient second tap on a slow connection) publishes once: the
  // button is disabled once the form is on its way, after the browser has read its value.
  function publishOnce(form) {
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) { return; }
      if (form.dataset.sending === "1") { event.preventDefault(); return; }
      form.dataset.sending = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
    // Back to this page from the browser's history: the form may be sent again.
    window.addEventListener("pageshow", function () {
      delete form.dataset.sending;
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = false;
      });
    });
  }

  document.querySelectorAll("textarea[data-post-counter]").forEach(function (textarea) {
    updateCounter(textarea);
    textarea.addEventListener("input", function () { updateCounter(textarea); });
    setUpMentions(textarea);
    if (textarea.form) { publishOnce(textarea.form); }
  });
  // The people tagged in a picture are @names too.
  document.querySelectorAll("input[data-mentions-url]").forEach(setUpMentions);
})();

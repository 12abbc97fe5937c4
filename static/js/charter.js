// The charter coach, live: as a student types in a textarea marked `data-charter-check`, the
// text is sent (debounced) to /api/charter/check and the findings fill the form's charter box:
// the text with the words highlighted, the advice, and for coach findings the "publish anyway"
// checkbox. Advice only: the server checks again when the form is sent, and decides.
(function () {
  "use strict";

  var DELAY = 700;
  var token = document.querySelector("meta[name=csrf-token]");

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  // The server counts characters as code points (an emoji is one), JavaScript strings count
  // UTF-16 units (an emoji is often two): cut the text as an array of code points.
  function preview(text, findings) {
    var paragraph = element("p", "charter-box__preview");
    var chars = Array.from(text);
    var position = 0;
    findings.slice().sort(function (a, b) { return a.start - b.start; }).forEach(function (f) {
      if (f.start < position || f.end > chars.length) { return; }
      paragraph.appendChild(document.createTextNode(chars.slice(position, f.start).join("")));
      var mark = element("mark", "charter-mark", chars.slice(f.start, f.end).join(""));
      mark.title = f.message;
      paragraph.appendChild(mark);
      position = f.end;
    });
    paragraph.appendChild(document.createTextNode(chars.slice(position).join("")));
    return paragraph;
  }

  function render(box, text, findings) {
    var wasChecked = !!box.querySelector("input[name=charter_ack]:checked");
    box.textContent = "";
    if (!findings.length) { box.hidden = true; return; }
    box.hidden = false;
    box.appendChild(element("h3", "charter-box__title", box.dataset.title));
    box.appendChild(preview(text, findings));
    var list = element("ul", "charter-box__list");
    var blocked = false;
    var coached = false;
    findings.forEach(function (f) {
      blocked = blocked || f.severity === "block";
      coached = coached || f.severity === "coach";
      var item = element("li", "charter-finding charter-finding--" + f.severity);
      item.appendChild(element("span", "charter-finding__severity",
        box.dataset["severity" + f.severity.charAt(0).toUpperCase() + f.severity.slice(1)]));
      item.appendChild(element("span", "charter-finding__excerpt", "« " + f.excerpt + " »"));
      item.appendChild(element("span", "charter-finding__message", f.message));
      if (f.fix) { item.appendChild(element("span", "charter-finding__fix", f.fix)); }
      list.appendChild(item);
    });
    box.appendChild(list);
    if (blocked) {
      box.appendChild(element("p", "charter-box__blocked", box.dataset.blockedLabel));
    } else if (coached) {
      var choice = element("div", "field__check charter-box__ack");
      var input = document.createElement("input");
      input.type = "checkbox";
      input.name = "charter_ack";
      input.value = "1";
      input.id = box.id + "-ack";
      input.checked = wasChecked;
      var label = element("label", "", box.dataset.ackLabel);
      label.htmlFor = input.id;
      choice.appendChild(input);
      choice.appendChild(label);
      box.appendChild(choice);
    }
  }

  function watch(textarea) {
    var form = textarea.form;
    var box = form && form.querySelector("[data-charter-box]");
    if (!box || !box.dataset.charterUrl) { return; }
    var timer = null;
    var asked = 0;
    var lastText = null;

    function check() {
      var text = textarea.value;
      if (text === lastText) { return; }
      lastText = text;
      asked += 1;
      var number = asked;
      if (!text.trim()) { render(box, text, []); return; }
      fetch(box.dataset.charterUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": token ? token.content : ""
        },
        body: JSON.stringify({ text: text })
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (report) {
        if (report && number === asked) { render(box, text, report.findings || []); }
      }).catch(function () { /* offline or rate-limited: the server checks on saving anyway */ });
    }

    // A form sent with fetch (direct messages) hands over the server's findings this way.
    form.addEventListener("charter:findings", function (event) {
      lastText = event.detail.text;
      render(box, event.detail.text, event.detail.findings || []);
    });
    textarea.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, DELAY);
    });
    textarea.addEventListener("blur", check);
  }

  if (typeof window.fetch !== "function") { return; }
  Array.prototype.forEach.call(document.querySelectorAll("textarea[data-charter-check]"), watch);
}());

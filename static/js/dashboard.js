// The teacher's dashboard. Everything works without this script (sorting, filters and the date
// range are plain links and a GET form); it only keeps the addresses short and readable.
(function () {
  "use strict";

  // A filter form leaves its empty fields out of the address ("?q=&start=&end=" helps nobody,
  // and a shorter address is easier to share with a colleague).
  document.querySelectorAll("form[data-clean-query]").forEach(function (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (field.name && field.type !== "checkbox" && field.value === "") {
          field.disabled = true;
        }
      });
      // Back from the next page (bfcache), the fields must be usable again.
      window.setTimeout(function () {
        Array.prototype.forEach.call(form.elements, function (field) { field.disabled = false; });
      }, 0);
    });
  });
})();

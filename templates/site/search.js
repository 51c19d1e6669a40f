// The programme site's search: every word typed must be found in an entry's terms
// (folded to lower case without accents, as spreadkit folds them when it writes the
// index). Results are built as DOM nodes, so no name can become markup.
(function () {
  "use strict";
  var entries = window.spreadkitSearch || [];
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var count = document.getElementById("count");
  var LIMIT = 50;
  function fold(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }
  function show() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) { count.textContent = "Type to search."; return; }
    var found = entries.filter(function (e) {
      return words.every(function (w) { return e.terms.indexOf(w) !== -1; });
    });
    found.slice(0, LIMIT).forEach(function (e) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = e.href;
      link.textContent = e.title;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = " (" + e.kind + ")" + (e.detail ? ": " + e.detail : "");
      item.appendChild(link);
      item.appendChild(kind);
      list.appendChild(item);
    });
    var n = found.length;
    count.textContent = n === 0 ? "Nothing found." : (n > LIMIT ? "The first " + LIMIT + " of " + n + " found." :
      n + (n === 1 ? " found." : " found."));
  }
  input.addEventListener("input", show);
  input.form.addEventListener("submit", function (event) { event.preventDefault(); show(); });
  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked) { input.value = asked; }
  show();
})();

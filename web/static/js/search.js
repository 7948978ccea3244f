// Phone team keyboard helpers (progressive: every page works without them).
// - Arrow down in the header search moves into the results; arrows move through them; Escape goes back.
// - "c" on a case page jumps to the contact form (unless the user is typing in a field).
(function () {
  function results() {
    return Array.prototype.slice.call(document.querySelectorAll("#zoekresultaten .search-result"));
  }
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  document.addEventListener("keydown", function (event) {
    var input = document.getElementById("globaal-zoeken");
    var links = results();
    var index = links.indexOf(document.activeElement);
    if (event.target === input && event.key === "ArrowDown" && links.length) {
      event.preventDefault();
      links[0].focus();
    } else if (index >= 0 && event.key === "ArrowDown") {
      event.preventDefault();
      links[Math.min(index + 1, links.length - 1)].focus();
    } else if (index >= 0 && event.key === "ArrowUp") {
      event.preventDefault();
      if (index === 0) { input.focus(); } else { links[index - 1].focus(); }
    } else if ((index >= 0 || event.target === input) && event.key === "Escape") {
      document.getElementById("zoekresultaten").innerHTML = "";
      input.focus();
    } else if (event.key === "c" && !event.ctrlKey && !event.metaKey && !event.altKey && !typing(event.target)) {
      var first = document.querySelector("#contact input[name=channel]:checked, #contact input[name=channel]");
      if (first) {
        event.preventDefault();
        first.focus();
      }
    }
  });
})();

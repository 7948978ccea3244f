// Small keyboard helpers; everything works without them.
// "/" focuses the global case search (phone team), unless the user is typing in a field.
document.addEventListener("keydown", function (event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  var target = event.target;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  var search = document.getElementById("globaal-zoeken");
  if (search) {
    event.preventDefault();
    search.focus();
    search.select();
  }
});

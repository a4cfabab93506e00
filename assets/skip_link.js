// "Skip to content" without changing the URL's hash. Following "#main" would fire popstate, and
// Dash's location component would then pick up the query string that url_state.js wrote with
// replaceState and re-render the whole page, dropping the keyboard focus on <body>.
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest('a[href="#main"]') : null;
  if (!link) {
    return;
  }
  var main = document.getElementById("main");
  if (!main) {
    return;
  }
  event.preventDefault();
  if (!main.hasAttribute("tabindex")) {
    main.setAttribute("tabindex", "-1");
  }
  main.focus();
});

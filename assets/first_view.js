// The server builds the first view from the URL in the layout request's Referer
// (app/first_view.py). If that was not the URL this page was loaded at (a trimmed Referer),
// hand the real path and query string to the pages router, which then renders the right page.
(function () {
  var loadedAt = window.location.pathname + window.location.search;  // before any replaceState

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.copilot = Object.assign({}, window.dash_clientside.copilot, {
    checkFirstView: function (builtFor) {
      var keep = window.dash_clientside.no_update;
      if (typeof builtFor !== "string" || builtFor === loadedAt) return [keep, keep];
      return [window.location.pathname, window.location.search];
    },
  });
})();

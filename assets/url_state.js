// Keeps each page's filters in the URL's query string without reloading the page, so the
// current view can be shared as a link. history.replaceState fires no navigation event, so the
// pages router does not re-render the page.
window.dash_clientside = Object.assign({}, window.dash_clientside);
// Merged into the namespace: other asset files add their own functions to it.
window.dash_clientside.copilot = Object.assign({}, window.dash_clientside.copilot, {
    syncQuery: function () {
      var args = Array.prototype.slice.call(arguments);
      var sinkId = args.pop();
      var names = {
        "usage-url-sink": ["start", "end", "granularity", "top", "language", "split"],
        "seats-url-sink": ["days", "status", "plan", "q", "sort", "dir", "page", "size"],
        "history-url-sink": ["start", "end", "granularity"],
        "agents-url-sink": ["start", "end", "granularity", "sort", "dir", "page"],
      }[sinkId] || [];
      var params = new URLSearchParams(window.location.search);
      names.forEach(function (name, i) {
        var value = args[i];
        if (value === null || value === undefined || value === "") {
          params.delete(name);
        } else {
          params.set(name, String(value).slice(0, 200));
        }
      });
      var query = params.toString();
      var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.replaceState(window.history.state, "", url);
      }
      return query;
    },
});

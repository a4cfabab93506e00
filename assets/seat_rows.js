// Draws the seat table's rows from plain data (the callback's "seats-rows" store: rows and the
// count line) with DOM calls, instead of one Dash component per cell: 50 rows were ~700
// components and most of the Seats page's browser time. Text goes in as text nodes (never HTML); links only to http(s) URLs.
(function () {
  var ATTRIBUTES = ["title", "target", "rel"];

  function build(node) {
    if (node === null || node === undefined) return document.createTextNode("");
    if (typeof node === "string" || typeof node === "number") {
      return document.createTextNode(String(node));
    }
    if (Array.isArray(node)) {
      var fragment = document.createDocumentFragment();
      node.forEach(function (child) { fragment.appendChild(build(child)); });
      return fragment;
    }
    var tag = String(node.type || "span").toLowerCase();
    if (!/^(tr|td|a|span)$/.test(tag)) tag = "span";
    var element = document.createElement(tag);
    var props = node.props || {};
    if (props.className) element.className = String(props.className);
    ATTRIBUTES.forEach(function (name) {
      if (props[name] !== undefined && props[name] !== null) {
        element.setAttribute(name, String(props[name]));
      }
    });
    if (tag === "a" && /^https?:\/\//.test(String(props.href || ""))) {
      element.setAttribute("href", String(props.href));
    }
    element.appendChild(build(props.children));
    return element;
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.copilot = Object.assign({}, window.dash_clientside.copilot, {
    // Draws the page of rows and returns its count line, so both change in the same frame.
    drawRows: function (table, bodyId) {
      var body = document.getElementById(bodyId);
      if (!body || !table) return window.dash_clientside.no_update;
      var fragment = document.createDocumentFragment();
      (table.rows || []).forEach(function (row) { fragment.appendChild(build(row)); });
      body.replaceChildren(fragment);
      return table.count || "";
    },
    // A click on a column header sorts by it; a second click reverses the order (no server trip).
    sortFromHeader: function () {
      var args = Array.prototype.slice.call(arguments);
      var direction = args.pop();
      var current = args.pop();
      var context = window.dash_clientside.callback_context;
      var fired = context && context.triggered && context.triggered[0];
      var id = fired ? String(fired.prop_id).split(".")[0] : "";
      if (id.indexOf("seats-sort-") !== 0) return [window.dash_clientside.no_update, window.dash_clientside.no_update];
      var key = id.slice("seats-sort-".length);
      if (key === current) return [key, direction === "asc" ? "desc" : "asc"];
      return [key, "asc"];
    },
  });
})();

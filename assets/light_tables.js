// Draws the body of each "Show the numbers" table from its data-rows attribute (JSON rows of
// text; app/components.py data_table): one attribute instead of a Dash component per cell.
// The first cell of a row is its header. Text goes in as text nodes, never as HTML.
(function () {
  function draw(body) {
    var rows;
    try {
      rows = JSON.parse(body.getAttribute("data-rows") || "[]");
    } catch (e) {
      rows = [];
    }
    var fragment = document.createDocumentFragment();
    rows.forEach(function (row) {
      var tr = document.createElement("tr");
      (Array.isArray(row) ? row : []).forEach(function (value, i) {
        var cell = document.createElement(i === 0 ? "th" : "td");
        if (i === 0) cell.setAttribute("scope", "row");
        cell.textContent = value === null || value === undefined ? "" : String(value);
        tr.appendChild(cell);
      });
      fragment.appendChild(tr);
    });
    body.replaceChildren(fragment);
  }

  function drawWithin(node) {
    if (node.nodeType !== 1) return;
    if (node.matches("tbody[data-rows]")) draw(node);
    node.querySelectorAll("tbody[data-rows]").forEach(draw);
  }

  function start() {
    document.querySelectorAll("tbody[data-rows]").forEach(draw);
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        if (record.type === "attributes") draw(record.target);
        else record.addedNodes.forEach(drawWithin);
      });
    }).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["data-rows"],
    });
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();

// Colour theme: Auto (the system's prefers-color-scheme), Light or Dark, chosen with the navbar's
// theme switch (app/layout.py) and kept in localStorage. Asset scripts run before the Dash
// renderer, so <html data-bs-theme> is set before the layout is drawn (Bootstrap 5.3 colour modes;
// assets/app.css colours the page for a dark system setting before even this runs).
//
// Charts are built on the server in light colours (app/figures/style.py). dcc.Graph draws them
// with window.Plotly.react; this wraps it, so on the dark page each figure is drawn once, already
// in its dark colours (the swaps come from the switch's data-dark-chart attribute), and redraws
// the charts when the theme changes. The light page draws the server's figure unchanged.
(function () {
  "use strict";

  var KEY = "copilot-dashboard-theme";
  var CHOICES = ["auto", "light", "dark"];
  var NAMES = { light: "light", dark: "dark" };
  var SWITCH_ID = "theme-switch";
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function storedChoice() {
    try {
      var value = window.localStorage.getItem(KEY);
      return CHOICES.indexOf(value) >= 0 ? value : "auto";
    } catch (e) {  // storage disabled: follow the system
      return "auto";
    }
  }

  function storeChoice(value) {
    try {
      if (value === "auto") {
        window.localStorage.removeItem(KEY);
      } else {
        window.localStorage.setItem(KEY, value);
      }
    } catch (e) {
      // storage disabled: the choice lasts for this page only
    }
  }

  function resolve(value) {
    if (value === "auto") {
      return media && media.matches ? "dark" : "light";
    }
    return value;
  }

  var choice = storedChoice();
  var theme = resolve(choice);
  document.documentElement.setAttribute("data-bs-theme", theme);

  // ---- the switch --------------------------------------------------------------------------

  function statusText() {
    if (choice === "auto") {
      return "Theme: Auto, following the system setting (" + NAMES[theme] + ")";
    }
    return "Theme: " + (choice === "dark" ? "Dark" : "Light");
  }

  function syncSwitch(announce) {
    var group = document.getElementById(SWITCH_ID);
    if (!group) {
      return;
    }
    var buttons = group.querySelectorAll("[data-theme-choice]");
    for (var i = 0; i < buttons.length; i++) {
      var pressed = String(buttons[i].getAttribute("data-theme-choice") === choice);
      if (buttons[i].getAttribute("aria-pressed") !== pressed) {
        buttons[i].setAttribute("aria-pressed", pressed);
      }
    }
    var status = document.getElementById(SWITCH_ID + "-status");
    if (announce && status) {
      status.textContent = statusText();
    }
  }

  function update(announce) {
    var before = theme;
    theme = resolve(choice);
    document.documentElement.setAttribute("data-bs-theme", theme);
    syncSwitch(announce);
    if (theme !== before) {
      redrawCharts();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest
      ? event.target.closest("#" + SWITCH_ID + " [data-theme-choice]")
      : null;
    if (!button) {
      return;
    }
    var value = button.getAttribute("data-theme-choice");
    if (CHOICES.indexOf(value) < 0) {
      return;
    }
    choice = value;
    storeChoice(value);
    update(true);
  });

  if (media) {
    var onSystemChange = function () {
      if (choice === "auto") {
        update(false);
      }
    };
    if (media.addEventListener) {
      media.addEventListener("change", onSystemChange);
    } else if (media.addListener) {
      media.addListener(onSystemChange);
    }
  }

  // Another tab changed the choice.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) {
      choice = storedChoice();
      update(false);
    }
  });

  // ---- charts ------------------------------------------------------------------------------

  var COLOUR_KEY = /color(way)?$/i;  // Plotly's colour attributes: color, bgcolor, gridcolor...
  var AXIS_KEY = /^[xy]axis\d*$/;
  var darkTheme = null;

  function darkChart() {
    if (!darkTheme) {
      var group = document.getElementById(SWITCH_ID);
      var json = group && group.getAttribute("data-dark-chart");
      if (json) {
        try {
          darkTheme = JSON.parse(json);
        } catch (e) {
          darkTheme = null;
        }
      }
    }
    return darkTheme;
  }

  function colourKey(value) {  // as app/figures/style.py's colour_key
    var key = value.trim().toLowerCase().replace(/\s+/g, "");
    if (/^#[0-9a-f]{3}$/.test(key)) {
      key = "#" + key[1] + key[1] + key[2] + key[2] + key[3] + key[3];
    }
    return key;
  }

  function swap(value, colours) {
    if (typeof value !== "string") {
      return value;
    }
    var key = colourKey(value);
    return Object.prototype.hasOwnProperty.call(colours, key) ? colours[key] : value;
  }

  // A copy of a figure's layout or trace with every colour swapped. Objects are copied; arrays of
  // colours are mapped, arrays of objects (traces, annotations, shapes) walked, data arrays shared.
  function recolour(value, colours, key) {
    var isColour = key !== undefined && COLOUR_KEY.test(key);
    if (Array.isArray(value)) {
      if (isColour) {
        return value.map(function (v) { return swap(v, colours); });
      }
      if (value.length && value[0] !== null && typeof value[0] === "object" && !Array.isArray(value[0])) {
        return value.map(function (v) { return recolour(v, colours); });
      }
      return value;
    }
    if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
      var out = {};
      for (var k in value) {
        if (Object.prototype.hasOwnProperty.call(value, k)) {
          out[k] = recolour(value[k], colours, k);
        }
      }
      return out;
    }
    return isColour ? swap(value, colours) : value;
  }

  function darkLayout(layout, dark) {
    var out = recolour(layout || {}, dark.colours);
    out.font = Object.assign({}, out.font);
    if (!out.font.color) {
      out.font.color = dark.font;
    }
    var axes = Object.keys(out).filter(function (k) { return AXIS_KEY.test(k); });
    ["xaxis", "yaxis"].forEach(function (k) {
      if (axes.indexOf(k) < 0) {
        axes.push(k);
      }
    });
    axes.forEach(function (k) {
      var axis = Object.assign({}, out[k]);
      Object.keys(dark.axis).forEach(function (attr) {
        if (!axis[attr]) {
          axis[attr] = dark.axis[attr];
        }
      });
      out[k] = axis;
    });
    if (typeof out.hovermode === "string" && out.hovermode.indexOf("unified") >= 0) {
      // Plotly paints a unified hover box white behind a transparent chart.
      out.hoverlabel = Object.assign({}, dark.hoverlabel, out.hoverlabel);
    }
    return out;
  }

  // (data, layout) as Plotly should draw them in the current theme, or null to draw as given.
  function themed(data, layout) {
    if (theme !== "dark") {
      return null;
    }
    var dark = darkChart();
    if (!dark) {
      return null;
    }
    return { data: recolour(data || [], dark.colours), layout: darkLayout(layout, dark) };
  }

  // What the user changed on a drawn chart that a redraw should keep: zoom and hidden traces.
  function keepView(source, gd) {
    var layout = Object.assign({}, source.layout);
    var now = gd.layout || {};
    Object.keys(now).forEach(function (k) {
      if (AXIS_KEY.test(k) && now[k] && now[k].autorange === false && now[k].range) {
        layout[k] = Object.assign({}, layout[k], { autorange: false, range: now[k].range.slice() });
      }
    });
    var data = (source.data || []).map(function (trace, i) {
      var drawn = gd.data && gd.data[i];
      return drawn && drawn.visible !== undefined ? Object.assign({}, trace, { visible: drawn.visible }) : trace;
    });
    return { data: data, layout: layout };
  }

  var plotly = null;
  var originalReact = null;

  // Plotly.react(gd, data, layout, config) or Plotly.react(gd, {data, layout, frames, config}).
  function themedReact(gd, data, layout, config) {
    var figure = data && !Array.isArray(data) && typeof data === "object"
      ? data
      : { data: data, layout: layout, config: config };
    var element = typeof gd === "string" ? document.getElementById(gd) : gd;
    if (element) {
      element.__copilotFigure = { data: figure.data, layout: figure.layout };
    }
    var drawn = themed(figure.data, figure.layout);
    if (!drawn) {
      return originalReact.call(plotly, gd, figure);
    }
    return originalReact.call(plotly, gd, Object.assign({}, figure, drawn));
  }

  function redrawCharts() {
    if (!plotly) {
      return;
    }
    var graphs = document.querySelectorAll(".js-plotly-plot");
    for (var i = 0; i < graphs.length; i++) {
      var gd = graphs[i];
      var source = gd.__copilotFigure || { data: gd.data, layout: gd.layout };
      if (!gd._fullLayout) {
        continue;  // not drawn yet: dcc.Graph's own draw will be themed
      }
      var figure = keepView(source, gd);
      themedReact(gd, figure);
    }
  }

  function wrapPlotly() {
    var P = window.Plotly;
    if (!P || P.__copilotThemed || typeof P.react !== "function") {
      return;
    }
    plotly = P;
    originalReact = P.react;
    P.react = themedReact;
    P.__copilotThemed = true;
  }

  // The switch and the first charts appear when the renderer draws the layout.
  var seenSwitch = null;
  var observer = new MutationObserver(function () {
    var group = document.getElementById(SWITCH_ID);
    if (group && group !== seenSwitch) {
      seenSwitch = group;
      syncSwitch(false);
      if (theme === "dark") {
        redrawCharts();  // charts drawn before the switch (and its colours) existed
      }
    }
  });

  function start() {
    wrapPlotly();
    syncSwitch(false);
    observer.observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

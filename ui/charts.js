// The in-place Plotly chart component (ui/charts.py mounts it with st.components.v2).
// Runs in the app's page (not a frame). Called again with new data on every rerun that changed
// the figure; the plot's div lives in the component's own element between calls.

const LOADING = "__gdPlotlyLoading";

// plotly.js once per browser tab. A failed load is forgotten (its script tag removed), so the next
// rerun tries again.
function plotly(src) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window[LOADING]) {
    window[LOADING] = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      const fail = () => {
        window[LOADING] = null;
        script.remove();
        reject(new Error(`plotly.js did not load from ${src}`));
      };
      script.src = src;
      script.async = true;
      script.onload = () => (window.Plotly ? resolve(window.Plotly) : fail());
      script.onerror = fail;
      document.head.appendChild(script);
    });
  }
  return window[LOADING];
}

// Light text means a dark theme. Colours arrive as #rgb, #rrggbb or rgb()/rgba().
function isDark(textColor) {
  let rgb = (textColor.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
  if (textColor.startsWith("#")) {
    const hex = textColor.length === 4 ? [...textColor.slice(1)].map(c => c + c).join("") : textColor.slice(1, 7);
    rgb = [0, 2, 4].map(i => parseInt(hex.slice(i, i + 2), 16));
  }
  return rgb.length === 3 && (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) > 140;
}

// Streamlit's theme, as the CSS variables it sets on every component, applied where the
// figure leaves a value open: the figure's own colours always win.
function themed(layout, element) {
  const css = getComputedStyle(element);
  const read = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const text = read("--st-text-color", "#31333f");
  const font = read("--st-font", "sans-serif");
  const grid = read("--st-border-color-light", "rgba(128,128,128,0.25)");
  const background = read("--st-background-color", "#ffffff");
  const panel = read("--st-secondary-background-color", "rgba(128,128,128,0.15)");
  const out = {...layout, autosize: true};
  out.font = {family: font, color: text, ...(layout.font || {})};
  out.paper_bgcolor = layout.paper_bgcolor || "rgba(0,0,0,0)";
  out.plot_bgcolor = layout.plot_bgcolor || "rgba(0,0,0,0)";
  out.hoverlabel = {bgcolor: background, bordercolor: grid, font: {family: font, color: text},
                    ...(layout.hoverlabel || {})};
  out.legend = {font: {color: text}, ...(layout.legend || {})};
  // automargin as Streamlit's own Plotly theme sets it: tick labels never cut off at a phone's width.
  for (const name of ["xaxis", "yaxis", ...Object.keys(layout).filter(k => /^[xy]axis\d+$/.test(k))]) {
    out[name] = {automargin: true, gridcolor: grid, zerolinecolor: grid, linecolor: grid, ...(layout[name] || {})};
  }
  for (const name of Object.keys(layout).filter(k => /^scene\d*$/.test(k))) {
    const scene = {...layout[name]};
    // A 3D box needs firm, opaque grid lines to read depth (WebGL blends translucent ones badly);
    // its walls take the page's own colour, so only the lines show.
    const lines = isDark(text) ? "#506784" : "#dfe8f3";
    for (const axis of ["xaxis", "yaxis", "zaxis"]) {
      scene[axis] = {gridcolor: lines, zerolinecolor: lines, linecolor: lines, showbackground: true,
                     backgroundcolor: background, ...(scene[axis] || {})};
    }
    out[name] = scene;
  }
  // Play / Pause and the step slider: the app's panel colour instead of plotly.js's light grey.
  if (layout.updatemenus) {
    out.updatemenus = layout.updatemenus.map(menu => ({bgcolor: panel, bordercolor: grid, ...menu,
                                                       font: {color: text, ...(menu.font || {})}}));
  }
  if (layout.sliders) {
    out.sliders = layout.sliders.map(slider => ({bgcolor: panel, bordercolor: grid, activebgcolor: grid,
                                                 tickcolor: text, ...slider,
                                                 font: {color: text, ...(slider.font || {})}}));
  }
  return out;
}

const PROBLEM = "This chart could not be drawn (plotly.js did not load or failed). Reload the page to try again.";

function showProblem(plot, message) {
  if (!plot.parentElement) return;
  let note = plot.parentElement.querySelector(".gd-chart-problem");
  if (!note) {
    note = document.createElement("p");
    note.className = "gd-chart-problem";
    note.setAttribute("role", "status");
    plot.after(note);
  }
  note.textContent = message;
}

export default function ({data, parentElement}) {
  if (!parentElement.isConnected) return;  // already replaced by a newer render
  let plot = parentElement.querySelector(".gd-chart");
  if (!plot) {
    plot = document.createElement("div");
    plot.className = "gd-chart";
    plot.setAttribute("role", "figure");
    parentElement.appendChild(plot);
    // Follow the column's width (sidebar opened, phone turned, a hidden tab shown); a plot that is
    // not displayed (hidden tab, page being left) cannot be resized and is skipped.
    plot.__gdResize = new ResizeObserver(() => {
      if (!plot.data || !window.Plotly || !plot.isConnected || plot.offsetParent === null) return;
      Promise.resolve(window.Plotly.Plots.resize(plot)).catch(() => {});
    });
    plot.__gdResize.observe(plot);
  }
  const figure = JSON.parse(data.figure);
  plot.setAttribute("aria-label", data.label);
  plot.style.height = (figure.layout.height || 450) + "px";
  const run = (plot.__gdRun || 0) + 1;
  plot.__gdRun = run;  // only the newest figure is drawn, and none once the chart has left the page
  plotly(data.src).then(Plotly => {
    if (plot.__gdRun !== run || !plot.isConnected) return;
    return Plotly.react(plot, {data: figure.data, layout: themed(figure.layout, parentElement),
                               frames: figure.frames || [], config: data.config})
      .then(() => plot.parentElement?.querySelector(".gd-chart-problem")?.remove());
  }).catch(error => {
    if (!plot.isConnected) return;
    console.error("chart not drawn:", error);
    if (window.Plotly) window.Plotly.purge(plot);
    showProblem(plot, PROBLEM);
  });
  // Streamlit calls this when the chart leaves the page: free its WebGL context (a 3D scene holds
  // one, and browsers allow few) and stop a pending draw. A plot still on the page was only
  // superseded by a newer figure: keep it.
  return () => {
    if (plot.isConnected) return;
    plot.__gdRun = -1;
    plot.__gdResize.disconnect();
    if (window.Plotly) window.Plotly.purge(plot);
  };
}

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

function textColour(element) {
  return getComputedStyle(element).getPropertyValue("--st-text-color").trim() || "#31333f";
}

// Streamlit's theme, as the CSS variables it sets on every component, applied where the
// figure leaves a value open: the figure's own colours always win.
function themed(layout, element) {
  const css = getComputedStyle(element);
  const read = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const text = textColour(element);
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
  // The "step N" label keeps the text colour even when a long run hides the tick labels (a
  // transparent slider font): plotly.js would otherwise draw the current value transparent too.
  if (layout.sliders) {
    out.sliders = layout.sliders.map(slider => ({bgcolor: panel, bordercolor: grid, activebgcolor: grid,
                                                 tickcolor: text, ...slider,
                                                 font: {color: text, ...(slider.font || {})},
                                                 currentvalue: {...(slider.currentvalue || {}),
                                                   font: {color: text, ...((slider.currentvalue || {}).font || {})}}}));
  }
  return out;
}

// The palette's ink (core.figures.palette.INK, sent with the figure) in the theme's text colour: a run
// drawn in plain black vanished on the dark theme. Lines, markers and the coloured mark of a chart's note.
function inked(figure, inkColour, text) {
  const ink = value => (value === inkColour ? text : value);
  const data = figure.data.map(trace => ({
    ...trace,
    ...(trace.line ? {line: {...trace.line, color: ink(trace.line.color)}} : {}),
    ...(trace.marker ? {marker: {...trace.marker, color: ink(trace.marker.color)}} : {}),
  }));
  const notes = (figure.layout.annotations || []).map(note =>
    (typeof note.text === "string" ? {...note, text: note.text.split(`color:${inkColour}`).join(`color:${text}`)} : note));
  return {...figure, data, layout: figure.layout.annotations ? {...figure.layout, annotations: notes} : figure.layout};
}

// --- accessibility ------------------------------------------------------------------------

// Reduced motion (the student's system setting): Play shows the whole path at once instead of
// stepping through it on a timer; the slider and the arrow keys still move one step at a time.
function reducedMotion(layout) {
  const slider = (layout.sliders || [])[0];
  if (!layout.updatemenus || !slider || !slider.steps.length) return layout;
  if (!window.matchMedia("(prefers-reduced-motion: reduce)").matches) return layout;
  const last = slider.steps[slider.steps.length - 1];
  const play = button => button.method === "animate" && button.args && button.args[0] === null;
  const whole = button => ({...button, label: "⏭ Whole path",
                            args: [last.args[0], {...last.args[1], mode: "immediate", transition: {duration: 0}}]});
  const menus = layout.updatemenus.map(menu => ({...menu, buttons: (menu.buttons || []).map(b => (play(b) ? whole(b) : b))}));
  return {...layout, updatemenus: menus};
}

// Plotly draws Play / Pause and the step slider as SVG with mouse handlers only. Each becomes a
// keyboard control with a role and a name: the buttons take Enter and Space; the slider takes the
// arrow keys, Home / End and Page Up / Down and runs that step's own command (as a click on it
// would). Redone after every redraw, so the slider's value never goes stale.
const SLIDER_KEYS = {ArrowRight: 1, ArrowUp: 1, ArrowLeft: -1, ArrowDown: -1, PageUp: 10, PageDown: -10};

function keyButton(element, name) {
  element.setAttribute("tabindex", "0");
  element.setAttribute("role", "button");
  element.setAttribute("aria-label", name);
  if (element.__gdKeys) return;
  element.__gdKeys = true;
  element.addEventListener("keydown", event => {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    element.dispatchEvent(new MouseEvent("click", {bubbles: true}));
  });
}

function keyboardControls(plot) {
  playBeforeSlider(plot);
  // The mode bar (download as PNG, zoom, reset the view) and Play / Pause.
  for (const button of plot.querySelectorAll(".modebar-btn")) keyButton(button, button.dataset.title || "chart tool");
  // Named by their words only ("Play", "Pause"): a screen reader would read the ▶ and ❚❚ aloud.
  for (const button of plot.querySelectorAll(".updatemenu-button")) {
    keyButton(button, button.textContent.replace(/[^A-Za-z ]/g, "").trim());
  }
  const options = plot._fullLayout && plot._fullLayout.sliders && plot._fullLayout.sliders[0];
  const slider = plot.querySelector(".slider-container");
  if (!options || !slider || !options.steps.length) return;
  const active = Math.min(Math.max(options.active || 0, 0), options.steps.length - 1);
  slider.setAttribute("tabindex", "0");
  slider.setAttribute("role", "slider");
  slider.setAttribute("aria-label", "Step shown");
  slider.setAttribute("aria-valuemin", "0");
  slider.setAttribute("aria-valuemax", String(options.steps.length - 1));
  slider.setAttribute("aria-valuenow", String(active));
  slider.setAttribute("aria-valuetext", `step ${options.steps[active].label}`);
  if (slider.__gdKeys) return;
  slider.__gdKeys = true;
  slider.addEventListener("keydown", event => {
    const current = plot._fullLayout.sliders[0];
    const last = current.steps.length - 1;
    let index = current.active || 0;
    if (event.key in SLIDER_KEYS) index += SLIDER_KEYS[event.key];
    else if (event.key === "Home") index = 0;
    else if (event.key === "End") index = last;
    else return;
    event.preventDefault();
    const step = current.steps[Math.min(Math.max(index, 0), last)];
    Promise.resolve(window.Plotly[step.method](plot, ...step.args)).then(() => keyboardControls(plot), () => {});
  });
}

// Tab reaches Play / Pause before the step slider, in the order they are read (Play sits left of it):
// plotly.js draws sliders in its info layer, which comes before its menu layer, so the slider came first.
// The menu layer moves once per plot, ahead of the info layer; nothing of the two overlaps on screen.
function playBeforeSlider(plot) {
  const info = plot.querySelector(".infolayer");
  const menus = plot.querySelector(".menulayer");
  if (!info || !menus || info.parentNode !== menus.parentNode) return;
  if (info.compareDocumentPosition(menus) & Node.DOCUMENT_POSITION_FOLLOWING) info.parentNode.insertBefore(menus, info);
}

// Keep the controls' roles and values up to date after every draw, step and slider move.
function followRedraws(plot) {
  if (plot.__gdFollowing) return;
  plot.__gdFollowing = true;
  for (const name of ["plotly_afterplot", "plotly_animated", "plotly_sliderchange"]) {
    plot.on(name, () => keyboardControls(plot));
  }
  plot.on("plotly_animationinterrupted", () => { window.__gdInterruptedAt = performance.now(); });
  quietInterruptedAnimations();
}

// Pause, or a step picked while Play runs, interrupts the running animation: plotly.js then
// rejects that animation's promise with no reason, and its own Play button leaves it uncaught,
// an error in the page for nothing that went wrong. Only such a rejection, right after an
// interruption, is marked handled.
function quietInterruptedAnimations() {
  if (window.__gdQuietInterrupts) return;
  window.__gdQuietInterrupts = true;
  window.addEventListener("unhandledrejection", event => {
    const recent = performance.now() - (window.__gdInterruptedAt ?? -Infinity) < 2000;
    if (event.reason === undefined && recent) event.preventDefault();
  });
}

// --- touch: a swipe over a 3D scene scrolls the page --------------------------------------------

// plotly.js turns a 3D scene with any finger that moves on its canvas, and its touchmove handler
// cancels the page's scrolling: on a phone the bowl's canvas (most of the screen's height) could
// not be scrolled past. Here a one-finger swipe that sets off more up or down than sideways is
// kept from the scene (a capturing listener stops it on the way down), so the browser scrolls the
// page; one that sets off sideways turns the bowl as before, and tilts it too once it turns. The
// first TOUCH_SLOP px decide, and the scene stays still until then. Two fingers are left to
// plotly.js. (tests/browser/test_surface_touch_browser.py swipes with real touch events.)
const TOUCH_SLOP = 8;

function scrollPastScenes(plot) {
  if (plot.__gdTouch) return;
  plot.__gdTouch = true;
  let gesture = null;  // {x, y, scroll}: scroll is null until the swipe's direction decides it
  const onScene = event => event.target instanceof Element && event.target.closest(".gl-container") !== null;
  const options = {capture: true, passive: true};
  plot.addEventListener("touchstart", event => {
    if (event.touches.length === 1 && onScene(event)) {
      gesture = {x: event.touches[0].clientX, y: event.touches[0].clientY, scroll: null};
    } else if (gesture && gesture.scroll === null) {
      gesture.scroll = false;  // a second finger: the scene's
    }
  }, options);
  plot.addEventListener("touchmove", event => {
    if (!gesture || gesture.scroll === false) return;
    if (gesture.scroll === null) {
      const dx = event.touches[0].clientX - gesture.x;
      const dy = event.touches[0].clientY - gesture.y;
      if (Math.max(Math.abs(dx), Math.abs(dy)) >= TOUCH_SLOP) gesture.scroll = Math.abs(dy) > Math.abs(dx);
    }
    if (gesture.scroll !== false) event.stopPropagation();
  }, options);
  const done = event => { if (event.touches.length === 0) gesture = null; };
  plot.addEventListener("touchend", done, options);
  plot.addEventListener("touchcancel", done, options);
}

// The chart's text alternative (built by core.words.chart_text): the figure's accessible
// description, read by screen readers and kept off the screen.
const VISUALLY_HIDDEN = "position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;"
  + "clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap;border:0";

function describe(plot, text) {
  let note = plot.__gdDescription;
  if (!note) {
    window.__gdDescriptions = (window.__gdDescriptions || 0) + 1;
    note = document.createElement("p");
    note.id = `gd-chart-description-${window.__gdDescriptions}`;
    note.className = "gd-chart-description";
    note.setAttribute("style", VISUALLY_HIDDEN);
    plot.before(note);
    plot.setAttribute("aria-describedby", note.id);
    plot.__gdDescription = note;
  }
  note.textContent = text || "";
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
  const figure = inked(JSON.parse(data.figure), data.ink, textColour(parentElement));
  plot.setAttribute("aria-label", data.label);
  describe(plot, data.description);
  plot.style.height = (figure.layout.height || 450) + "px";
  const run = (plot.__gdRun || 0) + 1;
  plot.__gdRun = run;  // only the newest figure is drawn, and none once the chart has left the page
  plotly(data.src).then(Plotly => {
    if (plot.__gdRun !== run || !plot.isConnected) return;
    return Plotly.react(plot, {data: figure.data, layout: reducedMotion(themed(figure.layout, parentElement)),
                               frames: figure.frames || [], config: data.config})
      .then(() => {
        followRedraws(plot);
        scrollPastScenes(plot);
        keyboardControls(plot);
        plot.parentElement?.querySelector(".gd-chart-problem")?.remove();
      });
  }).catch(error => {
    if (!plot.isConnected) return;
    console.error("chart not drawn:", error);
    if (window.Plotly) window.Plotly.purge(plot);
    plot.__gdFollowing = false;  // purge dropped the plot's event handlers
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

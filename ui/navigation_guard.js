// Fixes to how Streamlit moves between pages and addresses. ui/navigation_guard.py wraps this in a
// function of its own and ui/accessibility.py sends it in the page's style-sheet st.html element; it
// installs itself once per browser tab. Streamlit cleans that element with DOMPurify, which drops a
// script whose text has a less-than sign right before a letter, slash or exclamation mark: keep a
// space after it in comparisons (tests/ui/test_app_shell.py checks).
//
// 1. A page link clicked straight from a field that holds a typed value. A number or text field
//    applies its value when it loses the focus. A quick click or a tap on a page link takes the
//    focus and clicks at once: Streamlit then asks for the new page before the field has sent its
//    value, and the field's own request, naming the page being left, overrides the switch. The
//    student saw the value applied but stayed on the page. Here such a click waits until the run
//    that applies the field's value has finished — or a short while, when the value had not changed
//    and no run starts — and is then made again: the value first, then the page. (Not as soon as
//    that run starts: a page switch that interrupts it could leave the sidebar's controls half set.)
//
// 2. One history entry per action. A page switch writes the new page's address without the link's
//    parameters (Streamlit keeps only its own), and the app then writes the whole link: two entries
//    for one click, and Back landed on the bare one. Any address written before the student has
//    pressed or clicked anything since the first of an action replaces that first one. A lesson
//    stop on another page wrote the old page bare, then often the old page with the new stop, then
//    the new page, and Back landed on the old page with the new stop's note; leaving a tab by the
//    sidebar wrote the old page without its tab, then the new page, and Back landed on the old page
//    with the tab closed (teacher playtests).
//
// 3. Why a typed value was replaced (ui/typed_values.py) appears under its field, which on a phone
//    is often the last thing on screen: the new reason is scrolled into view, just enough.
//
// 4. Focus kept when the control a keyboard user pressed goes away. Next at the last step disables
//    itself, Predict and "Show the best rate" are replaced by what they reveal: the browser then drops
//    focus to the page's body, and the next Tab starts again at the top (keyboard playtest). While
//    the page changes after such a key press, a lost focus goes to the pressed control if it is back
//    and enabled, else to an enabled control beside it (Previous for Next), else to what now stands
//    where it stood.
//
// 5. The sidebar's ✕ buttons (one per extra data point) are named "Remove point N" for a screen
//    reader, which read each as "✕" (Streamlit's buttons take no separate accessible name).

const FIELD = '[data-testid="stNumberInputField"], [data-testid="stTextInputRootElement"] input';
const LINK = 'a[data-testid="stSidebarNavLink"], a[data-testid="stTopNavLink"], a[data-testid="stPageLink-NavLink"]';
const RECENT_MS = 400;  // a click this soon after a field lost the focus is the one that took it
const START_MS = 400;  // how long a click waits for the field's run to start
const FINISH_MS = 10000;  // and for that run to finish (a busy server), before it goes ahead anyway
const SETTLE_MS = 100;  // after the run, for the page to take the values it sent

function afterTheFieldsRun(then) {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app) {
    then();
    return;
  }
  let done = false;
  let started = false;
  let timer = null;
  const observer = new MutationObserver(() => {
    const state = app.getAttribute("data-test-script-state");
    if (state === "running" && !started) {
      started = true;
      clearTimeout(timer);
      timer = setTimeout(finish, FINISH_MS);
    } else if (started && state !== "running") {
      finish();
    }
  });
  function finish() {
    if (done) return;
    done = true;
    observer.disconnect();
    clearTimeout(timer);
    // Let the page draw what that run sent first: the page switch carries every control's value
    // as shown, and a control the run had just set must not go back with its old one.
    const idle = window.requestIdleCallback || (callback => setTimeout(callback, SETTLE_MS));
    requestAnimationFrame(() => setTimeout(() => idle(then, {timeout: 1000}), SETTLE_MS));
  }
  observer.observe(app, {attributes: true, attributeFilter: ["data-test-script-state"]});
  timer = setTimeout(finish, START_MS);
}

function guardPageLinks() {
  let leftAt = -Infinity;
  let replaying = false;
  document.addEventListener("focusout", event => {
    if (event.target instanceof Element && event.target.matches(FIELD)) leftAt = performance.now();
  }, true);
  document.addEventListener("click", event => {
    if (replaying || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest(LINK) : null;
    if (!link || performance.now() - leftAt > RECENT_MS) return;
    leftAt = -Infinity;
    event.preventDefault();
    event.stopImmediatePropagation();  // Streamlit's own handler sees the click made again below
    afterTheFieldsRun(() => {
      if (!link.isConnected) return;
      replaying = true;
      try {
        link.click();
      } finally {
        replaying = false;
      }
    });
  }, true);
}

function oneHistoryEntryPerAction() {
  // Addresses written without the student doing anything in between belong to one action: its
  // first gets a history entry, and each later one replaces it, whichever page it is for.
  let pushed = false;  // an address was pushed since the student's last action
  for (const type of ["pointerdown", "keydown", "popstate"]) {
    window.addEventListener(type, () => { pushed = false; }, true);
  }
  const push = history.pushState.bind(history);
  history.pushState = function (state, title, url) {
    const replace = pushed;
    pushed = true;
    return replace ? history.replaceState(state, title, url) : push(state, title, url);
  };
}

function nameRemoveButtons() {
  for (const button of document.querySelectorAll('[class*="st-key-ctl_remove_"] button:not([aria-label])')) {
    const key = [...button.closest('[class*="st-key-ctl_remove_"]').classList].find(name => name.startsWith("st-key-"));
    const index = Number(key.slice("st-key-ctl_remove_".length));
    if (Number.isInteger(index)) button.setAttribute("aria-label", `Remove point ${index + 1}`);
  }
}

function showTypedNotices() {
  new MutationObserver(records => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        const notice = node instanceof Element ? node.querySelector('.gd-typed-notice[role="status"]') : null;
        if (notice) notice.scrollIntoView({block: "nearest"});
      }
    }
    nameRemoveButtons();
  }).observe(document.body, {subtree: true, childList: true});
}

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]),' +
  ' a[href], [tabindex="0"]';

const WATCH_MS = 30000;  // how long after a key press a lost focus is put back (a slow server's run)

function keepFocusThroughReruns() {
  // Not timed from the app's "running" state: a slow device can take a whole quick run in one render,
  // and the state then never changes in the page (CI, CPU throttled 16×). Each change to the page
  // after the key press is a moment to look instead, until the student's next key press or click.
  let watch = null;
  const stop = () => {
    if (!watch) return;
    watch.observer.disconnect();
    clearTimeout(watch.timer);
    watch = null;
  };
  document.addEventListener("pointerdown", stop, true);
  document.addEventListener("keydown", event => {
    stop();
    if (event.key !== "Enter" && event.key !== " ") return;
    const control = event.target instanceof Element ? event.target.closest('button, [role="button"], input') : null;
    const container = control ? control.closest('[data-testid="stElementContainer"]') : null;
    if (!control || !container || !container.parentElement) return;
    const region = control.closest('[data-testid="stMain"], [data-testid="stSidebar"]');
    // A form goes as a whole (Predict's): what replaces it starts where the form did, above the button.
    const replaced = control.closest('[data-testid="stForm"]') || container;
    const was = {control, container, block: container.parentElement, region,
                 top: replaced.getBoundingClientRect().top + window.scrollY};
    let queued = false;
    const observer = new MutationObserver(() => {
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        restore(was);
      });
    });
    observer.observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ["disabled"]});
    watch = {observer, timer: setTimeout(stop, WATCH_MS)};
  }, true);
}

function shown(element) {
  return element.getClientRects().length > 0;  // a hidden one (a heading's link, display: none) takes no focus
}

function lost() {
  const active = document.activeElement;
  // A button that disabled itself may keep the focus until the browser's next style pass.
  return !active || active === document.body || active === document.documentElement || active.disabled === true;
}

function restore(was) {
  if (!lost()) return;  // focus is somewhere: leave it
  // Each candidate in turn, until one takes the focus (a node React is about to swap out may not).
  for (const candidate of candidates(was)) {
    candidate.focus();
    if (!lost()) return;
  }
}

function* candidates(was) {
  if (was.control.isConnected && !was.control.disabled) yield was.control;
  if (was.container.isConnected) {
    // Beside it: an enabled control of the same row (the row is the container's block's parent).
    const row = was.container.closest('[data-testid="stHorizontalBlock"], [data-testid="stLayoutWrapper"]') ||
      was.block;
    yield* [...row.querySelectorAll(FOCUSABLE)].filter(shown);
  }
  // Replaced: what now stands where it stood (the revealed answer), made focusable if it is text.
  if (!was.region || !was.region.isConnected) return;
  const here = [...was.region.querySelectorAll('[data-testid="stElementContainer"]')].find(element =>
    element.offsetParent !== null && element.getBoundingClientRect().bottom + window.scrollY > was.top + 4);
  if (!here) return;
  // A chart redraws its own controls after the run: the chart as a whole (its name, its description) instead.
  yield* [...here.querySelectorAll(FOCUSABLE)].filter(element => shown(element) && !element.closest(".gd-chart"));
  // Text: its first heading, paragraph or alert takes the focus (a wrapper may have no box of its own).
  const text = here.querySelector('h1, h2, h3, h4, p, [role="alert"], [role="figure"]') || here;
  text.setAttribute("tabindex", "-1");
  yield text;
}

if (!window.__gdNavigationGuard) {
  window.__gdNavigationGuard = true;
  guardPageLinks();
  oneHistoryEntryPerAction();
  showTypedNotices();
  keepFocusThroughReruns();
}

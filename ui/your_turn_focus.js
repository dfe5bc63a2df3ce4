// After Enter the page reruns and the browser drops focus: put it back in the answer field.
// ui/your_turn.py adds this script only on the run right after a check, so it never pulls a
// student who tabbed elsewhere; it waits (up to ~2 s) for the field to be drawn and enabled.
let tries = 0;
const focus = () => {
  const field = document.querySelector('[data-testid="stForm"] input[type="text"]');
  if (field && !field.disabled) { field.focus(); return; }
  if (++tries < 40) setTimeout(focus, 50);
};
setTimeout(focus, 30);

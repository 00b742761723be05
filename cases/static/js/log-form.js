/* The session-log form: a pattern's note box shows only once the pattern is ticked.
 *
 * Each pattern sits in a [data-pattern-row] holding its checkbox and, in [data-pattern-note],
 * the note input (templates/cases/log_form.html). Without this script every note box shows
 * and the form works the same: the server still refuses a note on an unticked pattern. A box
 * that already holds text or an error stays visible, so nothing written is ever hidden.
 * The checkbox says which box it opens (aria-controls) and whether it is open
 * (aria-expanded); a hidden box is out of the tab order. No inline script: the CSP refuses it.
 */
(function () {
  "use strict";

  var rows = document.querySelectorAll("[data-pattern-row]");

  function keepsText(box) {
    var input = box.querySelector("input, textarea");
    return !!input && (input.value.trim() !== "" || input.classList.contains("is-invalid"));
  }

  Array.prototype.forEach.call(rows, function (row) {
    var tick = row.querySelector('input[type="checkbox"]');
    var box = row.querySelector("[data-pattern-note]");
    if (!tick || !box) {
      return;
    }

    function update() {
      var open = tick.checked || keepsText(box);
      box.hidden = !open;
      tick.setAttribute("aria-expanded", open ? "true" : "false");
    }

    tick.setAttribute("aria-controls", box.id);
    tick.addEventListener("change", update);
    update();
  });
})();

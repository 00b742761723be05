/* The idle-timeout warning.
 *
 * <body> carries the numbers (data-session-idle, -warn, -remaining: seconds) and where to go
 * once the session has ended (data-session-login-url). Shortly before the server would sign
 * the person out, a Bootstrap dialog (templates/supervision/_session_timeout.html) offers
 * "Stay signed in", which POSTs its form (CSRF token included) to the keep-alive endpoint.
 * When the time is up the page leaves for the log-in page, so notes do not stay on screen.
 * The server decides; this only warns. No inline script: the page's CSP refuses it.
 */
(function () {
  "use strict";

  var body = document.body;
  var modalElement = document.getElementById("session-timeout");
  if (!body.dataset.sessionRemaining || !modalElement || !window.bootstrap) {
    return;
  }

  var idle = parseInt(body.dataset.sessionIdle, 10);
  var warn = parseInt(body.dataset.sessionWarn, 10);
  var loginUrl = body.dataset.sessionLoginUrl;
  var form = modalElement.querySelector("[data-session-keep-alive]");
  var message = modalElement.querySelector("[data-session-message]");
  var modal = window.bootstrap.Modal.getOrCreateInstance(modalElement);
  // A little after the server's limit, so the server has certainly ended the session.
  var GRACE_MS = 3000;
  var deadline = 0;
  var warned = false;
  var leaving = false;

  function startClock(remainingSeconds) {
    deadline = Date.now() + remainingSeconds * 1000;
    warned = false;
  }

  function minutesLeft() {
    var minutes = Math.max(1, Math.round((deadline - Date.now()) / 60000));
    return minutes === 1 ? "about a minute" : "about " + minutes + " minutes";
  }

  function leave() {
    if (leaving) {
      return;
    }
    leaving = true;
    var next = window.location.pathname + window.location.search;
    window.location.assign(loginUrl + "?next=" + encodeURIComponent(next));
  }

  function tick() {
    var now = Date.now();
    if (now >= deadline + GRACE_MS) {
      leave();
    } else if (!warned && now >= deadline - warn * 1000) {
      warned = true;
      message.textContent =
        "To keep your notes private, you will be signed out in " + minutesLeft() +
        " unless you choose to stay signed in.";
      modal.show();
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      redirect: "manual",
      headers: { Accept: "application/json" }
    })
      .then(function (response) {
        if (response.status !== 200) {
          throw new Error("session ended");
        }
        return response.json();
      })
      .then(function (data) {
        startClock(typeof data.remaining === "number" ? data.remaining : idle);
        modal.hide();
      })
      .catch(leave);
  });

  startClock(parseInt(body.dataset.sessionRemaining, 10));
  // A timer that checks the clock survives a sleeping laptop better than one long timeout.
  window.setInterval(tick, 5000);
  document.addEventListener("visibilitychange", tick);
  tick();
})();

/* The idle limit in the page: activity, the warning, and keeping a form's text.
 *
 * <body> carries the numbers (data-session-idle, -warn, -remaining: seconds), where to go
 * once the session has ended (data-session-login-url) and where to keep a form's text
 * (data-session-keep-url). The server decides; this script only follows its clock.
 *
 * - Typing and clicking are activity. The server hears of it through the keep-alive
 *   endpoint, at most once a minute while she works (more often only when the idle limit
 *   is so short that a minute would let the warning open while she types), never from a
 *   page left alone, and the clock restarts from the server's answer.
 * - Shortly before the server would sign her out, a Bootstrap dialog
 *   (templates/accounts/_session_timeout.html) offers "Stay signed in", which POSTs its form
 *   (CSRF token included) to the keep-alive endpoint.
 * - A form marked data-keep-on-timeout="<key>" (and data-keep-object="<id>") that she has
 *   changed is sent to the server a little before the limit: the server keeps its fields as
 *   her kept draft and ends the session, and the page goes to the log-in page, after which
 *   the form page shows what was kept. The text never goes into the browser's storage.
 * - When the time is up the page leaves for the log-in page, so notes do not stay on screen.
 *
 * No inline script: the page's CSP refuses it.
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
  var keepUrl = body.dataset.sessionKeepUrl;
  var form = modalElement.querySelector("[data-session-keep-alive]");
  var message = modalElement.querySelector("[data-session-message]");
  var modal = window.bootstrap.Modal.getOrCreateInstance(modalElement);
  var keptForm = document.querySelector("form[data-keep-on-timeout]");
  // A little after the server's limit, so the server has certainly ended the session.
  var GRACE_MS = 3000;
  // Activity is told to the server at most this often: a minute, or less when the idle
  // limit leaves less than two minutes before the warning.
  var ACTIVITY_MS = Math.min(60, Math.max(5, Math.floor((idle - warn) / 2))) * 1000;
  // The form's text leaves this long before the limit: the clock is checked every 5 seconds
  // and the request needs a moment.
  var KEEP_BEFORE_MS = Math.min(15, Math.max(1, Math.floor(warn / 2))) * 1000;
  var deadline = 0;
  var lastContact = 0;
  var warned = false;
  var leaving = false;
  var pinging = false;
  var dirty = false;
  var keeping = false;
  var keepTried = false;

  function startClock(remainingSeconds) {
    deadline = Date.now() + remainingSeconds * 1000;
    lastContact = Date.now();
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

  // POST and read the JSON answer; anything but 200 (a redirect to the log-in page: the
  // session has ended) is an error named "session ended".
  function post(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      redirect: "manual",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (response.status !== 200) {
        var error = new Error("session ended");
        error.sessionEnded = true;
        throw error;
      }
      return response.json();
    });
  }

  function keepAlive() {
    return post(form.action, new FormData(form)).then(function (data) {
      startClock(typeof data.remaining === "number" ? data.remaining : idle);
      modal.hide();
    });
  }

  function onActivity() {
    // While the dialog is open only its button counts: she answers it on purpose.
    if (warned || leaving || keeping || pinging) {
      return;
    }
    if (Date.now() - lastContact < ACTIVITY_MS) {
      return;
    }
    pinging = true;
    keepAlive()
      .catch(function (error) {
        // The session has ended (elsewhere, or the server's clock ran out first): as at
        // the limit. A network hiccup is ignored; the next activity tries again.
        if (error && error.sessionEnded) {
          leave();
        }
      })
      .then(function () {
        pinging = false;
      });
  }

  // Send the form's fields (with its CSRF token) to be kept, and go where the server says.
  // Should that fail, the page carries on as if there were no form to keep.
  function keep() {
    keeping = true;
    keepTried = true;
    var data = new FormData(keptForm);
    data.append("_keep_form", keptForm.dataset.keepOnTimeout);
    data.append("_keep_object", keptForm.dataset.keepObject || "0");
    post(keepUrl, data)
      .then(function (answer) {
        leaving = true;
        window.location.assign(answer.login || loginUrl);
      })
      .catch(function () {
        keeping = false;
        tick();
      });
  }

  function tick() {
    if (keeping || leaving) {
      return;
    }
    var now = Date.now();
    // Also when a laptop wakes past the limit: the server accepts a keep a little late.
    if (dirty && !keepTried && now >= deadline - KEEP_BEFORE_MS) {
      keep();
    } else if (now >= deadline + GRACE_MS) {
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
    keepAlive().catch(leave);
  });

  ["input", "keydown", "click", "change"].forEach(function (type) {
    document.addEventListener(type, onActivity, true);
  });

  if (keptForm && keepUrl) {
    var markDirty = function () {
      dirty = true;
      keepTried = false;
    };
    keptForm.addEventListener("input", markDirty);
    keptForm.addEventListener("change", markDirty);
    // Saving it: the page that answers decides what happens to the text.
    keptForm.addEventListener("submit", function () {
      dirty = false;
    });
  }

  startClock(parseInt(body.dataset.sessionRemaining, 10));
  // A timer that checks the clock survives a sleeping laptop better than one long timeout.
  window.setInterval(tick, 5000);
  document.addEventListener("visibilitychange", tick);
  tick();
})();

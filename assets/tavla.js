// Tavla's editor pages work without this script; it makes them kinder.
(function () {
  "use strict";

  // What a page has to say first (an error summary, a save, a problem) gets
  // the focus: a screen reader reads it, and the keyboard starts there.
  var first = document.querySelector("[data-focus]");
  if (first) {
    first.focus();
  }

  // A new notice shows only the chosen kind's fields. Without the script
  // both kinds' fields stay, and only the chosen kind's are read.
  var kind = document.querySelector("select[data-chooses-kind]");
  if (kind && !kind.disabled) {
    var showChosen = function () {
      var groups = document.querySelectorAll("fieldset[data-kind]");
      for (var i = 0; i < groups.length; i++) {
        var other = groups[i].getAttribute("data-kind") !== kind.value;
        groups[i].hidden = other;
        groups[i].disabled = other;
      }
    };
    kind.addEventListener("change", showChosen);
    showChosen();
  }

  // Before the session ends, a warning says when, with a button that
  // extends it without leaving the page (WCAG 2.2.1).
  var session = document.getElementById("okt");
  if (!session) {
    return;
  }
  var WARN_BEFORE = 5 * 60;
  var message = session.querySelector("[data-message]");
  var button = session.querySelector("button[data-extend]");
  var timer = null;
  var say = function (text, offerExtension) {
    session.hidden = false;
    message.textContent = text;
    button.hidden = !offerExtension;
  };
  var schedule = function (secondsLeft, warning) {
    clearTimeout(timer);
    timer = setTimeout(function () {
      say(warning, true);
    }, Math.max(0, secondsLeft - WARN_BEFORE) * 1000);
  };
  button.addEventListener("click", function () {
    var body = new URLSearchParams();
    body.append("csrf", session.getAttribute("data-csrf"));
    fetch("/admin/okt", { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        say(answer.message, false);
        schedule(answer.seconds_left, answer.warning);
      })
      .catch(function () {
        say(session.getAttribute("data-failed"), false);
      });
  });
  schedule(
    parseInt(session.getAttribute("data-seconds-left"), 10),
    session.getAttribute("data-warning")
  );
})();

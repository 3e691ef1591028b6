// A form sent back with errors: focus moves to its error summary, so a keyboard or screen
// reader user hears what to fix first, then follows its links to the fields.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();

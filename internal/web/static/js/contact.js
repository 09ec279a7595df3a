// The case page's contact flow: the promise-to-pay fields take input only
// when the outcome is a conversation (connected), which is what the server
// requires of a promise. The flow is swapped in by htmx, so the page
// listens on the document and sets the fields again after each swap. (No
// inline script: the CSP forbids it.)
(function () {
  function sync(form) {
    var outcome = form.querySelector('select[name="outcome"]');
    var box = form.querySelector("#contact-promise");
    if (!outcome || !box) {
      return;
    }
    var talked = outcome.value === "connected";
    box.disabled = !talked;
    box.hidden = !talked;
  }
  function syncAll() {
    var form = document.getElementById("contact-form");
    if (form) {
      sync(form);
    }
  }
  document.addEventListener("change", function (ev) {
    var form = ev.target.closest("#contact-form");
    if (form && ev.target.name === "outcome") {
      sync(form);
    }
  });
  document.addEventListener("htmx:afterSwap", syncAll);
  document.addEventListener("DOMContentLoaded", syncAll);
})();

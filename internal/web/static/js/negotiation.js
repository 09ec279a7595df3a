// Negotiation desk: the agreement page's print button (no inline script:
// the CSP forbids it).
document.addEventListener("click", function (ev) {
  var b = ev.target.closest("[data-print]");
  if (b) {
    ev.preventDefault();
    window.print();
  }
});

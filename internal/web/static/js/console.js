// Behaviour the console's pages used to carry inline. The
// Content-Security-Policy allows scripts from /static only, so pages mark
// elements with data- attributes and this file gives them their behaviour.
(function () {
  'use strict';

  // <input type="checkbox" data-select-all="#table-id"> ticks or clears
  // every checkbox in that table's body.
  document.addEventListener('change', function (e) {
    var box = e.target;
    if (!box.matches || !box.matches('input[type=checkbox][data-select-all]')) { return; }
    document.querySelectorAll(box.getAttribute('data-select-all') + ' tbody input[type=checkbox]').forEach(function (b) {
      b.checked = box.checked;
    });
  });

  // <a data-back href="/"> goes back one page when there is one to go back
  // to, and follows its href otherwise.
  document.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a[data-back]');
    if (a && window.history.length > 1) {
      e.preventDefault();
      window.history.back();
    }
  });

  // <form data-confirm="question"> asks before it is submitted.
  document.addEventListener('submit', function (e) {
    var f = e.target;
    if (f.matches && f.matches('form[data-confirm]') && !window.confirm(f.getAttribute('data-confirm'))) {
      e.preventDefault();
    }
  });
})();

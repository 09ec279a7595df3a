// Field-visit console (page_visit.go): select all requests, print the
// preparation pack, the phone's position for a check-in (with the typed
// fallback) and the outcome fields each outcome needs.
(function () {
  "use strict";

  document.addEventListener("change", function (ev) {
    var all = ev.target.closest("[data-select-all]");
    if (all) {
      var name = all.getAttribute("data-select-all");
      var form = all.form || document;
      form.querySelectorAll('input[type="checkbox"][name="' + name + '"]').forEach(function (c) {
        c.checked = all.checked;
      });
      return;
    }
    if (ev.target.classList.contains("outcome-kind")) {
      showKindFields(ev.target.form);
    }
  });

  document.addEventListener("click", function (ev) {
    if (ev.target.closest("[data-print]")) {
      window.print();
      return;
    }
    var btn = ev.target.closest("button.locate");
    if (btn) {
      locate(btn.form, btn);
    }
  });

  // locate fills the form's lat and lon from the browser's geolocation;
  // when the phone gives none, the agent types them.
  function locate(form, btn) {
    var status = form.querySelector(".geo-status");
    if (!navigator.geolocation) {
      status.textContent = btn.getAttribute("data-failed");
      return;
    }
    status.textContent = btn.getAttribute("data-locating");
    navigator.geolocation.getCurrentPosition(function (pos) {
      form.elements.lat.value = pos.coords.latitude.toFixed(6);
      form.elements.lon.value = pos.coords.longitude.toFixed(6);
      status.textContent = "±" + Math.round(pos.coords.accuracy) + " m";
      form.setAttribute("data-located", "1");
    }, function () {
      status.textContent = btn.getAttribute("data-failed");
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  }

  // showKindFields shows only the fields the chosen outcome needs.
  function showKindFields(form) {
    var kind = form.elements.kind.value;
    form.querySelectorAll("[data-for-kind]").forEach(function (el) {
      var kinds = el.getAttribute("data-for-kind").split(" ");
      el.hidden = kinds.indexOf(kind) < 0;
    });
  }

  function init() {
    document.querySelectorAll("form.outcome-form").forEach(showKindFields);
    document.querySelectorAll("form.checkin-form[data-geo]").forEach(function (form) {
      if (navigator.geolocation && !form.elements.lat.value) {
        locate(form, form.querySelector("button.locate"));
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

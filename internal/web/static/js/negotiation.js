// Negotiation desk: the agreement page's print button (no inline script:
// the CSP forbids it).
document.addEventListener("click", function (ev) {
  var b = ev.target.closest("[data-print]");
  if (b) {
    ev.preventDefault();
    window.print();
  }
});

// Negotiation desk: the assessment form's live numbers. While the form is
// filled, the server computes what saving it would record (the case's
// debt, the offer policy its offers would use) and nothing is saved.
(function () {
  var form = document.getElementById("assessment-form");
  var box = document.getElementById("live-numbers");
  if (!form || !box) {
    return;
  }
  var timer = null;
  var seq = 0;
  function set(id, text) {
    var el = document.getElementById(id);
    if (el) {
      el.textContent = text;
    }
  }
  function problem(j) {
    var parts = [j.detail || j.title || ""];
    (j.errors || []).forEach(function (e) {
      parts.push((e.location || "").replace(/^body\./, "") + ": " + (e.message || ""));
    });
    return parts.join(" ");
  }
  function update() {
    if (!form.elements["monthly_income"].value.trim()) {
      box.hidden = true;
      return;
    }
    var mine = ++seq;
    fetch(box.getAttribute("data-preview"), {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, j: j }; });
    }).then(function (res) {
      if (mine !== seq) {
        return;
      }
      box.hidden = false;
      if (!res.ok) {
        set("live-error", problem(res.j));
        return;
      }
      var p = res.j;
      set("live-error", "");
      set("live-expenses", p.essential_expenses);
      set("live-disposable", p.disposable_income);
      set("live-dsr", p.debt_service_ratio);
      set("live-sustainable", p.sustainable_payment);
      var list = document.getElementById("live-steps");
      list.textContent = "";
      p.steps.forEach(function (s) {
        var li = document.createElement("li");
        li.textContent = s;
        list.appendChild(li);
      });
    }).catch(function () {});
  }
  function later() {
    clearTimeout(timer);
    timer = setTimeout(update, 300);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();

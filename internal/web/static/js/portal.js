// The borrower portal's script (no inline scripts: CSP).
//  - The pay form fills the amount with the chosen loan's overdue amount.
//  - The chat page (/my/chat) posts its form in place (Accept:
//    application/json) and appends the turn; without script the form
//    posts and the page reloads with the answer.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var loan = document.getElementById("loan_id");
    var amount = document.getElementById("amount");
    if (loan && amount && document.getElementById("pay-form")) {
      loan.addEventListener("change", function () {
        var opt = loan.options[loan.selectedIndex];
        if (opt && opt.dataset.overdue) { amount.value = opt.dataset.overdue; }
      });
    }
    chat();
  });

  function bubble(log, end, cls, text, links) {
    var d = document.createElement("div");
    d.className = "p-msg " + cls;
    d.textContent = text;
    if (links && links.length) {
      var span = document.createElement("span");
      span.className = "p-msg-links";
      links.forEach(function (l) {
        var a = document.createElement("a");
        a.className = "p-msg-link link-" + l.kind;
        a.href = l.url;
        a.textContent = l.label;
        span.appendChild(a);
      });
      d.appendChild(span);
    }
    log.insertBefore(d, end);
  }

  function chat() {
    var form = document.getElementById("chat-form");
    var log = document.getElementById("chat-log");
    var end = document.getElementById("chat-end");
    if (!form || !log || !end || !window.fetch) { return; }
    end.scrollIntoView();
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var text = document.getElementById("chat-text");
      var send = document.getElementById("chat-send");
      if (!text.value.trim()) { return; }
      send.disabled = true;
      fetch(form.action, { method: "POST", credentials: "same-origin", headers: { "Accept": "application/json" },
        body: new URLSearchParams(new FormData(form)) })
        .then(function (resp) { return resp.json().then(function (body) { return { ok: resp.ok, body: body }; }); })
        .then(function (res) {
          if (!res.ok) { bubble(log, end, "p-msg-bot p-msg-error", res.body.error || "", null); return; }
          var hello = document.getElementById("chat-hello");
          if (hello) { hello.remove(); }
          bubble(log, end, "p-msg-me", res.body.turn.borrower, null);
          (res.body.turn.replies || []).forEach(function (r) { bubble(log, end, "p-msg-bot", r.text, r.links); });
          document.getElementById("chat-message-id").value = res.body.next_message_id;
          text.value = "";
          end.scrollIntoView();
        })
        .catch(function () { form.submit(); })
        .finally(function () { send.disabled = false; });
    });
  }
})();

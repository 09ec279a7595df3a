// The borrower portal's script (no inline scripts: CSP).
//  - The pay form fills the amount with the chosen loan's overdue amount.
//  - CHAT WIDGET: #chat-widget (in portal_layout.html, hidden) is where the
//    chatbot's widget mounts; it will post to data-endpoint
//    (POST /api/v1/bot/messages). Left for package chat to fill in.
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
  });
})();

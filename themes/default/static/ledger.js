// Ledger filters: show the rows of one year and one role. Without JavaScript the
// whole ledger shows and the filter form stays hidden.
(function () {
  "use strict";
  document.querySelectorAll("form.ledger-filter").forEach(function (form) {
    var table = document.getElementById(form.dataset.ledger);
    if (!table) { return; }
    form.hidden = false;
    var status = document.createElement("p");
    status.className = "meta ledger-status";
    status.setAttribute("role", "status");
    form.after(status);
    function apply() {
      var year = form.elements.year ? form.elements.year.value : "";
      var role = form.elements.role ? form.elements.role.value : "";
      var shown = 0;
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        var ok = (!year || tr.dataset.year === year) && (!role || tr.dataset.role === role);
        tr.hidden = !ok;
        if (ok) { shown += 1; }
      });
      status.textContent = "显示 " + shown + " 项任务";
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
    apply();
  });
})();

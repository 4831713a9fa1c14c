// The competitions index: sort by a column (click its heading) and filter by platform
// and year. Without this script the page is the same table, newest mention first.
(() => {
  "use strict";
  const table = document.querySelector("table.wkn-competitions");
  const form = document.querySelector("form.wkn-competition-filters");
  if (!table || !form) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const count = form.querySelector("output");
  const value = (row, index) => {
    const cell = row.cells[index];
    return cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
  };

  const filter = () => {
    const platform = form.elements.platform.value;
    const year = form.elements.year.value;
    let shown = 0;
    for (const row of rows) {
      const visible =
        (!platform || row.dataset.platform === platform) &&
        (!year || row.dataset.years.split(" ").includes(year));
      row.hidden = !visible;
      if (visible) shown += 1;
    }
    count.textContent = `${shown} / ${rows.length}`;
  };

  table.querySelectorAll("th[data-sort]").forEach((heading, index) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "wkn-sort";
    button.textContent = heading.textContent;
    heading.textContent = "";
    heading.append(button);
    heading.setAttribute("aria-sort", "none");
    button.addEventListener("click", () => {
      const ascending = heading.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("th[data-sort]").forEach((other) => other.setAttribute("aria-sort", "none"));
      heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const numeric = heading.dataset.sort === "number";
      const sorted = rows.slice().sort((a, b) => {
        const x = value(a, index);
        const y = value(b, index);
        const order = numeric ? Number(x) - Number(y) : x.localeCompare(y, "ja");
        return ascending ? order : -order;
      });
      body.append(...sorted);
    });
  });

  form.hidden = false;
  form.addEventListener("change", filter);
  form.addEventListener("submit", (event) => event.preventDefault());
  filter();
})();

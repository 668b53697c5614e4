// "Add another" for a Django formset: a button with data-formset-add="<prefix>" appends a copy
// of the formset's empty form (kept in the <template> named by data-template) to the element
// named by data-target, numbered by the management form's TOTAL_FORMS, which it then raises.
// Without JavaScript the button stays hidden and the page still works.
document.querySelectorAll("[data-formset-add]").forEach((button) => {
  const prefix = button.dataset.formsetAdd;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const max = document.getElementById(`id_${prefix}-MAX_NUM_FORMS`);
  const template = document.getElementById(button.dataset.template);
  const target = document.getElementById(button.dataset.target);
  if (!total || !template || !target) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    const index = Number(total.value);
    if (max && index >= Number(max.value)) return;
    const html = template.innerHTML.replaceAll("__prefix__", String(index));
    target.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const added = target.lastElementChild;
    const first = added && added.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  });
});

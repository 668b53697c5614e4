// Buttons marked data-print open the browser's print dialogue (scorecards, public pages).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

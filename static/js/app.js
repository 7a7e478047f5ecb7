// After a failed save, move focus to the error summary so that keyboard and screen-reader users
// hear what is wrong first (role="alert" alone is not reliably read on a full page load).
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
});

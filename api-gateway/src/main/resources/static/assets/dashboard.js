// Sends the CSRF token with every htmx request (the page's forms carry it as a hidden field).
document.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector('meta[name="_csrf"]');
  var header = document.querySelector('meta[name="_csrf_header"]');
  if (token && header) {
    event.detail.headers[header.content] = token.content;
  }
});

// Forms marked data-confirm ask first; the text says what will be lost.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

// A restore's start button stays disabled until the database name is typed exactly.
document.addEventListener("input", function (event) {
  var input = event.target;
  var expected = input.getAttribute && input.getAttribute("data-must-equal");
  if (expected === null || expected === undefined) {
    return;
  }
  var button = document.getElementById(input.getAttribute("data-enables"));
  if (button) {
    button.disabled = input.value !== expected;
  }
});

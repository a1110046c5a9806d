(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("gs-data").textContent);
  var sheet = document.querySelector(".gs-sheet");
  var NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

  // A number typed by a student: digits, one point (or comma), an exponent. Never eval.
  function readNumber(text) {
    var t = String(text).trim().replace(/\u2212/g, "-").replace(/\s+/g, "");
    if (t.indexOf(",") >= 0 && t.indexOf(".") < 0) { t = t.replace(",", "."); }
    if (!NUMBER.test(t)) { return null; }
    var value = Number(t);
    return isFinite(value) ? value : null;
  }

  // The rule of graphstep.exercises.model.is_close.
  function isClose(answer, truth, tolerance) {
    return Math.abs(answer - truth) <= tolerance * Math.abs(truth) + 1e-9;
  }

  function boxesOf(n) {
    return Array.prototype.filter.call(sheet.querySelectorAll("rect.gs-blank"), function (box) {
      return (" " + box.getAttribute("data-q") + " ").indexOf(" " + n + " ") >= 0;
    });
  }

  function mark(n, state) {
    var item = document.getElementById("gs-q" + n);
    var input = item.querySelector("input");
    var feedback = item.querySelector(".gs-feedback");
    input.classList.remove("gs-right", "gs-wrong");
    feedback.className = "gs-feedback";
    if (state === "right") {
      input.classList.add("gs-right"); feedback.classList.add("gs-right"); feedback.textContent = "\u2713 right";
    } else if (state === "wrong") {
      input.classList.add("gs-wrong"); feedback.classList.add("gs-wrong"); feedback.textContent = "\u2717 not yet";
    } else if (state === "unread") {
      feedback.classList.add("gs-unread"); feedback.textContent = "a number, please";
    } else {
      feedback.textContent = "";
    }
    boxesOf(n).forEach(function (box) {
      var inputs = box.getAttribute("data-q").split(" ").map(function (k) {
        return document.querySelector("#gs-q" + k + " input");
      });
      var all = inputs.every(function (i) { return i.classList.contains("gs-right"); });
      var any = inputs.some(function (i) { return i.classList.contains("gs-wrong"); });
      box.classList.toggle("gs-right", all);
      box.classList.toggle("gs-wrong", any);
    });
    summary();
  }

  function check(n) {
    var q = data.questions[n - 1];
    var input = document.querySelector("#gs-q" + n + " input");
    if (input.value.trim() === "") { mark(n, "empty"); return; }
    var value = readNumber(input.value);
    if (value === null) { mark(n, "unread"); return; }
    mark(n, isClose(value, q.answer, q.tolerance) ? "right" : "wrong");
  }

  function summary() {
    var out = document.querySelector(".gs-summary");
    if (!out) { return; }
    var right = sheet.querySelectorAll(".gs-questions input.gs-right").length;
    out.textContent = right + " of " + data.questions.length + " right";
  }

  function showStep(n) {
    var q = data.questions[n - 1];
    var figure = document.querySelector("#gs-q" + n + " .gs-step");
    var img = figure.querySelector("img");
    if (!img.getAttribute("src")) { img.setAttribute("src", data.frames[q.frame]); }
    var open = figure.classList.toggle("gs-open");
    document.querySelector("#gs-q" + n + " button.gs-show").textContent = open ? "hide the step" : "show the step";
  }

  function focusQuestion(n) {
    var input = document.querySelector("#gs-q" + n + " input");
    if (input) { input.focus(); }
  }

  Array.prototype.forEach.call(sheet.querySelectorAll(".gs-questions li"), function (item) {
    var n = Number(item.getAttribute("data-n"));
    var input = item.querySelector("input");
    input.addEventListener("focus", function () { item.classList.add("gs-current"); });
    input.addEventListener("blur", function () { item.classList.remove("gs-current"); });
    if (!data.answers) { return; }
    input.addEventListener("change", function () { check(n); });
    input.addEventListener("keydown", function (event) { if (event.key === "Enter") { check(n); } });
    var button = item.querySelector("button.gs-show");
    if (button) { button.addEventListener("click", function () { showStep(n); }); }
  });
  Array.prototype.forEach.call(sheet.querySelectorAll(".gs-picture .gs-blank, .gs-picture .gs-blank-label"),
    function (box) {
      box.addEventListener("click", function () { focusQuestion(box.getAttribute("data-q").split(" ")[0]); });
    });
  var all = document.querySelector("button.gs-check-all");
  if (all) {
    all.addEventListener("click", function () {
      data.questions.forEach(function (q, k) { check(k + 1); });
    });
  }
}());

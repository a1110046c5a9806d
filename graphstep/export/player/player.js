
(function () {
  var P = "$prefix";
  var root = document.getElementById(P);
  var data = JSON.parse(document.getElementById(P + "-data").textContent);
  var byId = function (id) { return document.getElementById(P + id); };
  var groups = data.groups.map(byId), slots = data.slots.map(function (_, i) { return byId("s" + i); });
  var g0 = groups.map(function (el) { return el.getAttribute("class"); });
  var s0 = slots.map(function (el) { return [el.textContent, el.getAttribute("class")]; });
  var title = root.querySelector(".gs-title"), text = root.querySelector(".gs-text");
  var slider = root.querySelector("input[type=range]"), counter = root.querySelector(".gs-counter");
  var play = root.querySelector(".gs-play"), n = data.frames.length, cur = 0, timer = null;
  function apply(k) {
    var f = data.frames[k];
    f.g.forEach(function (d) { groups[d[0]].setAttribute("class", data.classes[d[1]]); });
    f.s.forEach(function (d) {
      slots[d[0]].textContent = data.strings[d[1]];
      slots[d[0]].setAttribute("class", data.classes[d[2]]);
    });
  }
  function reset() {
    groups.forEach(function (el, i) { el.setAttribute("class", g0[i]); });
    slots.forEach(function (el, i) { el.textContent = s0[i][0]; el.setAttribute("class", s0[i][1]); });
  }
  function show(k) {
    k = Math.max(0, Math.min(n - 1, k));
    if (k === cur + 1) { apply(k); }
    else if (k !== cur) { reset(); for (var i = 1; i <= k; i++) { apply(i); } }
    cur = k;
    var f = data.frames[k];
    title.textContent = data.strings[f.t];
    text.textContent = data.strings[f.x];
    slider.value = k;
    counter.textContent = "step " + (k + 1) + " of " + n;
    follow();
  }
  var picture = root.querySelector(".gs-picture");
  function follow() {  // keep the highlighted node in view when the picture scrolls
    var el = picture.querySelector(".gs-n.gs-main") || picture.querySelector(".gs-n.gs-focus");
    if (!el) { return; }
    var box = picture.getBoundingClientRect(), r = el.getBoundingClientRect();
    if (r.left < box.left || r.right > box.right) {
      picture.scrollLeft += (r.left + r.right - box.left - box.right) / 2;
    }
    if (r.top < box.top || r.bottom > box.bottom) {
      picture.scrollTop += (r.top + r.bottom - box.top - box.bottom) / 2;
    }
  }
  function stop() { if (timer) { clearInterval(timer); timer = null; play.textContent = "\u25B6 play"; } }
  function start() {
    if (cur >= n - 1) { show(0); }
    play.textContent = "\u2016 pause";
    timer = setInterval(function () { if (cur >= n - 1) { stop(); } else { show(cur + 1); } }, $delay);
  }
  root.querySelector(".gs-first").onclick = function () { stop(); show(0); };
  root.querySelector(".gs-prev").onclick = function () { stop(); show(cur - 1); };
  root.querySelector(".gs-next").onclick = function () { stop(); show(cur + 1); };
  root.querySelector(".gs-last").onclick = function () { stop(); show(n - 1); };
  play.onclick = function () { if (timer) { stop(); } else { start(); } };
  slider.oninput = function () { stop(); show(parseInt(slider.value, 10)); };
  root.addEventListener("keydown", function (e) {
    if (e.target === slider && (e.key === "ArrowLeft" || e.key === "ArrowRight")) { return; }
    var keys = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1};
    if (e.key in keys) { stop(); show(cur + keys[e.key]); e.preventDefault(); }
    else if (e.key === "Home") { stop(); show(0); e.preventDefault(); }
    else if (e.key === "End") { stop(); show(n - 1); e.preventDefault(); }
    else if (e.key === " " && e.target.tagName !== "BUTTON") { play.onclick(); e.preventDefault(); }
  });
  root.gsShow = function (k) { stop(); show(k); };
  show(0);
})();

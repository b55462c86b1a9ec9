/* cardscan review page: filters, evidence outlines, keyboard moves, saving corrections.
   Plain script, no libraries; everything it needs is in the page's markup. */
(function () {
  "use strict";
  var body = document.body;
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.card"));
  var statusFilter = document.getElementById("filter-status");
  var eventFilter = document.getElementById("filter-event");
  var shown = document.getElementById("shown");
  var none = document.getElementById("none-shown");
  var editsLabel = document.getElementById("edits");
  var savedNote = document.getElementById("saved");
  var lastSaved = "";

  function visible() {
    return cards.filter(function (card) { return !card.hidden; });
  }

  function filter() {
    var status = statusFilter ? statusFilter.value : "";
    var event = eventFilter ? eventFilter.value : "";
    var count = 0;
    cards.forEach(function (card) {
      var show = (!status || card.dataset.status === status) &&
        (!event || card.dataset.event === event);
      card.hidden = !show;
      if (show) { count += 1; }
    });
    shown.textContent = count + " of " + cards.length + " cards shown";
    none.hidden = count > 0;
  }

  /* Outline on the card the words a field was read from. */
  function outline(field, on) {
    var card = field.closest("article");
    var boxes = card.querySelectorAll("rect.box");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.getAttribute("data-field") === field.dataset.field) {
        box.classList.toggle("on", on);
      }
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll(".field"), function (field) {
    field.addEventListener("mouseenter", function () { outline(field, true); });
    field.addEventListener("mouseleave", function () {
      if (!field.contains(document.activeElement)) { outline(field, false); }
    });
    field.addEventListener("focusin", function () { outline(field, true); });
    field.addEventListener("focusout", function () { outline(field, false); });
  });

  /* What the person changed: {cards: [...], fields: n}. */
  function corrections() {
    var out = [];
    var fields = 0;
    cards.forEach(function (card) {
      var changed = {};
      var count = 0;
      Array.prototype.forEach.call(card.querySelectorAll(".field input"), function (input) {
        if (input.value !== input.defaultValue) {
          changed[input.name] = {
            read: input.getAttribute("data-read"),
            was: input.defaultValue,
            value: input.value
          };
          count += 1;
        }
      });
      var box = card.querySelector("input.checked");
      var checked = Boolean(box && box.checked && !box.defaultChecked);
      if (count || checked) {
        out.push({card_id: card.dataset.card, source: card.dataset.source,
          checked: checked, fields: changed});
        fields += count;
      }
    });
    return {cards: out, fields: fields};
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function update() {
    var edits = corrections();
    if (!edits.cards.length) {
      editsLabel.textContent = "No corrections yet.";
    } else {
      editsLabel.textContent = plural(edits.fields, "field") + " corrected on " +
        plural(edits.cards.length, "card") + ".";
    }
  }

  document.addEventListener("input", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches(".field input")) { return; }
    var field = input.closest(".field");
    var changed = input.value !== input.defaultValue;
    field.querySelector(".printed").textContent = input.value;
    field.classList.toggle("edited", changed);
    field.querySelector(".mark.edited").hidden = !changed;
    update();
  });
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("input.checked")) { update(); }
  });

  function save() {
    var edits = corrections();
    savedNote.hidden = false;
    if (!edits.cards.length) {
      savedNote.textContent = "Nothing to save: no field was changed.";
      return;
    }
    var data = {
      format: "cardscan-corrections",
      version: 1,
      book: body.dataset.book,
      batch: body.dataset.batch,
      saved_at: new Date().toISOString(),
      cards: edits.cards
    };
    var stem = body.dataset.book.replace(/\.[^.]*$/, "");
    var name = stem + ".corrections-" + body.dataset.batch + ".json";
    var blob = new Blob([JSON.stringify(data, null, 1) + "\n"], {type: "application/json"});
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 2000);
    lastSaved = JSON.stringify(edits.cards);
    savedNote.textContent = "Saved " + name + " (in your downloads). Put it into the book with: " +
      body.dataset.apply.replace("FILE", name);
  }
  document.getElementById("save").addEventListener("click", save);

  window.addEventListener("beforeunload", function (e) {
    var edits = corrections();
    if (edits.cards.length && JSON.stringify(edits.cards) !== lastSaved) {
      e.preventDefault();
      e.returnValue = "";
    }
  });

  /* j/k or the arrows move between the cards shown; Esc leaves a field. */
  document.addEventListener("keydown", function (e) {
    var target = e.target;
    var tag = target.tagName;
    if (e.key === "Escape" && (tag === "INPUT" || tag === "SELECT")) {
      var holder = target.closest("article.card");
      if (holder) { holder.focus(); }
      return;
    }
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || tag === "BUTTON" ||
        e.altKey || e.ctrlKey || e.metaKey) {
      return;
    }
    var step = 0;
    if (e.key === "j" || e.key === "ArrowDown") { step = 1; }
    if (e.key === "k" || e.key === "ArrowUp") { step = -1; }
    if (!step) { return; }
    var list = visible();
    if (!list.length) { return; }
    var current = target.closest ? target.closest("article.card") : null;
    var at = list.indexOf(current);
    var next = at < 0 ? (step > 0 ? 0 : list.length - 1) :
      Math.min(list.length - 1, Math.max(0, at + step));
    e.preventDefault();
    list[next].focus();
    list[next].scrollIntoView({block: "start"});
  });

  if (statusFilter) { statusFilter.addEventListener("change", filter); }
  if (eventFilter) { eventFilter.addEventListener("change", filter); }
  filter();
  update();
}());

// Progressive enhancement of the staff's case page. Everything works without this file (the "Insert the template"
// button then asks the server, which adds the template after the typed text); with it, the template's text is
// inserted at the cursor in the answer, without leaving the page. Nothing typed is ever replaced.
// The texts come from data attributes the server translated.
(function () {
  "use strict";

  function insertAt(textarea, text) {
    var value = textarea.value;
    // At the cursor (after a selection: selected text is kept too); a cursor never placed means "at the end".
    var at = textarea.dataset.cursorPlaced === "yes" ? textarea.selectionEnd : value.length;
    var before = value.slice(0, at);
    var after = value.slice(at);
    var lead = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
    var tail = after && !/^\n/.test(after) ? "\n\n" : "";
    textarea.value = before + lead + text + tail + after;
    var caret = (before + lead + text).length;
    textarea.focus();
    textarea.setSelectionRange(caret, caret);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function enhance(form) {
    var chooser = form.querySelector(".template-form");
    var select = form.querySelector("select[name=mall]");
    var insert = form.querySelector("button[name=answer-insert]");
    var textarea = form.querySelector("textarea[name=answer-text]");
    if (!chooser || !select || !insert || !textarea) {
      return;
    }
    var status = document.createElement("p");
    status.className = "template-note";
    status.setAttribute("role", "status");
    chooser.insertAdjacentElement("afterend", status);
    ["click", "keyup", "select"].forEach(function (name) {
      textarea.addEventListener(name, function () {
        textarea.dataset.cursorPlaced = "yes";
      });
    });
    insert.addEventListener("click", function (event) {
      var text = chooser.querySelector('template[data-template="' + select.value + '"]');
      if (!text) {
        return; // the server explains
      }
      event.preventDefault();
      insertAt(textarea, text.content.textContent);
      status.textContent = chooser.dataset.templateInserted || "";
    });
  }

  document.querySelectorAll("form.answer-form").forEach(enhance);
})();

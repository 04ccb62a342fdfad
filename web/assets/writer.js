// Writer check: the warning line in each house style and the evidence
// marked in the text.
"use strict";

(() => {
  const { api, el, mark, spansFromBytes, say, title } = FW;
  const STYLES = ["news", "note", "tags"];
  const PROMINENCE = {
    mention: "mentioned in passing",
    discussion: "discussed",
    detailed: "described in detail",
  };
  const form = document.getElementById("check-form");
  const article = document.getElementById("article");
  const button = document.getElementById("check");
  const results = document.getElementById("results");
  let lines = {};

  const signOut = FW.signIn(() => article.focus());

  article.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = article.value;
    if (!text.trim()) {
      say("Paste or type some text first.", "error");
      article.focus();
      return;
    }
    button.disabled = true;
    button.textContent = "Checking…";
    try {
      const got = await Promise.all(STYLES.map((style) => api("POST", "/v1/warnings", { text, style })));
      lines = {};
      STYLES.forEach((s, i) => { lines[s] = got[i].line || ""; });
      show(text, got[0].topics || []);
    } catch (err) {
      if (err.auth) signOut(err.message);
      else say(err.message, "error");
    } finally {
      button.disabled = false;
      button.textContent = "Check for warnings";
    }
  });

  function show(text, topics) {
    results.hidden = false;
    const none = topics.length === 0;
    document.getElementById("none").hidden = !none;
    document.getElementById("lines").hidden = none;
    document.getElementById("topics-wrap").hidden = none;
    for (const s of STYLES) document.getElementById("line-" + s).textContent = lines[s];
    if (none) {
      say("No warning needed for this text.");
      return;
    }
    const list = document.getElementById("topics");
    list.textContent = "";
    const spans = [];
    topics.forEach((t, i) => {
      const name = t.name || title(t.id);
      const prom = PROMINENCE[t.prominence] || t.prominence || "";
      const cls = "t" + (i % 6);
      list.append(el("li", { id: "topic-" + i, class: cls },
        el("span", { class: "swatch", "aria-hidden": "true" }),
        el("strong", { text: name }), " ",
        el("span", { class: "prom", text: prom }),
        el("span", { class: "score", text: "score " + Number(t.score || 0).toFixed(2) }),
        t.paragraph >= 0 ? el("span", { class: "para", text: "first in paragraph " + (t.paragraph + 1) }) : null,
        el("button", { type: "button", class: "link", onclick: () => jump(i) }, "Show"),
      ));
      const tip = name + " · " + (t.prominence || "");
      for (const ev of t.evidence || []) {
        spans.push(...spansFromBytes(text, [{ start: ev.sentence_start, end: ev.sentence_end }], () => ({ kind: "sentence", topic: i, tip })));
        spans.push(...spansFromBytes(text, [ev], () => ({ kind: "word", topic: i, tip })));
      }
    });
    mark(document.getElementById("marked"), text, spans, (piece, cover) => {
      const words = cover.filter((s) => s.kind === "word");
      const topicsOf = (ss) => [...new Set(ss.map((s) => s.topic))];
      if (!words.length) {
        return el("span", { class: "sentence t" + (topicsOf(cover)[0] % 6), text: piece });
      }
      const ids = topicsOf(words);
      return el("mark", {
        class: "t" + (ids[0] % 6),
        tabindex: "0",
        "data-topic": ids.join(" "),
        "data-tip": [...new Set(words.map((s) => s.tip))].join("; "),
        "aria-describedby": ids.map((i) => "topic-" + i).join(" "),
        text: piece,
      });
    });
    say("Warning line ready: " + lines.news, "", true);
  }

  function jump(i) {
    const m = document.querySelector('#marked mark[data-topic~="' + i + '"]');
    if (!m) return;
    m.scrollIntoView({ block: "center" });
    m.focus();
  }

  document.querySelectorAll("button[data-copy]").forEach((b) => {
    b.addEventListener("click", async () => {
      const style = b.dataset.copy;
      try {
        await FW.copyText(lines[style] || "");
        b.textContent = "Copied";
        say("Copied the " + style + " line.");
        setTimeout(() => { b.textContent = "Copy"; }, 2000);
      } catch (e) {
        say("Could not copy. Select the line and copy it by hand.", "error");
      }
    });
  });
})();

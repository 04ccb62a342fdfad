// Site page: a post with its warning line and its published comments, read
// through the API as a publisher's own page would, a page at a time.
//   GET /v1/posts/{post}                          the post, its line and topics
//   GET /v1/posts/{post}/comments?status=published   one page; pass "next" as cursor
"use strict";

(() => {
  const { api, el, say } = FW;
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  const PAGE = Math.max(1, Math.min(500, Number(params.get("limit")) || 20));
  let postID = params.get("post") || "demo-grief";
  let next = "";

  $("post-id").value = postID;
  const signOut = FW.signIn(() => { show(postID); });
  $("pick").addEventListener("submit", (e) => {
    e.preventDefault();
    postID = $("post-id").value.trim();
    history.replaceState(null, "", "?post=" + encodeURIComponent(postID));
    show(postID);
  });
  $("more").addEventListener("click", () => more());

  async function show(id) {
    $("thread").textContent = "";
    $("post").hidden = true;
    $("more").hidden = true;
    next = "";
    try {
      const p = await api("GET", "/v1/posts/" + encodeURIComponent(id));
      $("post-line").textContent = p.line || "";
      $("post-line").hidden = !p.line;
      const text = $("post-text");
      text.textContent = "";
      for (const para of (p.text || "").split(/\n\s*\n/)) text.append(el("p", { text: para }));
      $("post").hidden = false;
      await more();
    } catch (err) {
      if (err.auth) signOut(err.message);
      else say(err.status === 404 ? "There is no post " + id + "." : err.message, "error");
    }
  }

  async function more() {
    const q = "?status=published&limit=" + PAGE + (next ? "&cursor=" + encodeURIComponent(next) : "");
    try {
      const page = await api("GET", "/v1/posts/" + encodeURIComponent(postID) + "/comments" + q);
      for (const c of page.comments || []) {
        $("thread").append(el("li", { class: "comment", "data-id": c.id },
          el("p", { class: "meta" }, el("strong", { text: c.author || "Guest" }), " · ",
            el("time", { datetime: c.created_at, text: new Date(c.created_at).toLocaleString() })),
          el("p", { class: "body", text: c.text }),
        ));
      }
      next = page.next || "";
      $("more").hidden = !next;
      $("thread-empty").hidden = $("thread").children.length > 0;
    } catch (err) {
      if (err.auth) signOut(err.message);
      else say(err.message, "error");
    }
  }
})();
